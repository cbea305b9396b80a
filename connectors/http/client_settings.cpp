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

}  // namespace hub::connector::http
