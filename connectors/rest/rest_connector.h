#pragma once
// `rest`: any JSON-over-HTTP API, configured per instance (base URL, auth,
// timeouts, TLS) and per flow (paths, paging, where records and results live).
#include "connectors/spi/connector.h"

namespace hub::connector::rest {

ConnectorType connectorType();

}  // namespace hub::connector::rest
