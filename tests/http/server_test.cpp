#include "hub/http/server.h"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <thread>

#include "hub/core/log.h"
#include "tests/support/http_client.h"
#include "tests/support/temp_dir.h"

namespace hub::http {
namespace {

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log::setSink([this](std::string_view line) {
      std::lock_guard lock(mutex);
      lines.emplace_back(line);
    });
    auto router = std::make_shared<Router>();
    router->add({"GET", "/hello/{who}", "greet", "", "t"},
                [](Request& r) { return Response::json(200, {{"hello", r.params["who"]}}); });
    router->add({"POST", "/echo", "echo", "", "t"}, [](Request& r) { return Response::text(200, r.body); });
    router->add({"GET", "/boom", "fails", "", "t"}, [](Request&) -> Response { throw std::runtime_error("kaput"); });
    router->add({"GET", "/slow", "slow", "", "t"}, [](Request&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      return Response::json(200, {{"slow", true}});
    });
    ServerOptions o;
    o.max_body_bytes = 1024;
    server = std::make_unique<HttpServer>(o, router);
    server->start();
    base = "http://127.0.0.1:" + std::to_string(server->port());
  }
  void TearDown() override {
    server->stop(1000);
    log::resetSink();
  }
  std::vector<std::string> logLines() {
    std::lock_guard lock(mutex);
    return lines;
  }

  std::unique_ptr<HttpServer> server;
  std::string base;
  std::mutex mutex;
  std::vector<std::string> lines;
};

TEST_F(ServerTest, RoutesWithPathParametersOverRealSockets) {
  const auto r = test::httpRequest("GET", base + "/hello/%E7%BB%8F%E9%94%80%E5%95%86");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(nlohmann::json::parse(r.body)["hello"], "经销商");
}

TEST_F(ServerTest, UnknownRouteIsJson404) {
  const auto r = test::httpRequest("GET", base + "/missing");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.headers.at("content-type"), "application/json");
  EXPECT_TRUE(nlohmann::json::parse(r.body).contains("error"));
}

TEST_F(ServerTest, WrongMethodIsJson405) {
  const auto r = test::httpRequest("DELETE", base + "/echo");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.headers.at("allow"), "POST");
  EXPECT_TRUE(nlohmann::json::parse(r.body).contains("error"));
}

TEST_F(ServerTest, BodyOverTheLimitIsJson413) {
  const auto r = test::httpRequest("POST", base + "/echo", std::string(1025, 'x'));
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(nlohmann::json::parse(r.body)["error"], "request body exceeds 1024 bytes");
}

TEST_F(ServerTest, BodyAtTheLimitIsAccepted) {
  const auto r = test::httpRequest("POST", base + "/echo", std::string(1024, 'x'));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body.size(), 1024u);
}

TEST_F(ServerTest, ChunkedBodyOverTheLimitIsRefusedWithoutBufferingItAll) {
  const auto r = test::httpRequest("POST", base + "/echo", std::string(5000, 'y'), {{"Transfer-Encoding", "chunked"}});
  EXPECT_EQ(r.status, 413);
}

// Found by fuzz/http_request_head.cpp: this head ended the handler with an
// exception, so no answer, no log line, and stop() waited its whole deadline.
TEST_F(ServerTest, ChunkedBodyWithAContentLengthThatIsNotANumberIsA400) {
  Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(server->port())));
  const std::string head = "POST /echo HTTP/1.1\r\nHost: hub\r\nTransfer-Encoding: chunked\r\nContent-Length: abc\r\n\r\n";
  socket.sendBytes(head.data(), static_cast<int>(head.size()));
  socket.setReceiveTimeout(Poco::Timespan(5, 0));
  std::string answer;
  char buf[1024];
  for (int n; (n = socket.receiveBytes(buf, sizeof buf)) > 0;) answer.append(buf, static_cast<std::size_t>(n));
  EXPECT_EQ(answer.rfind("HTTP/1.1 400", 0), 0u) << answer;
  EXPECT_NE(answer.find("Content-Length must be a number of bytes"), std::string::npos) << answer;
  for (int i = 0; i < 100 && server->inFlight() > 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(server->inFlight(), 0);
}

TEST_F(ServerTest, HandlerExceptionIsAJson500WithoutItsMessage) {
  const auto r = test::httpRequest("GET", base + "/boom");
  EXPECT_EQ(r.status, 500);
  const auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["error"], "internal error");
  EXPECT_EQ(r.body.find("kaput"), std::string::npos);
}

TEST_F(ServerTest, RequestIdIsGeneratedOrTakenFromTheCaller) {
  const auto fresh = test::httpRequest("GET", base + "/hello/a");
  EXPECT_EQ(fresh.headers.at("x-request-id").size(), 16u);
  const auto given = test::httpRequest("GET", base + "/hello/a", "", {{"X-Request-Id", "trace-42"}});
  EXPECT_EQ(given.headers.at("x-request-id"), "trace-42");
  const auto insane = test::httpRequest("GET", base + "/hello/a", "", {{"X-Request-Id", "bad id <script>"}});
  EXPECT_NE(insane.headers.at("x-request-id"), "bad id <script>");
}

TEST_F(ServerTest, EachRequestLogsOneJsonLineWithTheEssentials) {
  test::httpRequest("GET", base + "/hello/x", "", {{"X-Request-Id", "req-7"}});
  // The line is written after the answer is sent: give the server thread a moment.
  for (int i = 0; i < 100 && logLines().empty(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  bool found = false;
  for (const auto& line : logLines()) {
    const auto doc = nlohmann::json::parse(line);
    if (doc.value("event", "") != "http_request" || doc.value("request_id", "") != "req-7") continue;
    found = true;
    EXPECT_EQ(doc["method"], "GET");
    EXPECT_EQ(doc["path"], "/hello/x");
    EXPECT_EQ(doc["status"], 200);
    EXPECT_TRUE(doc["ms"].is_number());
  }
  EXPECT_TRUE(found);
}

TEST_F(ServerTest, StopLetsARequestInProgressFinish) {
  test::HttpResult slow;
  std::thread client([&] { slow = test::httpRequest("GET", base + "/slow"); });
  while (server->inFlight() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_TRUE(server->stop(5000));
  client.join();
  EXPECT_EQ(slow.status, 200);
}

TEST_F(ServerTest, StopRefusesNewConnections) {
  server->stop(1000);
  EXPECT_ANY_THROW(test::httpRequest("GET", base + "/hello/a", "", {}, 1000));
}

TEST(TlsServerTest, ServesOverTlsWithTheConfiguredCertificate) {
  test::TempDir dir;
  const std::string key = dir.file("key.pem"), cert = dir.file("cert.pem");
  const std::string cmd = "openssl req -x509 -newkey rsa:2048 -nodes -keyout " + key + " -out " + cert +
                          " -days 1 -subj /CN=localhost >/dev/null 2>&1";
  if (std::system(cmd.c_str()) != 0) GTEST_SKIP() << "openssl command not available to make a test certificate";
  auto router = std::make_shared<Router>();
  router->add({"GET", "/healthz", "h", "", "t"}, [](Request&) { return Response::json(200, {{"tls", true}}); });
  ServerOptions o;
  o.tls = TlsOptions{"127.0.0.1", 0, cert, key};
  HttpServer server(o, router);
  server.start();
  Poco::Net::Context::Ptr ctx = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", cert,
                                                       Poco::Net::Context::VERIFY_RELAXED);
  Poco::Net::HTTPSClientSession session("127.0.0.1", static_cast<Poco::UInt16>(server.tlsPort()), ctx);
  Poco::Net::HTTPRequest req("GET", "/healthz", Poco::Net::HTTPMessage::HTTP_1_1);
  req.setHost("localhost");
  session.sendRequest(req);
  Poco::Net::HTTPResponse res;
  std::string body;
  Poco::StreamCopier::copyToString(session.receiveResponse(res), body);
  EXPECT_EQ(res.getStatus(), 200);
  EXPECT_EQ(nlohmann::json::parse(body)["tls"], true);
  server.stop(1000);
}

}  // namespace
}  // namespace hub::http
