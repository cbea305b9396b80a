#pragma once
// A small JSON Schema validator for the subset the canonical entity schemas
// use: type, required, properties, additionalProperties, items, enum, const,
// minimum, maximum, minLength, maxLength, minItems, pattern, format
// (date, date-time) and $ref to "#/$defs/...". Debian has no C++ validator;
// unsupported keywords are refused when a schema is compiled, so a schema
// never silently means less than it says.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

namespace hub::mapping {

struct SchemaProblem {
  std::string path;  // "lines[3].qty"; "" for the document itself
  std::string message;
};

class JsonSchema {
 public:
  // The error names the offending schema location and keyword.
  static tl::expected<JsonSchema, std::string> compile(const nlohmann::json& schema);
  std::vector<SchemaProblem> validate(const nlohmann::json& document) const;

  struct Node;

 private:
  std::shared_ptr<const Node> root_;  // shares ownership of all nodes of the schema
};

}  // namespace hub::mapping
