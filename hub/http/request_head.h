#pragma once
// What the server makes of a request's head (request line and headers, as
// Poco read them) before it reads the body: the plain Request with path,
// query, headers and request id, and whether the head alone already decides
// the answer. No socket involved, so it is unit-tested and fuzzed
// (fuzz/http_request_head.cpp) on bytes.
#include <cstddef>
#include <optional>

#include "hub/http/message.h"

namespace Poco::Net {
class HTTPRequest;
}

namespace hub::http {

struct RequestHead {
  Request request;                  // everything but body and remote address
  std::optional<Response> refusal;  // answer now, without reading the body or routing
  bool close_after = false;         // the body was not read: the connection cannot be reused
};

// Refuses a URI that does not parse and a Content-Length that is not a
// length (400), and a declared Content-Length over `maxBodyBytes` (413). A caller's X-Request-Id is kept when it is short and
// plain; otherwise a random one is made.
RequestHead readRequestHead(const Poco::Net::HTTPRequest& head, std::size_t maxBodyBytes);

}  // namespace hub::http
