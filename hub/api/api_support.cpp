#include "hub/api/api_support.h"

#include <limits>

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

std::optional<Page> pageParams(const http::Request& req, http::Response& error, std::size_t fallbackLimit,
                               std::size_t maxLimit) {
  Page page{fallbackLimit, 0};
  if (const std::string text = req.queryValue("limit"); !text.empty()) {
    const auto n = parseSaturating(text, static_cast<std::int64_t>(maxLimit));
    if (!n || *n == 0) {
      error = http::Response::error(400, "'limit' must be a whole number from 1 to " + std::to_string(maxLimit) +
                                             ", not '" + text + "'");
      return std::nullopt;
    }
    page.limit = static_cast<std::size_t>(*n);
  }
  if (const std::string text = req.queryValue("offset"); !text.empty()) {
    // An offset past every row is an empty page, so it saturates rather than fails.
    const auto n = parseSaturating(text, std::numeric_limits<std::int64_t>::max());
    if (!n) {
      error = http::Response::error(400, "'offset' must be a whole number from 0, not '" + text + "'");
      return std::nullopt;
    }
    page.offset = static_cast<std::size_t>(*n);
  }
  return page;
}

std::optional<Millis> timeParam(const http::Request& req, const std::string& name, http::Response& error) {
  const std::string text = req.queryValue(name);
  if (text.empty()) return Millis{0};
  if (auto t = parseIsoInstant(text, 480)) return t;
  error = http::Response::error(400, "'" + name + "' must be an ISO 8601 time, e.g. 2026-11-23T08:00:00+08:00");
  return std::nullopt;
}

}  // namespace hub::api
