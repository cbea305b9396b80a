#pragma once
// What most commands share: finding and loading hub.yaml, reporting its
// problems, and opening the store it names.
#include <memory>
#include <optional>
#include <string>

#include "hub/cli/command.h"
#include "hub/config/hub_config.h"
#include "hub/store/store.h"

namespace hub::cli {

// --config FILE, else $HUB_CONFIG, else ./hub.yaml.
std::string configPath(const Invocation& inv);
Option configOption();

// Prints every problem as file:line:column: message and returns nothing on failure.
std::optional<config::LoadedConfig> loadOrReport(const std::string& path, Io& io);
config::LoadHooks loadHooks();

std::unique_ptr<store::Store> openStoreOrReport(const config::HubConfig& cfg, Io& io);

}  // namespace hub::cli
