#pragma once
// Checks that a webhook came from its sender: an HMAC-SHA256 over the raw body
// bytes, in one of three header forms (Standard Webhooks, GitHub-like
// header/prefix, Stripe), or the sender's HTTP Basic logon. Pure: no I/O and no clock of its own, so every case
// is a table row in a test. Messages never carry a secret or an expected
// signature.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hub/core/time.h"
#include "hub/http/message.h"

namespace hub::webhooks {

// Basic is no signature: the sender logs on (HTTP Basic, user:password as the
// secret), for systems that cannot sign, such as SAP's XML-HTTP IDoc port.
enum class Scheme { Standard, Hmac, Stripe, Basic };
std::optional<Scheme> parseScheme(std::string_view name);
const char* toString(Scheme s);

struct SignatureSettings {
  Scheme scheme = Scheme::Standard;
  std::vector<std::string> secrets;            // any may match (rotation)
  std::string header = "X-Hub-Signature-256";  // hmac: the signature header
  std::string prefix = "sha256=";              // hmac: text before the hex digest
  std::string id_header = "X-Delivery-Id";     // hmac: the sender's delivery id (body hash when absent)
  Millis tolerance = 300000;                   // standard, stripe: signed timestamp vs now, both ways
};

enum class Verdict {
  Ok,
  MissingSignature,      // a header the scheme needs is absent or empty          -> 401
  MalformedSignature,    // present but not in the scheme's form                  -> 401
  UnsupportedSignature,  // well formed, but no entry of the version we check (v2) -> 401
  BadSignature,          // no candidate matches any secret                       -> 401
  StaleTimestamp,        // authentic, signed longer ago than the tolerance        -> 400
  FutureTimestamp,       // authentic, signed further ahead than the tolerance     -> 400
};
// Stable snake_case labels (metrics, logs, the answer's "result").
const char* toString(Verdict v);
int httpStatus(Verdict v);

struct Verification {
  Verdict verdict = Verdict::MissingSignature;
  std::string delivery_id;  // set when the signature is authentic: the replay/dedupe key
  std::string reason;       // safe to answer and log
  bool ok() const { return verdict == Verdict::Ok; }
};

Verification verify(const SignatureSettings& settings, const http::Headers& headers, std::string_view body, Millis now);

// The HMAC key a Standard Webhooks secret stands for: base64 after an optional
// "whsec_"; nullopt when it is not base64.
std::optional<std::string> standardKey(std::string_view secret);

// Signing, for senders, tests and documentation examples.
// "v1,<base64>"; throws std::invalid_argument when the secret is not (whsec_)base64.
std::string signStandard(std::string_view secret, std::string_view id, std::int64_t timestampSeconds,
                         std::string_view body);
std::string signHmac(std::string_view secret, std::string_view body, std::string_view prefix = "sha256=");
// "t=<seconds>,v1=<hex>"
std::string signStripe(std::string_view secret, std::int64_t timestampSeconds, std::string_view body);

}  // namespace hub::webhooks
