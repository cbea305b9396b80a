#pragma once
// The timeouts every HTTP connector's instance block takes for its client:
// defaults from ClientOptions, ranges a call can sensibly wait within.
#include <optional>
#include <string>
#include <vector>

#include "connectors/spi/settings_spec.h"

namespace hub::connector::http {

Field connectTimeoutField();  // connect_timeout
Field timeoutField();         // timeout: the whole call

// The root every request URL of an instance is built on: http:// or https://
// and a host. Empty is left to the field's `require()`.
std::optional<std::string> baseUrlProblem(const std::string& url);
// `url` without its trailing slashes, so "<root>" + "/path" has one.
std::string trimBaseUrl(std::string url);

}  // namespace hub::connector::http
