#include "connectors/spi/registry.h"

#include "connectors/dms/dms_connector.h"
#include "connectors/file/file_connector.h"
#include "connectors/kingdee/kingdee_connector.h"
#include "connectors/rest/rest_connector.h"

namespace hub::connector {

const Registry& builtinConnectors() {
  static const Registry registry = [] {
    Registry r;
    r.add(kingdee::connectorType());
    r.add(dms::connectorType());
    r.add(rest::connectorType());
    r.add(file::connectorType());
    return r;
  }();
  return registry;
}

}  // namespace hub::connector
