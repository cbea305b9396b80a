#pragma once
// Outbound HTTP for connectors (libcurl): connection reuse across calls,
// connect and total timeouts, TLS verification on unless a connector's config
// says otherwise. Transport failures are thrown as the SPI's typed errors so
// the engine's retry decision never parses a message:
//   refused/unreachable -> RetryableError (not ambiguous: nothing was sent)
//   timeout, reset, empty reply after sending -> RetryableError, ambiguous
//   TLS verification failure -> PermanentError (retrying cannot fix a certificate)
//   the hub's shutdown deadline: before the call -> RetryableError "stopping"
//   (nothing was sent); during it -> "aborted", ambiguous
// Built from a ConnectorContext, every call first waits for the instance's
// rate limit (ConnectorContext::pace), so the limit holds for pulls, pushes and
// every call a connector makes in between (logins, look-ups).
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "connectors/spi/connector.h"
#include "connectors/spi/record.h"

namespace hub::connector::http {

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // in arrival order, names as sent
  std::string body;
  double seconds = 0;

  std::string header(std::string_view name) const;  // case-insensitive; last value wins
  std::vector<std::string> headerValues(std::string_view name) const;
};

struct ClientOptions {
  Millis connect_timeout = 5000;
  Millis timeout = 30000;
  bool verify_tls = true;
  std::string ca_file;  // empty = the system bundle
  std::string user_agent = "dms-integration-hub/0.1";
};

// Retry-After values above this are read as this: a server cannot park a record for years.
constexpr Millis kMaxRetryAfter = 86400000;

class HttpClient {
 public:
  explicit HttpClient(ClientOptions options, std::function<void(const HttpObservation&)> observe = {});
  // Observed, paced and abortable as the hub lends it to the connector instance.
  HttpClient(ClientOptions options, const ConnectorContext& context);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;

  // `endpoint` labels the call in metrics and errors (never the full URL:
  // queries can carry credentials).
  HttpResponse send(const HttpRequest& request, std::string_view endpoint);

 private:
  struct Pool;
  std::unique_ptr<Pool> pool_;
  ClientOptions options_;
  std::function<void(const HttpObservation&)> observe_;
  std::function<bool()> pace_;
  std::function<bool()> aborted_;
};

// Shared classification of an HTTP status: 2xx delivered; 408, 425, 429 and
// 5xx retry; other 4xx permanent (validation errors do not improve with time).
Disposition classifyStatus(int status);

// Retry-After as delay from `now`: delta-seconds or an HTTP-date, at most
// kMaxRetryAfter; nothing when it is neither.
std::optional<Millis> parseRetryAfter(std::string_view value, Millis now);

// The first `limit` bytes of a body, for dead letters and error messages.
std::string excerpt(std::string_view body, std::size_t limit = 512);

// Percent-encodes for query strings (RFC 3986 unreserved kept).
std::string urlEncode(std::string_view text);

}  // namespace hub::connector::http
