// Webhook signature headers (hub/webhooks/signature): the three schemes read
// headers and a body from the input. Input: byte 0 picks the scheme, byte 1 a
// clock skew; then "Name: value" lines up to an empty line; the rest is the
// raw body. Each input is verified twice: as written (header parsing), then
// with the signature replaced by what the signing functions produce for the
// same id and body, signed `skew` x 10 s away from now with the second
// (rotated-in) secret. Checks: no crash; an accepted delivery has an id; a
// correctly signed delivery is accepted, or refused only for its timestamp.
#include "fuzz/fuzz_check.h"
#include "hub/webhooks/signature.h"

namespace {

using hub::webhooks::Scheme;
using hub::webhooks::Verdict;

constexpr hub::Millis kNow = 1711900000000;

hub::webhooks::SignatureSettings settingsFor(Scheme scheme) {
  hub::webhooks::SignatureSettings s;
  s.scheme = scheme;
  if (scheme == Scheme::Standard)
    s.secrets = {"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_c2VjcmV0LXJvdGF0ZWQtaW4tMjAyNA=="};
  else
    s.secrets = {"old-shared-secret", "new-shared-secret"};
  return s;
}

std::string trimmed(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n\v\f");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r\n\v\f") - b + 1);
}

void checkOutcome(const hub::webhooks::Verification& v) {
  FUZZ_CHECK(!v.reason.empty());
  FUZZ_CHECK(!v.ok() || !v.delivery_id.empty());
  const int status = hub::webhooks::httpStatus(v.verdict);
  FUZZ_CHECK(status == 200 || status == 400 || status == 401);
  (void)hub::webhooks::toString(v.verdict);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const Scheme scheme = static_cast<Scheme>(data[0] % 3);
  const int skew = static_cast<std::int8_t>(data[1]);
  const std::string_view rest = hub::fuzz::text(data + 2, size - 2);

  hub::http::Headers headers;
  std::size_t at = 0;
  while (at < rest.size()) {
    std::size_t end = rest.find('\n', at);
    if (end == std::string_view::npos) end = rest.size();
    std::string_view line = rest.substr(at, end - at);
    at = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    headers[std::string(line.substr(0, colon))] = std::string(line.substr(colon + 1));
  }
  const std::string_view body = at < rest.size() ? rest.substr(at) : std::string_view();
  const auto settings = settingsFor(scheme);
  checkOutcome(hub::webhooks::verify(settings, headers, body, kNow));

  const std::int64_t signedAt = kNow / 1000 + skew * 10;
  const std::string& secret = settings.secrets[1];
  switch (scheme) {
    case Scheme::Standard: {
      std::string id = headers.count("webhook-id") ? headers["webhook-id"] : "";
      if (id.empty() && headers.count("svix-id")) id = headers["svix-id"];
      if (trimmed(id).empty()) headers["webhook-id"] = id = "msg_fuzz";
      headers["webhook-timestamp"] = std::to_string(signedAt);
      headers["webhook-signature"] = hub::webhooks::signStandard(secret, id, signedAt, body);
      break;
    }
    case Scheme::Hmac: headers[settings.header] = hub::webhooks::signHmac(secret, body, settings.prefix); break;
    case Scheme::Stripe: headers["Stripe-Signature"] = hub::webhooks::signStripe(secret, signedAt, body); break;
    case Scheme::Basic: return 0;  // a logon, not a signature: not among the fuzzed schemes (data[0] % 3)
  }
  const auto v = hub::webhooks::verify(settings, headers, body, kNow);
  checkOutcome(v);
  if (scheme == Scheme::Hmac || (skew >= -30 && skew <= 30)) {
    FUZZ_CHECK(v.verdict == Verdict::Ok);
  } else {
    FUZZ_CHECK(v.verdict == (skew < 0 ? Verdict::StaleTimestamp : Verdict::FutureTimestamp));
  }
  return 0;
}
