#pragma once
// What the hub functions need while one record is mapped: value tables, the
// cross-reference lookup, the clock and zone, the for_each scopes, and where
// problems go (an unresolved xref is a problem, not a silent null).
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "hub/core/time.h"
#include "mappings/engine/xref.h"
#include "mappings/jmespath/functions.h"

namespace date {
class time_zone;
}

namespace hub::mapping {

using ValueTable = std::map<std::string, nlohmann::json, std::less<>>;
using ValueTables = std::map<std::string, ValueTable, std::less<>>;

struct MissingReference {
  std::string entity, system, id;
  bool operator==(const MissingReference&) const = default;
};

// A problem a function found; the engine adds the target path.
struct FunctionProblem {
  std::string kind;  // unknown_code | unresolved_reference
  std::string message;
  nlohmann::json source_value;
};

class HubHost : public jmes::EvalHost {
 public:
  const ValueTables* tables = nullptr;
  const XrefLookup* xref = nullptr;
  const std::function<hub::Millis()>* now = nullptr;  // system clock when null or empty
  const date::time_zone* zone = nullptr;  // Asia/Shanghai when null

  struct Scope {
    jmes::Value item;
    std::int64_t index = -1;  // position in the for_each array; -1 for the record itself
  };
  std::vector<Scope> scopes;  // scopes[0] is the record

  std::vector<FunctionProblem> problems;
  std::vector<MissingReference> missing;

  // map_value() names its table with a literal, whose text stays put: remember
  // tables by that address rather than searching by name on every call.
  struct TableHint {
    const char* name = nullptr;
    const ValueTable* table = nullptr;
  };
  TableHint tableHints[8];
};

}  // namespace hub::mapping
