#pragma once
// Kingdee's signature schemes, pure so they are tested against the vectors in
// ../shared/protocols/vectors.json without sockets:
//   LoginBySign   sign = hex(SHA-256(concat(sorted(acctID, user, appId, appSecret, ts))))
//   X-Api-*       HMAC over a canonical request line, keyed by the gateway
//                 secret hidden inside the AppID
//   X-Kd-*        HMAC over appId + "acct,user,lcid,org", keyed by appSecret
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hub::connector::kingdee {

// base64 of the lowercase hex text of HMAC-SHA256 (not of the raw digest):
// what the SDKs call hashMAC; always 88 characters.
std::string hashMac(std::string_view message, std::string_view key);

// The part of an AppID before the first '_' (X-Api-ClientID).
std::string clientIdOf(std::string_view appId);

// The X-Api-Signature key derived from the AppID's encoded part; nullopt when
// that part is not 32 base64 characters (a configuration error).
std::optional<std::string> gatewaySecret(std::string_view appId);

// Full percent-encoding with uppercase hex; '/' becomes %2F, dots stay.
std::string signaturePathEncode(std::string_view path);

std::string apiStringToSign(std::string_view path, std::string_view nonce, std::string_view timestamp);
std::string apiSignature(std::string_view gatewaySecret, std::string_view path, std::string_view nonce,
                         std::string_view timestamp);

// "acct,user,lcid,org" and its base64 (X-Kd-Appdata).
std::string appDataPlain(std::string_view acctId, std::string_view user, int lcid, std::string_view orgNumber);
std::string kdSignature(std::string_view appId, std::string_view appDataPlain, std::string_view appSecret);

enum class SignHash { Sha256, Sha1 };
std::string loginSign(std::string_view acctId, std::string_view user, std::string_view appId,
                      std::string_view appSecret, std::string_view timestampSeconds, SignHash hash = SignHash::Sha256);

// Every header of the signed-header mode for one call to `path`.
struct SignedHeaderInput {
  std::string app_id, app_secret, acct_id, username, org_number;
  int lcid = 2052;
  std::string path, nonce, timestamp;
};
// Throws std::invalid_argument when the AppID has no derivable gateway secret.
std::vector<std::pair<std::string, std::string>> signedHeaders(const SignedHeaderInput& in);

}  // namespace hub::connector::kingdee
