#pragma once
// HTTP request and response as plain values, independent of Poco, so route
// handlers are tested without sockets.
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace hub::http {

// Header names compare case-insensitively.
struct CaseInsensitiveLess {
  bool operator()(const std::string& a, const std::string& b) const;
};
using Headers = std::map<std::string, std::string, CaseInsensitiveLess>;

struct Request {
  std::string method;
  std::string path;  // decoded, without the query
  std::map<std::string, std::string> query;
  Headers headers;
  std::string body;  // raw bytes as received (signatures are checked over them)
  std::map<std::string, std::string> params;  // path parameters from the route pattern
  std::string request_id;
  std::string remote;
  // Set by authentication for handlers that record who acted.
  std::string actor;
  std::string role;

  std::string header(const std::string& name) const;
  std::string queryValue(const std::string& name, const std::string& fallback = {}) const;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  std::string content_type = "application/json";

  static Response json(int status, const nlohmann::json& body);
  // {"error": message, ...extra}; every error the hub answers has this shape.
  static Response error(int status, const std::string& message, nlohmann::json extra = nlohmann::json::object());
  static Response text(int status, std::string body, std::string contentType = "text/plain; charset=utf-8");
};

const char* reasonPhrase(int status);

}  // namespace hub::http
