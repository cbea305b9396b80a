#include "hub/http/message.h"

#include <strings.h>

#include "hub/core/redaction.h"

namespace hub::http {

bool CaseInsensitiveLess::operator()(const std::string& a, const std::string& b) const {
  return ::strcasecmp(a.c_str(), b.c_str()) < 0;
}

std::string Request::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

std::string Request::queryValue(const std::string& name, const std::string& fallback) const {
  auto it = query.find(name);
  return it == query.end() ? fallback : it->second;
}

Response Response::json(int status, const nlohmann::json& body) {
  Response r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Response Response::error(int status, const std::string& message, nlohmann::json extra) {
  nlohmann::json body = std::move(extra);
  if (!body.is_object()) body = nlohmann::json::object();
  body["error"] = redact(message);
  body["status"] = status;
  return json(status, body);
}

Response Response::text(int status, std::string body, std::string contentType) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.content_type = std::move(contentType);
  return r;
}

const char* reasonPhrase(int s) {
  switch (s) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "";
  }
}

}  // namespace hub::http
