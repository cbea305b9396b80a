#pragma once
// Mapping documents: one YAML file turns a record of one system into the
// document of another (README.md describes the format). Load once, validate
// everything up front (each problem with file:line:column), then apply() from
// any number of threads.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

#include "hub/core/problem.h"
#include "hub/core/time.h"
#include "mappings/engine/xref.h"
#include "mappings/functions/hub_host.h"

namespace hub::mapping {

struct MappingContext {
  const XrefLookup* xref = nullptr;               // no lookup: every xref() is unresolved
  std::function<hub::Millis()> now;               // system clock when empty
  std::string default_timezone = "Asia/Shanghai";  // a mapping's own `timezone:` wins
};

struct FieldProblem {
  std::string path;  // target field, e.g. "FSaleOrderEntry[3].FMaterialId.FNumber" (0-based)
  std::string kind;  // missing_required | conversion | unknown_code | unresolved_reference | expression
  std::string message;
  nlohmann::json source_value;
};

struct MappingResult {
  nlohmann::json document = nlohmann::json::object();  // partial when there are problems
  std::vector<FieldProblem> problems;
  std::vector<MissingReference> missing;  // unresolved xref() calls, each once

  bool ok() const { return problems.empty(); }
  // Every problem is an unresolved reference: park the record until the
  // referenced record is synchronised, rather than dead-letter it.
  bool onlyMissingReferences() const;
};

struct Endpoint {
  std::string system, entity;
};

namespace detail {
struct CompiledMapping;
}

class Mapping {
 public:
  const std::string& name() const;
  const std::string& version() const;
  const Endpoint& source() const;
  const Endpoint& target() const;
  const std::string& file() const;

  // Never throws for any record; problems come back in the result.
  MappingResult apply(const nlohmann::json& record, const MappingContext& ctx) const;
  // The same, reusing `into`'s allocations (the previous document's nodes) —
  // for loops that map many records and consume each result before the next.
  void applyInto(const nlohmann::json& record, const MappingContext& ctx, MappingResult& into) const;

 private:
  friend class MappingCatalog;
  std::shared_ptr<const detail::CompiledMapping> impl_;
};

class MappingCatalog {
 public:
  // Every *.yaml / *.yml file of `dir`; all problems of all files.
  static tl::expected<MappingCatalog, hub::Problems> loadDirectory(const std::string& dir);
  static tl::expected<Mapping, hub::Problems> loadFile(const std::string& path);
  // `fileName` is only used in problem locations.
  static tl::expected<Mapping, hub::Problems> loadString(const std::string& yaml, const std::string& fileName);

  const Mapping* find(const std::string& name) const;
  std::vector<std::string> names() const;

 private:
  std::map<std::string, Mapping> mappings_;
};

}  // namespace hub::mapping
