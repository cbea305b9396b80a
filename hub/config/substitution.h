#pragma once
// ${ENV_VAR} and ${file:/path} in config values, so secrets stay out of the
// file. Every substituted value is registered with the Redactor. `$${` writes
// a literal `${`.
#include <functional>
#include <optional>
#include <string>

namespace hub::config {

struct SubstitutionSource {
  std::function<std::optional<std::string>(const std::string& name)> env;
  std::function<std::optional<std::string>(const std::string& path)> file;  // nullopt when unreadable
  static SubstitutionSource process();  // real environment and files
};

struct Substituted {
  std::string value;
  bool hadSubstitution = false;
  std::string error;  // non-empty when a reference could not be resolved
};

Substituted substitute(const std::string& text, const SubstitutionSource& source, const std::string& baseDir);

}  // namespace hub::config
