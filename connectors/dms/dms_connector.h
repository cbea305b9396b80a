#pragma once
// `dms`: the DMS core's open API (README.md) — sources for customers,
// products, orders, stock and invoices (cursor paging from the engine's
// since), batch-upsert sinks for the same five plus `order_status`, and
// change-webhook decoding.
#include "connectors/spi/connector.h"

namespace hub::connector::dms {

ConnectorType connectorType();

}  // namespace hub::connector::dms
