#pragma once
// A YAML text with its lines, to turn yaml-cpp marks (0-based, byte columns)
// into 1-based file:line:column locations — including places inside an
// expression written as a quoted, plain or block scalar.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "hub/core/problem.h"

namespace hub::mapping::detail {

class YamlSource {
 public:
  YamlSource(const std::string& text, std::string file);
  const std::string& file() const { return file_; }

  hub::SourceLocation at(const YAML::Mark& m) const;
  hub::SourceLocation at(const YAML::Node& n) const { return at(n.Mark()); }
  // Where byte `offset` of scalar `n`'s value is in the file.
  hub::SourceLocation inScalar(const YAML::Node& n, std::size_t offset) const;

 private:
  hub::SourceLocation locate(std::size_t line0, std::size_t byteColumn) const;
  std::string file_;
  std::vector<std::string> lines_;
};

// Plain scalars by the YAML core schema (null, true/false, numbers); quoted
// scalars are strings.
nlohmann::json yamlToJson(const YAML::Node& n);
// "a mapping", "a list", "text"
std::string yamlKind(const YAML::Node& n);

}  // namespace hub::mapping::detail
