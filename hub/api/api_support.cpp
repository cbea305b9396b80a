#include "hub/api/api_support.h"

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
  try {
    std::size_t used = 0;
    const store::Id id = std::stoll(it->second, &used);
    if (used == it->second.size() && id > 0) return id;
  } catch (const std::exception&) {
  }
  error = http::Response::error(400, "'" + (it == req.params.end() ? std::string() : it->second) + "' is not a valid " + name);
  return std::nullopt;
}

std::size_t limitParam(const http::Request& req, std::size_t fallback, std::size_t max) {
  try {
    return std::min<std::size_t>(max, std::stoul(req.queryValue("limit", std::to_string(fallback))));
  } catch (const std::exception&) {
    return fallback;
  }
}

std::size_t offsetParam(const http::Request& req) {
  try {
    return std::stoul(req.queryValue("offset", "0"));
  } catch (const std::exception&) {
    return 0;
  }
}

std::optional<Millis> timeParam(const http::Request& req, const std::string& name, http::Response& error) {
  const std::string text = req.queryValue(name);
  if (text.empty()) return Millis{0};
  if (auto t = parseIsoInstant(text, 480)) return t;
  error = http::Response::error(400, "'" + name + "' must be an ISO 8601 time, e.g. 2026-11-23T08:00:00+08:00");
  return std::nullopt;
}

}  // namespace hub::api
