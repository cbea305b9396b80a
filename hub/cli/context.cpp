#include "hub/cli/context.h"

#include <cstdlib>
#include <ostream>

#include "hub/core/redaction.h"
#include "hub/daemon/config_hooks.h"
#include "hub/daemon/services.h"

namespace hub::cli {

std::string configPath(const Invocation& inv) {
  if (inv.has("config")) return inv.value("config");
  if (const char* env = std::getenv("HUB_CONFIG"); env && *env) return env;
  return "hub.yaml";
}

Option configOption() { return {"config", "FILE", "configuration file (default: $HUB_CONFIG or ./hub.yaml)"}; }

config::LoadHooks loadHooks() { return daemon::configHooks(); }

std::optional<config::LoadedConfig> loadOrReport(const std::string& path, Io& io) {
  auto loaded = config::loadConfig(path, connector::builtinConnectors(), loadHooks());
  if (!loaded) {
    for (const auto& p : loaded.error()) io.err << redact(p.format()) << "\n";
    io.err << loaded.error().size() << " problem" << (loaded.error().size() == 1 ? "" : "s") << " in " << path
           << "\n";
    return std::nullopt;
  }
  return std::move(*loaded);
}

std::unique_ptr<store::Store> openStoreOrReport(const config::HubConfig& cfg, Io& io) {
  try {
    return store::openStore(daemon::storeOptions(cfg.store));
  } catch (const std::exception& e) {
    io.err << "error: " << redact(e.what()) << "\n";
    return nullptr;
  }
}

}  // namespace hub::cli
