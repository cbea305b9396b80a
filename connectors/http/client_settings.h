#pragma once
// The timeouts every HTTP connector's instance block takes for its client:
// defaults from ClientOptions, ranges a call can sensibly wait within.
#include "connectors/spi/settings_spec.h"

namespace hub::connector::http {

Field connectTimeoutField();  // connect_timeout
Field timeoutField();         // timeout: the whole call

}  // namespace hub::connector::http
