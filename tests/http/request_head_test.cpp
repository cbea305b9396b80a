// readRequestHead on heads read from bytes, as the server's connection reads
// them: no socket.
#include "hub/http/request_head.h"

#include <Poco/Net/HTTPRequest.h>
#include <gtest/gtest.h>

#include <sstream>

namespace hub::http {
namespace {

RequestHead headOf(const std::string& bytes, std::size_t maxBody = 1024) {
  std::istringstream in(bytes);
  Poco::Net::HTTPRequest request;
  request.read(in);
  return readRequestHead(request, maxBody);
}

TEST(RequestHead, PathQueryHeadersAndTheCallersRequestId) {
  const auto h = headOf("GET /api/v1/flows/%E8%AE%A2%E5%8D%95?limit=10&state=failed HTTP/1.1\r\n"
                        "Host: hub\r\nX-Request-Id: trace-42\r\n\r\n");
  EXPECT_FALSE(h.refusal);
  EXPECT_EQ(h.request.method, "GET");
  EXPECT_EQ(h.request.path, "/api/v1/flows/订单");
  EXPECT_EQ(h.request.query.at("state"), "failed");
  EXPECT_EQ(h.request.header("host"), "hub");
  EXPECT_EQ(h.request.request_id, "trace-42");
}

TEST(RequestHead, AnUnsafeRequestIdIsReplaced) {
  const auto h = headOf("GET / HTTP/1.1\r\nX-Request-Id: bad id <script>\r\n\r\n");
  EXPECT_EQ(h.request.request_id.size(), 16u);
}

TEST(RequestHead, AMalformedUriIsA400) {
  const auto h = headOf("GET /a%zz HTTP/1.1\r\n\r\n");
  ASSERT_TRUE(h.refusal);
  EXPECT_EQ(h.refusal->status, 400);
  EXPECT_EQ(h.request.path, "/a%zz");
}

TEST(RequestHead, ADeclaredBodyOverTheLimitIsA413AndClosesTheConnection) {
  const auto h = headOf("POST /echo HTTP/1.1\r\nContent-Length: 1025\r\n\r\n");
  ASSERT_TRUE(h.refusal);
  EXPECT_EQ(h.refusal->status, 413);
  EXPECT_TRUE(h.close_after);
  EXPECT_FALSE(headOf("POST /echo HTTP/1.1\r\nContent-Length: 1024\r\n\r\n").refusal);
}

// Found by fuzz/http_request_head.cpp (fuzz/crashers/http_request_head): with
// a chunked body Poco leaves Content-Length unparsed, and its SyntaxException
// escaped the handler.
TEST(RequestHead, AContentLengthThatIsNotALengthIsA400) {
  for (const char* value : {"abc", "12x", "-5"}) {
    const auto h = headOf(std::string("POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: ") + value +
                          "\r\n\r\n");
    ASSERT_TRUE(h.refusal) << value;
    EXPECT_EQ(h.refusal->status, 400) << value;
    EXPECT_TRUE(h.close_after) << value;
  }
}

}  // namespace
}  // namespace hub::http
