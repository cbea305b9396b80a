#include "connectors/spi/registry.h"

#include "connectors/kingdee/kingdee_connector.h"

namespace hub::connector {

const Registry& builtinConnectors() {
  static const Registry registry = [] {
    Registry r;
    r.add(kingdee::connectorType());
    return r;
  }();
  return registry;
}

}  // namespace hub::connector
