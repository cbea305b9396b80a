#include "hub/http/request_head.h"

#include <Poco/Net/HTTPRequest.h>
#include <Poco/URI.h>

#include <cctype>

#include "hub/core/digest.h"

namespace hub::http {
namespace {

// Taken into logs and answers as is, so only short ids of plain characters.
bool saneRequestId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') return false;
  return true;
}

}  // namespace

RequestHead readRequestHead(const Poco::Net::HTTPRequest& head, std::size_t maxBodyBytes) {
  RequestHead out;
  Request& req = out.request;
  req.method = head.getMethod();
  try {
    Poco::URI uri(head.getURI());
    req.path = uri.getPath();
    for (const auto& [k, v] : uri.getQueryParameters()) req.query[k] = v;
  } catch (const Poco::Exception&) {
    req.path = head.getURI();
    out.refusal = Response::error(400, "malformed request URI");
  }
  for (const auto& [k, v] : head) req.headers[k] = v;
  const std::string incomingId = req.header("X-Request-Id");
  req.request_id = saneRequestId(incomingId) ? incomingId : digest::hex(digest::randomBytes(8));
  if (out.refusal) return out;

  // Poco parses Content-Length only here when the body is chunked, so a
  // value that is not a length arrives: refuse it rather than let the
  // exception escape the server's handler (no answer, no log line, and the
  // request counted in flight for ever).
  Poco::Int64 declared = Poco::Net::HTTPMessage::UNKNOWN_CONTENT_LENGTH;
  bool readable = true;
  try {
    declared = head.getContentLength64();
  } catch (const Poco::Exception&) {
    readable = false;
  }
  if (!readable || declared < Poco::Net::HTTPMessage::UNKNOWN_CONTENT_LENGTH) {
    out.refusal = Response::error(400, "Content-Length must be a number of bytes");
    out.close_after = true;
  } else if (declared != Poco::Net::HTTPMessage::UNKNOWN_CONTENT_LENGTH &&
             static_cast<std::uint64_t>(declared) > maxBodyBytes) {
    out.refusal = Response::error(413, "request body exceeds " + std::to_string(maxBodyBytes) + " bytes");
    out.close_after = true;
  }
  return out;
}

}  // namespace hub::http
