// The HTTP request head: bytes as they arrive on a connection, read by Poco
// the way its server reads them (request line and headers, then the body
// framing it picks), then what the hub makes of the head
// (hub/http readRequestHead). Checks: no crash and no exception once Poco
// accepted the head; a refusal is a 400 or 413 with the JSON error shape;
// the request id is always short and plain, since it goes into logs.
#include <Poco/Net/HTTPRequest.h>

#include <sstream>

#include "fuzz/fuzz_check.h"
#include "hub/http/request_head.h"

namespace {

constexpr std::size_t kMaxBody = 1 << 20;

// What Poco's HTTPServerRequestImpl does before the hub's handler runs: a head
// it cannot read (or, unless chunked, a Content-Length it cannot parse) is
// answered or dropped by Poco, so it never reaches the hub.
bool pocoAccepts(Poco::Net::HTTPRequest& head, const std::string& bytes) {
  std::istringstream in(bytes);
  try {
    head.read(in);
    if (!head.getChunkedTransferEncoding() && head.hasContentLength()) (void)head.getContentLength64();
  } catch (const Poco::Exception&) {
    return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(hub::fuzz::text(data, size));
  Poco::Net::HTTPRequest head;
  if (!pocoAccepts(head, bytes)) return 0;
  const hub::http::RequestHead h = hub::http::readRequestHead(head, kMaxBody);
  const std::string& id = h.request.request_id;
  FUZZ_CHECK(!id.empty() && id.size() <= 64);
  for (char c : id) FUZZ_CHECK(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.');
  FUZZ_CHECK(h.request.method == head.getMethod());
  if (h.refusal) {
    FUZZ_CHECK(h.refusal->status == 400 || h.refusal->status == 413);
    FUZZ_CHECK(h.refusal->body.find("\"error\"") != std::string::npos);
  }
  FUZZ_CHECK(!h.close_after || h.refusal);
  return 0;
}
