#pragma once
// Standard Webhooks v1 (symmetric): the DMS signs change webhooks so the hub
// can trust them. Signed content is "{webhook-id}.{webhook-timestamp}.{body}"
// over the raw body bytes; the key is the base64 after "whsec_"; the header
// value is "v1,<base64 HMAC-SHA256>" (space-separated when several secrets
// are live).
#include <cstdint>
#include <string>
#include <string_view>

namespace hub::connector::dms {

// Throws std::invalid_argument when the secret is not whsec_<base64>.
std::string webhookSignature(std::string_view secret, std::string_view id, std::int64_t timestamp,
                             std::string_view body);

// True when any v1 entry of `signatureHeader` matches and the timestamp is
// within `toleranceSeconds` of `nowSeconds` either way. Constant-time compare.
bool verifyWebhook(std::string_view secret, std::string_view id, std::string_view timestampHeader,
                   std::string_view signatureHeader, std::string_view body, std::int64_t nowSeconds,
                   std::int64_t toleranceSeconds = 300);

// whsec_ + base64 of 24 random bytes.
std::string newWebhookSecret();

}  // namespace hub::connector::dms
