#pragma once
// A registry with one fake connector type, and helpers to load YAML text.
#include <gtest/gtest.h>

#include <map>

#include "hub/config/hub_config.h"
#include "hub/core/redaction.h"

namespace hub::test {

inline connector::Registry fakeRegistry() {
  using connector::Field;
  connector::ConnectorType t;
  t.name = "fake";
  t.summary = "test double";
  t.settings = {Field::string("base_url").require(), Field::string("token").secretValue(),
                Field::integer("page_limit").byDefault(100)};
  t.source_entities = {"customers", "orders"};
  t.sink_entities = {"customers", "orders"};
  t.source_options = {Field::string("filter")};
  t.validate = [](const nlohmann::json& s) {
    std::vector<connector::SettingsIssue> out;
    if (s.value("page_limit", 100) > 1000) out.push_back({"/page_limit", "page_limit must be at most 1000"});
    return out;
  };
  // A type whose targets must say where to write.
  connector::ConnectorType withPath;
  withPath.name = "pathful";
  withPath.summary = "test double with a required sink option";
  withPath.sink_entities = {"orders"};
  withPath.sink_options = {Field::string("path").require()};
  connector::Registry r;
  r.add(t);
  r.add(withPath);
  return r;
}

struct Env {
  std::map<std::string, std::string> vars;
  std::map<std::string, std::string> files;
  config::SubstitutionSource source() const {
    config::SubstitutionSource s;
    s.env = [this](const std::string& n) -> std::optional<std::string> {
      auto it = vars.find(n);
      return it == vars.end() ? std::nullopt : std::optional(it->second);
    };
    s.file = [this](const std::string& p) -> std::optional<std::string> {
      auto it = files.find(p);
      return it == files.end() ? std::nullopt : std::optional(it->second);
    };
    return s;
  }
};

// A fake connector and one flow from it to itself; a test appends the flow's
// own keys, indented four spaces (the flow's mapping starts on line 4).
inline const std::string kOneFlow =
    "connectors:\n  - {name: dms, type: fake, base_url: http://dms}\n"
    "flows:\n  - name: f\n    source: {connector: dms, entity: orders}\n"
    "    targets: [{connector: dms, entity: orders}]\n";

inline tl::expected<config::LoadedConfig, Problems> load(const std::string& yaml, const Env& env = {}) {
  static const connector::Registry registry = fakeRegistry();
  return config::parseConfig(yaml, "hub.yaml", "/etc/hub", registry, {}, env.source());
}

}  // namespace hub::test
