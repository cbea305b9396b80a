#pragma once
// `hub flow run` when a daemon serves the same store: the flow is run by the
// daemon (so its run claim, schedule and webhooks see one pull at a time) and
// this command follows the run through the admin API, printing the same
// progress as a run in this process.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "hub/cli/command.h"
#include "hub/core/time.h"
#include "hub/daemon/local_endpoint.h"

namespace hub::cli {

struct DaemonRunOptions {
  bool wait_for_delivery = true;
  Millis timeout = 600000;
};

// The exit code; nothing when the daemon did not answer at all (a stale
// endpoint file), so the caller runs the flow itself. The token is HUB_TOKEN
// when set, else the daemon's local credential.
std::optional<int> runInDaemon(const daemon::LocalEndpoint& endpoint, const std::string& flow, const DaemonRunOptions& options,
                Io& io);

// The one line a finished run is summed up in, from the admin API's run view.
std::string runLine(const nlohmann::json& run);

}  // namespace hub::cli
