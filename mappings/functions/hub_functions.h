#pragma once
// The hub's functions beside the JMESPath standard ones: exact decimals,
// strings, dates, value tables, cross-references, keys. README.md lists them.
#include <vector>

#include "mappings/functions/hub_host.h"
#include "mappings/jmespath/jmespath.h"

namespace hub::mapping {

// Standard + hub functions; evaluate with a HubHost (or no host at all, when
// map_value, xref and root() are not used).
const jmes::FunctionRegistry& hubFunctions();
void registerHubFunctions(jmes::FunctionRegistry& registry);

// Load-time checks of literal arguments: value-table names, date patterns,
// rounding modes, xref's 4th argument, uuid5 namespaces. Errors carry columns.
std::vector<jmes::Error> checkHubCalls(const jmes::Expression& e, const ValueTables& tables);

}  // namespace hub::mapping
