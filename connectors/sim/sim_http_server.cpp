#include "connectors/sim/sim_http_server.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>
#include <strings.h>

#include <chrono>
#include <stdexcept>

namespace hub::sim {

bool NoCaseLess::operator()(const std::string& a, const std::string& b) const {
  return strcasecmp(a.c_str(), b.c_str()) < 0;
}

std::string SimRequest::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

std::string SimRequest::cookie(const std::string& name) const {
  const std::string all = header("Cookie");
  std::size_t pos = 0;
  while (pos < all.size()) {
    std::size_t end = all.find(';', pos);
    if (end == std::string::npos) end = all.size();
    std::string part = all.substr(pos, end - pos);
    while (!part.empty() && part.front() == ' ') part.erase(0, 1);
    const auto eq = part.find('=');
    if (eq != std::string::npos && part.substr(0, eq) == name) return part.substr(eq + 1);
    pos = end + 1;
  }
  return "";
}

SimResponse SimResponse::json(int status, std::string body) {
  SimResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

namespace {

class Dispatch final : public Poco::Net::HTTPRequestHandler {
 public:
  Dispatch(const SimHandler& handler, SimHttpServer& server) : handler_(handler), server_(server) {}
  void handleRequest(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out) override {
    SimRequest req;
    req.method = in.getMethod();
    const std::string& uri = in.getURI();
    const auto q = uri.find('?');
    req.path = uri.substr(0, q);
    if (q != std::string::npos) req.query = uri.substr(q + 1);
    for (const auto& [k, v] : in) {
      auto [it, fresh] = req.headers.emplace(k, v);
      if (!fresh) it->second += ", " + v;
    }
    std::istream& body = in.stream();
    req.body.assign(std::istreambuf_iterator<char>(body), std::istreambuf_iterator<char>());
    SimResponse res;
    try {
      res = handler_(req);
    } catch (const std::exception& e) {
      res = SimResponse::json(500, std::string("{\"error\":\"simulator failed: ") + e.what() + "\"}");
    }
    if (res.delay_ms > 0 && !server_.pause(res.delay_ms)) res.drop = true;
    if (res.drop) {
      // Close our side first: Poco answers 500 to a handler that throws
      // before sending, and a dropped connection must carry no answer at all.
      static_cast<Poco::Net::HTTPServerRequestImpl&>(in).socket().shutdown();
      throw Poco::Net::ConnectionAbortedException("simulated drop");
    }
    out.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(res.status));
    for (const auto& [k, v] : res.headers) out.add(k, v);
    out.setContentType(res.content_type);
    out.setContentLength64(static_cast<Poco::Int64>(res.body.size()));
    if (res.cut_body) {
      auto& stream = out.send();
      stream.write(res.body.data(), static_cast<std::streamsize>(res.body.size() / 2));
      stream.flush();
      throw Poco::Net::ConnectionAbortedException("simulated reset mid-body");
    }
    try {
      out.send().write(res.body.data(), static_cast<std::streamsize>(res.body.size()));
    } catch (const std::exception&) {
      // The client gave up (its timeout); nothing to tell it.
    }
  }

 private:
  const SimHandler& handler_;
  SimHttpServer& server_;
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Factory(const SimHandler& handler, SimHttpServer& server) : handler_(handler), server_(server) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new Dispatch(handler_, server_);
  }

 private:
  const SimHandler& handler_;
  SimHttpServer& server_;
};

}  // namespace

struct SimHttpServer::Impl {
  explicit Impl(int threads) : pool(2, threads + 2) {}
  Poco::ThreadPool pool;
  std::unique_ptr<Poco::Net::HTTPServer> server;
};

SimHttpServer::SimHttpServer(SimHandler handler, std::string host, int port, int threads)
    : handler_(std::move(handler)), host_(std::move(host)), port_(port), threads_(threads),
      impl_(std::make_unique<Impl>(threads)) {}

SimHttpServer::~SimHttpServer() { stop(); }

void SimHttpServer::start() {
  try {
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress(host_, static_cast<Poco::UInt16>(port_)));
    port_ = socket.address().port();
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(threads_);
    params->setKeepAlive(true);
    params->setTimeout(Poco::Timespan(30, 0));
    impl_->server = std::make_unique<Poco::Net::HTTPServer>(new Factory(handler_, *this), impl_->pool, socket,
                                                            Poco::Net::HTTPServerParams::Ptr(params));
    impl_->server->start();
  } catch (const Poco::Exception& e) {
    throw std::runtime_error("cannot listen on " + host_ + ":" + std::to_string(port_) + ": " + e.displayText());
  }
}

void SimHttpServer::stop() {
  if (!impl_->server) return;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  impl_->server->stopAll(true);
  impl_->pool.joinAll();
  impl_->server.reset();
}

bool SimHttpServer::pause(std::int64_t ms) {
  std::unique_lock lock(mutex_);
  return !wake_.wait_for(lock, std::chrono::milliseconds(ms), [&] { return stopping_.load(); });
}

std::string SimHttpServer::url() const { return "http://" + host_ + ":" + std::to_string(port_); }

}  // namespace hub::sim
