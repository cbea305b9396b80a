#pragma once
// Reads a YAML node against a SettingsSpec into JSON, recording every problem
// (unknown key with did-you-mean, wrong type, missing key, bad choice,
// unresolvable ${...}) with its location, and never stopping at the first.
#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>
#include <functional>
#include <string>

#include "connectors/spi/settings_spec.h"
#include "hub/config/location_index.h"
#include "hub/config/substitution.h"
#include "hub/core/problem.h"

namespace hub::config {

std::string pointerEscape(const std::string& key);

class SpecReader {
 public:
  SpecReader(const std::string& baseDir, const SubstitutionSource& source, LocationIndex& index, Problems& problems)
      : baseDir_(baseDir), source_(source), index_(index), problems_(problems) {}

  // `what` names the block in messages ("server", "connector 'erp'").
  nlohmann::json readObject(const YAML::Node& node, const connector::SettingsSpec& fields, const std::string& pointer,
                            const std::string& what);
  // A block that is absent: defaults filled in, a missing required key reported
  // where the block belongs (at `owner`), not at a node that has no position.
  nlohmann::json readAbsentObject(const YAML::Node& owner, const connector::SettingsSpec& fields,
                                  const std::string& pointer, const std::string& what);
  nlohmann::json readField(const YAML::Node& node, const connector::Field& field, const std::string& pointer);
  // Untyped conversion: plain scalars become numbers/booleans/null, quoted ones strings.
  nlohmann::json readAny(const YAML::Node& node, const std::string& pointer, bool secret = false);

  // Blocks whose spec is only known later (a connector's settings, a flow's
  // options) are skipped on the first pass and read again with their spec.
  void deferAnyWhen(std::function<bool(const std::string& pointer)> predicate) { defer_ = std::move(predicate); }

  SourceLocation where(const YAML::Node& node) const;
  void report(const YAML::Node& node, std::string message);
  // Resolves ${...}; records a problem and returns false when it cannot.
  bool scalarText(const YAML::Node& node, std::string& out, bool secret);

 private:
  std::string baseDir_;
  const SubstitutionSource& source_;
  LocationIndex& index_;
  Problems& problems_;
  std::function<bool(const std::string&)> defer_;
};

}  // namespace hub::config
