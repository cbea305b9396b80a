#pragma once
// A small HTTP server for simulators of the systems the hub talks to. Unlike
// the hub's own listener it can misbehave on purpose: answer late, or take a
// request in and drop the connection without answering, which is what makes
// an outcome ambiguous for the client.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace hub::sim {

struct NoCaseLess {
  bool operator()(const std::string& a, const std::string& b) const;
};

struct SimRequest {
  std::string method;
  std::string path;   // without the query
  std::string query;  // raw, after '?'
  std::map<std::string, std::string, NoCaseLess> headers;  // repeated headers joined by ", "
  std::string body;

  std::string header(const std::string& name) const;
  // One cookie from the Cookie header; "" when absent.
  std::string cookie(const std::string& name) const;
};

struct SimResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  // may repeat (Set-Cookie)
  std::string body;
  std::string content_type = "application/json; charset=utf-8";
  std::int64_t delay_ms = 0;  // wait this long before answering (or dropping)
  bool drop = false;          // close the connection without any answer
  bool cut_body = false;      // send the head and half the body, then close (reset mid-body)

  static SimResponse json(int status, std::string body);
};

using SimHandler = std::function<SimResponse(const SimRequest&)>;

class SimHttpServer {
 public:
  SimHttpServer(SimHandler handler, std::string host = "127.0.0.1", int port = 0, int threads = 8);
  ~SimHttpServer();
  SimHttpServer(const SimHttpServer&) = delete;

  void start();  // throws std::runtime_error when it cannot listen
  void stop();   // interrupts pending delays
  int port() const { return port_; }
  std::string url() const;  // http://host:port

  // Waits up to `ms`; false when the server is stopping.
  bool pause(std::int64_t ms);

  struct Impl;

 private:
  SimHandler handler_;
  std::string host_;
  int port_;
  int threads_;
  std::unique_ptr<Impl> impl_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::atomic<bool> stopping_{false};
};

}  // namespace hub::sim
