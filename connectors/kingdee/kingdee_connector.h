#pragma once
// The `kingdee` connector type: Kingdee K/3 Cloud (金蝶云星空) WebAPI.
// Sources read any form in kingdee_forms.h through ExecuteBillQuery; sinks
// write the writable ones through Save/BatchSave.
#include "connectors/spi/connector.h"

namespace hub::connector::kingdee {

ConnectorType connectorType();

}  // namespace hub::connector::kingdee
