#include "hub/webhooks/signature.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "hub/core/digest.h"

namespace hub::webhooks {
namespace {

std::string headerOf(const http::Headers& headers, const std::string& name) {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

// Standard Webhooks senders may brand the headers (svix-id, ...); same meaning.
std::string standardHeader(const http::Headers& headers, const std::string& suffix) {
  std::string v = headerOf(headers, "webhook-" + suffix);
  return v.empty() ? headerOf(headers, "svix-" + suffix) : v;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    const auto end = s.find(sep, start);
    const auto item = trim(s.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (!item.empty()) out.push_back(item);
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

// Unix seconds as the schemes send them: digits only, no sign, no fraction.
std::optional<std::int64_t> parseSeconds(std::string_view s) {
  if (s.empty() || s.size() > 12) return std::nullopt;
  std::int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

std::optional<std::string> lowerHexDigest(std::string_view s) {
  if (s.size() != 64) return std::nullopt;
  std::string out(s);
  for (auto& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
  }
  return out;
}

Verification fail(Verdict v, std::string reason) { return {v, "", std::move(reason)}; }

// Called only once the signature matched, so a replayed capture is told
// "stale" while a forgery is never told anything about the clock.
Verification checkWindow(std::int64_t signedAt, Millis now, Millis tolerance, std::string deliveryId) {
  const std::int64_t nowSeconds = now / 1000;
  const std::int64_t skew = nowSeconds - signedAt;
  const std::string limit = "; at most " + std::to_string(tolerance / 1000) + " s either way are accepted";
  if (skew * 1000 > tolerance)
    return fail(Verdict::StaleTimestamp, "webhook timestamp is " + std::to_string(skew) + " s in the past" + limit);
  if (-skew * 1000 > tolerance)
    return fail(Verdict::FutureTimestamp, "webhook timestamp is " + std::to_string(-skew) + " s in the future" + limit);
  return {Verdict::Ok, std::move(deliveryId), "signature verified"};
}

std::string bodyHashId(std::string_view body) { return "sha256:" + digest::sha256Hex(body); }

Verification verifyStandard(const SignatureSettings& s, const http::Headers& headers, std::string_view body,
                            Millis now) {
  const std::string id = standardHeader(headers, "id");
  const std::string timestamp = standardHeader(headers, "timestamp");
  const std::string signature = standardHeader(headers, "signature");
  if (trim(id).empty() || trim(timestamp).empty() || trim(signature).empty())
    return fail(Verdict::MissingSignature, "webhook-id, webhook-timestamp and webhook-signature headers are required");
  const auto signedAt = parseSeconds(trim(timestamp));
  if (!signedAt) return fail(Verdict::MalformedSignature, "webhook-timestamp must be whole Unix seconds");
  std::vector<std::string_view> candidates;
  for (auto entry : split(signature, ' ')) {
    const auto comma = entry.find(',');
    if (comma == std::string_view::npos)
      return fail(Verdict::MalformedSignature, "each webhook-signature entry must read '<version>,<base64>'");
    if (entry.substr(0, comma) == "v1") candidates.push_back(entry.substr(comma + 1));
  }
  if (candidates.empty())
    return fail(Verdict::UnsupportedSignature, "webhook-signature holds no v1 signature (only v1 is accepted)");
  const std::string content = id + "." + std::string(trim(timestamp)) + "." + std::string(body);
  bool match = false;
  for (const auto& secret : s.secrets) {
    const auto key = standardKey(secret);
    if (!key) continue;  // the loader refuses these; never fall back to the raw text
    // Compared as canonical base64 text (padding restored), like the reference
    // library: a decoder would also accept variants with altered spare bits.
    const std::string expected = digest::base64(digest::hmacSha256(*key, content));
    for (auto candidate : candidates) {
      std::string given(candidate);
      while (given.size() % 4 != 0) given += '=';
      if (digest::constantTimeEquals(given, expected)) match = true;
    }
  }
  if (!match) return fail(Verdict::BadSignature, "webhook-signature does not match the body");
  return checkWindow(*signedAt, now, s.tolerance, id);
}

Verification verifyHmac(const SignatureSettings& s, const http::Headers& headers, std::string_view body) {
  const std::string value(trim(headerOf(headers, s.header)));
  if (value.empty()) return fail(Verdict::MissingSignature, s.header + " header is required");
  const bool prefixed =
      value.size() >= s.prefix.size() &&
      std::equal(s.prefix.begin(), s.prefix.end(), value.begin(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
      });
  if (!prefixed) return fail(Verdict::MalformedSignature, s.header + " must read '" + s.prefix + "<hex HMAC-SHA256>'");
  const auto given = lowerHexDigest(std::string_view(value).substr(s.prefix.size()));
  if (!given) return fail(Verdict::MalformedSignature, s.header + " must carry 64 hex digits after '" + s.prefix + "'");
  bool match = false;
  for (const auto& secret : s.secrets)
    if (digest::constantTimeEquals(*given, digest::hex(digest::hmacSha256(secret, body)))) match = true;
  if (!match) return fail(Verdict::BadSignature, s.header + " does not match the body");
  // Nothing signed says when, so the delivery id is the only defence against replays.
  std::string id(trim(headerOf(headers, s.id_header)));
  return {Verdict::Ok, id.empty() ? bodyHashId(body) : id, "signature verified"};
}

Verification verifyStripe(const SignatureSettings& s, const http::Headers& headers, std::string_view body, Millis now) {
  const std::string value = headerOf(headers, "Stripe-Signature");
  if (trim(value).empty()) return fail(Verdict::MissingSignature, "Stripe-Signature header is required");
  std::optional<std::string_view> t;
  std::vector<std::string_view> candidates;
  for (auto item : split(value, ',')) {
    const auto eq = item.find('=');
    if (eq == std::string_view::npos) continue;  // like the reference SDKs: unknown items are ignored
    const auto key = item.substr(0, eq);
    if (key == "t" && !t) t = item.substr(eq + 1);
    if (key == "v1") candidates.push_back(item.substr(eq + 1));
  }
  if (!t) return fail(Verdict::MalformedSignature, "Stripe-Signature has no 't=' timestamp");
  const auto signedAt = parseSeconds(*t);
  if (!signedAt) return fail(Verdict::MalformedSignature, "Stripe-Signature 't=' must be whole Unix seconds");
  if (candidates.empty())
    return fail(Verdict::UnsupportedSignature, "Stripe-Signature holds no v1 signature (only v1 is accepted)");
  const std::string content = std::string(*t) + "." + std::string(body);
  bool match = false;
  for (const auto& secret : s.secrets) {
    const std::string expected = digest::hex(digest::hmacSha256(secret, content));
    for (auto candidate : candidates) {
      const auto given = lowerHexDigest(candidate);
      if (given && digest::constantTimeEquals(*given, expected)) match = true;
    }
  }
  if (!match) return fail(Verdict::BadSignature, "Stripe-Signature does not match the body");
  // Stripe's event id lives in the body; retries of one event share it.
  std::string id;
  const auto doc = nlohmann::json::parse(body, nullptr, false);
  if (doc.is_object() && doc.contains("id") && doc["id"].is_string()) id = doc["id"].get<std::string>();
  return checkWindow(*signedAt, now, s.tolerance, id.empty() ? bodyHashId(body) : id);
}

Verification verifyBasic(const SignatureSettings& s, const http::Headers& headers, std::string_view body) {
  const std::string value(trim(headerOf(headers, "Authorization")));
  if (value.empty()) return fail(Verdict::MissingSignature, "Authorization: Basic header is required");
  if (value.size() < 6 || !std::equal(value.begin(), value.begin() + 6, "basic ", [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == b;
      }))
    return fail(Verdict::MalformedSignature, "Authorization must read 'Basic <base64 user:password>'");
  std::string given;
  if (!digest::base64Decode(trim(std::string_view(value).substr(6)), given) || given.find(':') == std::string::npos)
    return fail(Verdict::MalformedSignature, "Authorization must read 'Basic <base64 user:password>'");
  bool match = false;
  for (const auto& secret : s.secrets)
    if (digest::constantTimeEquals(given, secret)) match = true;
  if (!match) return fail(Verdict::BadSignature, "user or password is wrong");
  // Nothing identifies a delivery, so a resent body is recognised by its hash.
  return {Verdict::Ok, bodyHashId(body), "logon verified"};
}

}  // namespace

std::optional<Scheme> parseScheme(std::string_view name) {
  if (name == "standard") return Scheme::Standard;
  if (name == "hmac") return Scheme::Hmac;
  if (name == "stripe") return Scheme::Stripe;
  if (name == "basic") return Scheme::Basic;
  return std::nullopt;
}

const char* toString(Scheme s) {
  switch (s) {
    case Scheme::Standard:
      return "standard";
    case Scheme::Hmac:
      return "hmac";
    case Scheme::Stripe:
      return "stripe";
    case Scheme::Basic:
      return "basic";
  }
  return "?";
}

const char* toString(Verdict v) {
  switch (v) {
    case Verdict::Ok:
      return "ok";
    case Verdict::MissingSignature:
      return "missing_signature";
    case Verdict::MalformedSignature:
      return "malformed_signature";
    case Verdict::UnsupportedSignature:
      return "unsupported_signature";
    case Verdict::BadSignature:
      return "bad_signature";
    case Verdict::StaleTimestamp:
      return "stale_timestamp";
    case Verdict::FutureTimestamp:
      return "future_timestamp";
  }
  return "?";
}

int httpStatus(Verdict v) {
  switch (v) {
    case Verdict::Ok:
      return 200;
    case Verdict::StaleTimestamp:
    case Verdict::FutureTimestamp:
      return 400;
    default:
      return 401;
  }
}

Verification verify(const SignatureSettings& settings, const http::Headers& headers, std::string_view body,
                    Millis now) {
  if (settings.secrets.empty()) return fail(Verdict::BadSignature, "no secret is configured for this webhook");
  switch (settings.scheme) {
    case Scheme::Standard:
      return verifyStandard(settings, headers, body, now);
    case Scheme::Hmac:
      return verifyHmac(settings, headers, body);
    case Scheme::Stripe:
      return verifyStripe(settings, headers, body, now);
    case Scheme::Basic:
      return verifyBasic(settings, headers, body);
  }
  return fail(Verdict::BadSignature, "unknown scheme");
}

std::optional<std::string> standardKey(std::string_view secret) {
  if (secret.starts_with("whsec_")) secret.remove_prefix(6);
  std::string key;
  if (secret.empty() || !digest::base64Decode(secret, key) || key.empty()) return std::nullopt;
  return key;
}

std::string signStandard(std::string_view secret, std::string_view id, std::int64_t timestampSeconds,
                         std::string_view body) {
  const auto key = standardKey(secret);
  if (!key) throw std::invalid_argument("a Standard Webhooks secret must be whsec_ followed by base64");
  const std::string content = std::string(id) + "." + std::to_string(timestampSeconds) + "." + std::string(body);
  return "v1," + digest::base64(digest::hmacSha256(*key, content));
}

std::string signHmac(std::string_view secret, std::string_view body, std::string_view prefix) {
  return std::string(prefix) + digest::hex(digest::hmacSha256(secret, body));
}

std::string signStripe(std::string_view secret, std::int64_t timestampSeconds, std::string_view body) {
  const std::string t = std::to_string(timestampSeconds);
  return "t=" + t + ",v1=" + digest::hex(digest::hmacSha256(secret, t + "." + std::string(body)));
}

}  // namespace hub::webhooks
