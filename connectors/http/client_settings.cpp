#include "connectors/http/client_settings.h"

#include "connectors/http/http_client.h"
#include "hub/core/time.h"

namespace hub::connector::http {

Field connectTimeoutField() {
  return Field::duration("connect_timeout").byDefault(ClientOptions{}.connect_timeout).range(100, 5 * kMinuteMs)
      .describe("how long to wait for the connection");
}

Field timeoutField() {
  return Field::duration("timeout").byDefault(ClientOptions{}.timeout).range(100, kHourMs)
      .describe("whole call, connect to last byte");
}

std::optional<std::string> baseUrlProblem(const std::string& url) {
  if (url.empty()) return std::nullopt;
  for (const std::string_view scheme : {"http://", "https://"}) {
    if (url.rfind(scheme, 0) != 0) continue;
    const std::string_view rest = std::string_view(url).substr(scheme.size());
    if (rest.empty() || rest.front() == '/') return "'" + url + "' names no host";
    return std::nullopt;
  }
  return "must start with http:// or https://, not '" + url + "'";
}

std::string trimBaseUrl(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace hub::connector::http
