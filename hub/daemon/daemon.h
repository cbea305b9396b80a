#pragma once
// `hub serve`: owns the store, the HTTP listener and (as they land) the sync
// engine and scheduler; starts them in dependency order and stops them in
// reverse, letting in-flight work finish up to the configured deadline.
#include <functional>
#include <memory>
#include <string>

#include "hub/config/hub_config.h"

namespace hub::daemon {

struct DaemonOptions {
  std::string config_path;
  // Called once listening, with the base URL (the CLI prints it).
  std::function<void(const std::string& url)> on_listening;
};

// Runs until SIGTERM/SIGINT; SIGHUP reloads. Returns the process exit code.
int runDaemon(const DaemonOptions& options, config::LoadedConfig loaded);

}  // namespace hub::daemon
