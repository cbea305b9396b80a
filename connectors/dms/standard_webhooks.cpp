#include "connectors/dms/standard_webhooks.h"

#include <stdexcept>

#include "hub/core/digest.h"
#include "hub/core/numbers.h"

namespace hub::connector::dms {
namespace {

std::string keyOf(std::string_view secret) {
  constexpr std::string_view prefix = "whsec_";
  if (secret.substr(0, prefix.size()) == prefix) secret.remove_prefix(prefix.size());
  std::string key;
  if (secret.empty() || !digest::base64Decode(secret, key)) throw std::invalid_argument("webhook secret is not whsec_<base64>");
  return key;
}

}  // namespace

std::string webhookSignature(std::string_view secret, std::string_view id, std::int64_t timestamp,
                             std::string_view body) {
  const std::string content = std::string(id) + "." + std::to_string(timestamp) + "." + std::string(body);
  return "v1," + digest::base64(digest::hmacSha256(keyOf(secret), content));
}

bool verifyWebhook(std::string_view secret, std::string_view id, std::string_view timestampHeader,
                   std::string_view signatureHeader, std::string_view body, std::int64_t nowSeconds,
                   std::int64_t toleranceSeconds) {
  // Digits only (parseInteger would take a '-'); 20 of them are no time at all.
  if (timestampHeader.find_first_not_of("0123456789") != std::string_view::npos) return false;
  const auto parsed = parseInteger(timestampHeader);
  if (!parsed) return false;
  const std::int64_t stamp = *parsed;
  if (stamp < nowSeconds - toleranceSeconds || stamp > nowSeconds + toleranceSeconds) return false;
  std::string expected;
  try {
    expected = webhookSignature(secret, id, stamp, body);
  } catch (const std::invalid_argument&) {
    return false;
  }
  bool ok = false;
  std::size_t start = 0;
  while (start <= signatureHeader.size()) {
    auto end = signatureHeader.find(' ', start);
    if (end == std::string_view::npos) end = signatureHeader.size();
    const auto entry = signatureHeader.substr(start, end - start);
    if (entry.substr(0, 3) == "v1,") ok = digest::constantTimeEquals(entry, expected) || ok;
    start = end + 1;
  }
  return ok;
}

std::string newWebhookSecret() { return "whsec_" + digest::base64(digest::randomBytes(24)); }

}  // namespace hub::connector::dms
