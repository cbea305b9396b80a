#include "connectors/kingdee/kingdee_signing.h"

#include <algorithm>
#include <array>
#include <stdexcept>

#include "hub/core/digest.h"

namespace hub::connector::kingdee {

namespace {
// The official SDKs XOR the AppID's secret part with this constant (the
// Python SDK stores it ROT13-obfuscated); only its first 24 bytes matter.
constexpr std::string_view kGatewayXorKey = "0054f397c6234378b09ca7d3e5debce7";
}  // namespace

std::string hashMac(std::string_view message, std::string_view key) {
  return digest::base64(digest::hex(digest::hmacSha256(key, message)));
}

std::string clientIdOf(std::string_view appId) { return std::string(appId.substr(0, appId.find('_'))); }

std::optional<std::string> gatewaySecret(std::string_view appId) {
  const auto cut = appId.find('_');
  if (cut == std::string_view::npos) return std::nullopt;
  const std::string_view encoded = appId.substr(cut + 1);
  std::string raw;
  if (encoded.size() != 32 || !digest::base64Decode(encoded, raw) || raw.size() != 24) return std::nullopt;
  for (std::size_t i = 0; i < raw.size(); ++i) raw[i] = static_cast<char>(raw[i] ^ kGatewayXorKey[i]);
  return digest::base64(raw);
}

std::string signaturePathEncode(std::string_view path) {
  static constexpr char hexDigits[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '*') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hexDigits[c >> 4];
      out += hexDigits[c & 15];
    }
  }
  return out;
}

std::string apiStringToSign(std::string_view path, std::string_view nonce, std::string_view timestamp) {
  std::string s = "POST\n";
  s += signaturePathEncode(path);
  s += "\n\n";  // the empty canonical query string
  s += "x-api-nonce:";
  s += nonce;
  s += "\nx-api-timestamp:";
  s += timestamp;
  s += "\n";
  return s;
}

std::string apiSignature(std::string_view secret, std::string_view path, std::string_view nonce,
                         std::string_view timestamp) {
  return hashMac(apiStringToSign(path, nonce, timestamp), secret);
}

std::string appDataPlain(std::string_view acctId, std::string_view user, int lcid, std::string_view orgNumber) {
  std::string s(acctId);
  s += ',';
  s += user;
  s += ',';
  s += std::to_string(lcid);
  s += ',';
  s += orgNumber.empty() ? std::string_view("0") : orgNumber;
  return s;
}

std::string kdSignature(std::string_view appId, std::string_view plain, std::string_view appSecret) {
  return hashMac(std::string(appId) + std::string(plain), appSecret);
}

std::string loginSign(std::string_view acctId, std::string_view user, std::string_view appId,
                      std::string_view appSecret, std::string_view timestampSeconds, SignHash hash) {
  std::array<std::string, 5> parts{std::string(acctId), std::string(user), std::string(appId),
                                   std::string(appSecret), std::string(timestampSeconds)};
  std::sort(parts.begin(), parts.end());  // ordinal: byte order of the UTF-8 text
  std::string joined;
  for (const auto& p : parts) joined += p;
  return digest::hex(hash == SignHash::Sha256 ? digest::sha256(joined) : digest::sha1(joined));
}

std::vector<std::pair<std::string, std::string>> signedHeaders(const SignedHeaderInput& in) {
  const auto secret = gatewaySecret(in.app_id);
  if (!secret) throw std::invalid_argument("app_id has no 32-character encoded secret after '_'");
  const std::string plain = appDataPlain(in.acct_id, in.username, in.lcid, in.org_number);
  return {
      {"X-Api-ClientID", clientIdOf(in.app_id)},
      {"X-Api-Auth-Version", "2.0"},
      {"x-api-timestamp", in.timestamp},
      {"x-api-nonce", in.nonce},
      {"x-api-signheaders", "x-api-timestamp,x-api-nonce"},
      {"X-Api-Signature", apiSignature(*secret, in.path, in.nonce, in.timestamp)},
      {"X-Kd-Appkey", in.app_id},
      {"X-Kd-Appdata", digest::base64(plain)},
      {"X-Kd-Signature", kdSignature(in.app_id, plain, in.app_secret)},
  };
}

}  // namespace hub::connector::kingdee
