#pragma once
// Small helpers the route files share.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "hub/http/message.h"
#include "hub/store/types.h"

namespace hub::api {

// Request bodies: an empty body is {}; anything else must be a JSON object.
std::optional<nlohmann::json> jsonBody(const http::Request& req, http::Response& error);
std::optional<store::Id> idParam(const http::Request& req, const std::string& name, http::Response& error);
std::size_t limitParam(const http::Request& req, std::size_t fallback = 50, std::size_t max = 1000);
std::size_t offsetParam(const http::Request& req);
std::optional<Millis> timeParam(const http::Request& req, const std::string& name, http::Response& error);

}  // namespace hub::api
