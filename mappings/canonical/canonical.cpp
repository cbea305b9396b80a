#include "mappings/canonical/canonical.h"

#include <map>

#include "hub/core/suggest.h"

namespace hub::mapping {

namespace detail {
// Generated from mappings/schemas/*.schema.json by mappings/CMakeLists.txt.
extern const std::vector<std::pair<std::string_view, std::string_view>> kCanonicalSchemas;
}  // namespace detail

namespace {

const std::map<std::string, JsonSchema, std::less<>>& compiled() {
  static const auto schemas = [] {
    std::map<std::string, JsonSchema, std::less<>> out;
    for (const auto& [name, text] : detail::kCanonicalSchemas) {
      auto s = JsonSchema::compile(nlohmann::json::parse(text));
      // The shipped schemas are tested; a broken one is a build defect.
      if (!s) throw std::logic_error("canonical schema " + std::string(name) + ": " + s.error());
      out.emplace(std::string(name), std::move(*s));
    }
    return out;
  }();
  return schemas;
}

}  // namespace

std::vector<std::string> canonicalEntities() {
  std::vector<std::string> out;
  for (const auto& [name, _] : compiled()) out.push_back(name);
  return out;
}

std::string_view canonicalSchemaText(std::string_view entity) {
  for (const auto& [name, text] : detail::kCanonicalSchemas)
    if (name == entity) return text;
  return {};
}

std::vector<SchemaProblem> validateCanonical(std::string_view entity, const nlohmann::json& document) {
  const auto& schemas = compiled();
  auto it = schemas.find(entity);
  if (it == schemas.end())
    return {{"", "unknown canonical entity '" + std::string(entity) + "'" + didYouMean(entity, canonicalEntities())}};
  return it->second.validate(document);
}

}  // namespace hub::mapping
