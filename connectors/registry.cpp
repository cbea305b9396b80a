#include "connectors/spi/registry.h"

namespace hub::connector {

const Registry& builtinConnectors() {
  static const Registry registry = [] {
    Registry r;
    return r;
  }();
  return registry;
}

}  // namespace hub::connector
