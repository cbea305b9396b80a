#include "mappings/functions/hub_functions.h"

#include "hub/core/suggest.h"
#include "mappings/functions/datetime.h"
#include "mappings/functions/support.h"
#include "mappings/jmespath/utf8.h"

namespace hub::mapping {

void registerHubFunctions(jmes::FunctionRegistry& r) {
  fn::registerDecimalFunctions(r);
  fn::registerStringFunctions(r);
  fn::registerDateFunctions(r);
  fn::registerLookupFunctions(r);
}

const jmes::FunctionRegistry& hubFunctions() {
  static const jmes::FunctionRegistry registry = [] {
    jmes::FunctionRegistry r = jmes::FunctionRegistry::standard();
    registerHubFunctions(r);
    return r;
  }();
  return registry;
}

namespace {

using jmes::Node;
using jmes::NodeKind;

const std::string* literalString(const Node& call, std::size_t i) {
  if (call.children.size() <= i) return nullptr;
  const Node& n = *call.children[i];
  if (n.kind != NodeKind::Literal || !n.literal.is_string()) return nullptr;
  return &n.literal.get_ref<const std::string&>();
}

std::optional<std::string> checkCall(const Node& n, const ValueTables& tables, std::size_t& badArg) {
  const std::string& f = n.name;
  if (f == "map_value") {
    badArg = 0;
    const std::string* table = literalString(n, 0);
    if (!table) return "map_value() argument 1 must be a table name in quotes, like map_value('units', unit)";
    if (tables.find(*table) == tables.end()) {
      std::vector<std::string> names;
      for (const auto& [name, _] : tables) names.push_back(name);
      return "unknown value table '" + *table + "'" + didYouMean(*table, names) +
             (names.empty() ? " (the mapping declares no tables)" : "");
    }
  } else if (f == "date_parse" || f == "date_format") {
    if (const std::string* p = literalString(n, 1)) {
      badArg = 1;
      if (auto e = dt::checkPattern(*p, f == "date_parse")) return f + "() pattern: " + *e;
    }
    if (const std::string* z = literalString(n, 2); z && !dt::findZone(*z)) {
      badArg = 2;
      return "unknown time zone '" + *z + "'";
    }
  } else if (f == "round") {
    if (const std::string* m = literalString(n, 2); m && !parseRoundingMode(*m)) {
      badArg = 2;
      return "unknown rounding mode '" + *m + "' (half_up, half_even, down, up, floor, ceiling)";
    }
  } else if (f == "xref") {
    if (const std::string* w = literalString(n, 3); w && *w != "id" && *w != "number") {
      badArg = 3;
      return "xref() argument 4 must be 'id' or 'number', got '" + *w + "'";
    }
  } else if (f == "uuid5") {
    if (const std::string* ns = literalString(n, 0)) {
      badArg = 0;
      if (auto e = fn::checkUuidNamespace(*ns)) return "uuid5() namespace: " + *e;
    }
  } else if (f == "pad_left" || f == "pad_right") {
    if (const std::string* p = literalString(n, 2); p && jmes::utf8::length(*p) != 1) {
      badArg = 2;
      return f + "() padding must be one character, got '" + *p + "'";
    }
  }
  return std::nullopt;
}

void walk(const Node& n, const ValueTables& tables, const std::string& text, std::vector<jmes::Error>& out) {
  if (n.kind == NodeKind::Function) {
    std::size_t bad = 0;
    if (auto message = checkCall(n, tables, bad)) {
      const std::uint32_t pos = bad < n.children.size() ? n.children[bad]->pos : n.pos;
      out.push_back(jmes::errorAt(jmes::ErrorKind::InvalidValue, *message, text, pos));
    }
  }
  for (const auto& c : n.children) walk(*c, tables, text, out);
}

}  // namespace

std::vector<jmes::Error> checkHubCalls(const jmes::Expression& e, const ValueTables& tables) {
  std::vector<jmes::Error> out;
  walk(e.root(), tables, e.text(), out);
  return out;
}

}  // namespace hub::mapping
