#pragma once
// The loaded form of a mapping document (internal to the engine).
#include <optional>
#include <string>
#include <vector>

#include "mappings/engine/field_type.h"
#include "mappings/engine/mapping.h"
#include "mappings/jmespath/jmespath.h"

namespace hub::mapping::detail {

struct FieldNode {
  enum class Kind { Value, Object, Array };
  Kind kind = Kind::Value;
  std::string key;                          // name at its level
  std::optional<jmes::Expression> expr;     // Value: the expression; Array: for_each
  std::optional<nlohmann::json> constant;   // Value given as `value:` (already converted)
  FieldType type;
  bool required = false;
  std::optional<nlohmann::json> fallback;   // `default:` (already converted)
  std::vector<FieldNode> children;          // Object / Array element fields, sorted by key
  hub::SourceLocation where;
};

struct CompiledMapping {
  std::string file, name, version, description;
  Endpoint source, target;
  std::string timezone;                     // empty: the context's default
  const date::time_zone* zone = nullptr;
  ValueTables tables;
  std::vector<FieldNode> fields;            // sorted by key
};

tl::expected<std::shared_ptr<const CompiledMapping>, hub::Problems> compileMapping(const std::string& yaml,
                                                                                  const std::string& file);

}  // namespace hub::mapping::detail
