#pragma once
// Failures a connector reports for a whole call. Whether the engine retries
// is decided by the type, never by parsing the message.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

namespace hub::connector {

class ConnectorError : public std::runtime_error {
 public:
  ConnectorError(std::string errorType, const std::string& message, int httpStatus = 0)
      : std::runtime_error(message), error_type(std::move(errorType)), http_status(httpStatus) {}
  std::string error_type;  // http_503, timeout, connection, auth, validation, ...
  int http_status = 0;
  std::string response_excerpt;
};

// Try again later: timeouts, refused connections, 5xx, 429, expired sessions.
class RetryableError : public ConnectorError {
 public:
  using ConnectorError::ConnectorError;
  std::optional<std::int64_t> retry_after_ms;
  bool ambiguous = false;  // the request was sent and may have taken effect
};

// Trying again cannot help: bad credentials, validation errors, unknown objects.
class PermanentError : public ConnectorError {
 public:
  using ConnectorError::ConnectorError;
};

}  // namespace hub::connector
