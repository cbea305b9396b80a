#include "hub/http/server.h"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>

#include <chrono>
#include <thread>

#include "hub/core/log.h"
#include "hub/core/redaction.h"
#include "hub/http/request_head.h"

namespace hub::http {

struct HttpServer::Exchange {
  Poco::Net::HTTPServerRequest& request;
  Poco::Net::HTTPServerResponse& response;
};

namespace {

class Dispatch final : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Dispatch(HttpServer& server) : server_(server) {}
  void handleRequest(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& res) override {
    HttpServer::Exchange ex{req, res};
    server_.serve(ex);
  }

 private:
  HttpServer& server_;
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(HttpServer& server) : server_(server) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new Dispatch(server_);
  }

 private:
  HttpServer& server_;
};

// Reads at most limit+1 bytes so an oversized chunked body is never buffered whole.
bool readBody(std::istream& in, std::size_t limit, std::string& out) {
  char buf[16384];
  while (in) {
    in.read(buf, sizeof buf);
    const auto n = static_cast<std::size_t>(in.gcount());
    if (n == 0) break;
    if (out.size() + n > limit) return false;
    out.append(buf, n);
  }
  return true;
}

}  // namespace

struct HttpServer::Impl {
  Poco::ThreadPool pool;
  std::unique_ptr<Poco::Net::HTTPServer> plain;
  std::unique_ptr<Poco::Net::HTTPServer> secure;
  int port = 0;
  int tlsPort = 0;
  explicit Impl(int threads) : pool(2, std::max(threads, 2) * 2) {}
};

HttpServer::HttpServer(ServerOptions options, std::shared_ptr<const Router> router)
    : impl_(std::make_unique<Impl>(options.threads)), options_(std::move(options)), router_(std::move(router)) {}

HttpServer::~HttpServer() { stop(0); }

void HttpServer::setRouter(std::shared_ptr<const Router> router) {
  std::lock_guard lock(routerMutex_);
  router_ = std::move(router);
}

int HttpServer::port() const { return impl_->port; }
int HttpServer::tlsPort() const { return impl_->tlsPort; }

void HttpServer::start() {
  auto params = [&] {
    auto* p = new Poco::Net::HTTPServerParams;
    p->setMaxThreads(options_.threads);
    p->setMaxQueued(256);
    p->setKeepAlive(true);
    p->setKeepAliveTimeout(Poco::Timespan(options_.keep_alive_timeout * 1000));
    p->setTimeout(Poco::Timespan(30, 0));
    return Poco::Net::HTTPServerParams::Ptr(p);
  };
  try {
    // Poco's address constructor also sets SO_REUSEPORT, which would let a second
    // hub share the port silently; bind explicitly without it.
    Poco::Net::ServerSocket socket;
    socket.bind(Poco::Net::SocketAddress(options_.host, static_cast<Poco::UInt16>(options_.port)), true, false);
    socket.listen(128);
    impl_->port = socket.address().port();
    impl_->plain = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), impl_->pool, socket, params());
  } catch (const Poco::Exception& e) {
    throw std::runtime_error("cannot listen on " + options_.host + ":" + std::to_string(options_.port) + ": " +
                             e.displayText());
  }
  if (options_.tls) {
    const auto& t = *options_.tls;
    try {
      Poco::Net::Context::Ptr context = new Poco::Net::Context(
          Poco::Net::Context::TLS_SERVER_USE, t.key_file, t.cert_file, "", Poco::Net::Context::VERIFY_NONE, 9, false,
          "HIGH:!aNULL:!MD5:!RC4");
      context->disableProtocols(Poco::Net::Context::PROTO_SSLV2 | Poco::Net::Context::PROTO_SSLV3 |
                                Poco::Net::Context::PROTO_TLSV1 | Poco::Net::Context::PROTO_TLSV1_1);
      Poco::Net::SecureServerSocket socket(context);
      socket.bind(Poco::Net::SocketAddress(t.host, static_cast<Poco::UInt16>(t.port)), true, false);
      socket.listen(128);
      impl_->tlsPort = socket.address().port();
      impl_->secure = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), impl_->pool, socket, params());
    } catch (const Poco::Exception& e) {
      impl_->plain.reset();
      throw std::runtime_error("cannot start TLS listener on " + t.host + ":" + std::to_string(t.port) + ": " +
                               e.displayText());
    }
  }
  impl_->plain->start();
  if (impl_->secure) impl_->secure->start();
}

bool HttpServer::stop(Millis deadline) {
  if (!impl_->plain && !impl_->secure) return true;
  for (auto* s : {impl_->plain.get(), impl_->secure.get()})
    if (s) s->stopAll(false);
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(deadline);
  while (inFlight_.load() > 0 && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  const bool clean = inFlight_.load() == 0;
  for (auto* s : {impl_->plain.get(), impl_->secure.get()})
    if (s) s->stopAll(true);
  impl_->pool.joinAll();
  impl_->plain.reset();
  impl_->secure.reset();
  return clean;
}

void HttpServer::serve(Exchange& ex) {
  ++inFlight_;
  const auto started = std::chrono::steady_clock::now();
  RequestHead head = readRequestHead(ex.request, options_.max_body_bytes);
  Request req = std::move(head.request);
  req.remote = ex.request.clientAddress().toString();
  Response res;
  bool closeAfter = head.close_after;
  if (head.refusal) {
    res = std::move(*head.refusal);
  } else if (!readBody(ex.request.stream(), options_.max_body_bytes, req.body)) {
    res = Response::error(413, "request body exceeds " + std::to_string(options_.max_body_bytes) + " bytes");
    closeAfter = true;
  }
  if (res.body.empty()) {
    std::shared_ptr<const Router> router;
    {
      std::lock_guard lock(routerMutex_);
      router = router_;
    }
    try {
      res = router ? router->dispatch(req) : Response::error(503, "starting");
    } catch (const std::exception& e) {
      log::error("http_handler_failed", {{"request_id", req.request_id}, {"path", req.path}, {"error", e.what()}});
      res = Response::error(500, "internal error", {{"request_id", req.request_id}});
    }
  }
  ex.response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(res.status));
  ex.response.setReason(reasonPhrase(res.status));
  for (const auto& [k, v] : res.headers) ex.response.set(k, v);
  ex.response.set("X-Request-Id", req.request_id);
  if (closeAfter) ex.response.setKeepAlive(false);
  ex.response.setContentType(res.content_type);
  ex.response.setContentLength64(static_cast<Poco::Int64>(res.body.size()));
  try {
    auto& out = ex.response.send();
    if (req.method != "HEAD") out.write(res.body.data(), static_cast<std::streamsize>(res.body.size()));
    out.flush();
  } catch (const std::exception&) {
    // The client went away; the log line below still records the outcome.
  }
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  log::info("http_request", {{"method", req.method},
                             {"path", req.path},
                             {"status", res.status},
                             {"ms", static_cast<double>(static_cast<long long>(ms * 100)) / 100},
                             {"request_id", req.request_id}});
  if (options_.on_request) options_.on_request(req.method, res.status);
  --inFlight_;
}

}  // namespace hub::http
