#pragma once
// The hub's HTTP listener (Poco::Net::HTTPServer), plain and optionally TLS.
// Every request gets an id (X-Request-Id, taken from the caller when sane),
// a body limit enforced before buffering (413), JSON errors, and one JSON log
// line: method, path, status, milliseconds, request id.
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "hub/core/time.h"
#include "hub/http/router.h"

namespace hub::http {

struct TlsOptions {
  std::string host = "0.0.0.0";
  int port = 0;
  std::string cert_file;
  std::string key_file;
};

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0 = any free port (tests)
  std::size_t max_body_bytes = 1 << 20;
  int threads = 8;
  Millis keep_alive_timeout = 5000;
  std::optional<TlsOptions> tls;
  // Called once per answered request (metrics).
  std::function<void(const std::string& method, int status)> on_request;
};

class HttpServer {
 public:
  HttpServer(ServerOptions options, std::shared_ptr<const Router> router);
  ~HttpServer();

  void start();  // throws std::runtime_error naming the address when it cannot listen
  int port() const;
  int tlsPort() const;
  void setRouter(std::shared_ptr<const Router> router);

  // Stops accepting; requests in progress get until `deadline` to finish, then
  // their connections are aborted. Returns true when all finished in time.
  bool stop(Millis deadline);
  int inFlight() const { return inFlight_.load(); }

  // Reads, routes and answers one request (the Poco handler calls this).
  struct Exchange;
  void serve(Exchange& exchange);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  ServerOptions options_;
  mutable std::mutex routerMutex_;
  std::shared_ptr<const Router> router_;
  std::atomic<int> inFlight_{0};
};

}  // namespace hub::http
