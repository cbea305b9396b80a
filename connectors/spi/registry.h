#pragma once
// Connector types by name. connectors/registry.cpp adds one line per type.
#include <string>
#include <vector>

#include "connectors/spi/connector.h"

namespace hub::connector {

class Registry {
 public:
  void add(ConnectorType type);
  const ConnectorType* find(const std::string& name) const;
  std::vector<std::string> names() const;
  const std::vector<ConnectorType>& types() const { return types_; }

 private:
  std::vector<ConnectorType> types_;
};

// Every connector type compiled into this hub.
const Registry& builtinConnectors();

}  // namespace hub::connector
