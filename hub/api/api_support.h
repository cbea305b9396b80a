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

// ?limit=&offset= of a list: absent is the default page; a limit over the
// maximum is the maximum (as many as a page may hold); anything that is not a
// whole number, or a limit of 0, is a 400 naming the parameter, so a typo
// never silently lists a different page.
struct Page {
  std::size_t limit;
  std::size_t offset;
};
std::optional<Page> pageParams(const http::Request& req, http::Response& error, std::size_t fallbackLimit = 50,
                               std::size_t maxLimit = 1000);
std::optional<Millis> timeParam(const http::Request& req, const std::string& name, http::Response& error);

}  // namespace hub::api
