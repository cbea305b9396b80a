// The hub's configuration file (hub/config), read with the built-in connector
// types and the daemon's schedule and zone checks. ${ENV} and ${file:...}
// resolve from a fixed table, never the process or the disk, so every run of
// an input is the same. Checks: no crash, no exception, every problem placed,
// and an accepted file names and types every connector instance.
#include <map>

#include "connectors/spi/registry.h"
#include "fuzz/fuzz_check.h"
#include "hub/config/hub_config.h"
#include "scheduler/cron.h"
#include "scheduler/zone.h"

namespace {

hub::config::SubstitutionSource fixedSource() {
  static const std::map<std::string, std::string> env = {{"KINGDEE_PASSWORD", "fuzz-password"},
                                                          {"DMS_TOKEN", "fuzz-token"}, {"EMPTY", ""}};
  static const std::map<std::string, std::string> files = {{"/etc/hub/secret.txt", "fuzz-file-secret\n"}};
  hub::config::SubstitutionSource s;
  s.env = [](const std::string& name) -> std::optional<std::string> {
    auto it = env.find(name);
    return it == env.end() ? std::nullopt : std::optional(it->second);
  };
  s.file = [](const std::string& path) -> std::optional<std::string> {
    auto it = files.find(path);
    return it == files.end() ? std::nullopt : std::optional(it->second);
  };
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const hub::config::SubstitutionSource source = fixedSource();
  static const hub::config::LoadHooks hooks{hub::sched::checkSchedule, hub::sched::knownZone};
  const std::string yaml(hub::fuzz::text(data, size));
  auto loaded = hub::config::parseConfig(yaml, "hub.yaml", "/etc/hub", hub::connector::builtinConnectors(), hooks,
                                         source);
  if (!loaded) {
    FUZZ_CHECK(!loaded.error().empty());
    for (const auto& p : loaded.error()) {
      FUZZ_CHECK(p.where.line >= 1);
      FUZZ_CHECK(!p.message.empty());
    }
    return 0;
  }
  const auto& c = loaded->config;
  for (const auto& f : c.flows) FUZZ_CHECK(!f.name.empty());
  for (const auto& i : c.connectors) {
    FUZZ_CHECK(!i.name.empty());
    FUZZ_CHECK(hub::connector::builtinConnectors().find(i.type) != nullptr);
  }
  return 0;
}
