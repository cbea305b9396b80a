#include "hub/api/api_support.h"

#include "hub/core/numbers.h"

namespace hub::api {

std::optional<nlohmann::json> jsonBody(const http::Request& req, http::Response& error) {
  if (req.body.empty()) return nlohmann::json::object();
  auto j = nlohmann::json::parse(req.body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    error = http::Response::error(400, "the request body must be a JSON object");
    return std::nullopt;
  }
  return j;
}

std::optional<store::Id> idParam(const http::Request& req, const std::string& name, http::Response& error) {
  auto it = req.params.find(name);
  const std::string text = it == req.params.end() ? std::string() : it->second;
  if (const auto id = parseInteger(text, 1)) return *id;
  error = http::Response::error(400, "'" + text + "' is not a valid " + name);
  return std::nullopt;
}

// A limit beyond `max` (however many digits) is `max`; one that is no number
// at all, or negative, is the fallback.
std::size_t limitParam(const http::Request& req, std::size_t fallback, std::size_t max) {
  const auto n = parseSaturating(req.queryValue("limit"), static_cast<std::int64_t>(max));
  return n ? static_cast<std::size_t>(*n) : fallback;
}

std::size_t offsetParam(const http::Request& req) {
  return static_cast<std::size_t>(parseInteger(req.queryValue("offset", "0"), 0).value_or(0));
}

std::optional<Millis> timeParam(const http::Request& req, const std::string& name, http::Response& error) {
  const std::string text = req.queryValue(name);
  if (text.empty()) return Millis{0};
  if (auto t = parseIsoInstant(text, 480)) return t;
  error = http::Response::error(400, "'" + name + "' must be an ISO 8601 time, e.g. 2026-11-23T08:00:00+08:00");
  return std::nullopt;
}

}  // namespace hub::api
