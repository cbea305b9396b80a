#pragma once
// The parts of `hub serve` that tests assemble too, so what they check is
// what the daemon runs: the routes it mounts and how it reloads.
#include <functional>
#include <memory>
#include <string>

#include "hub/api/admin_api.h"
#include "hub/config/hub_config.h"
#include "hub/engine/engine.h"
#include "hub/http/router.h"
#include "hub/store/store.h"
#include "hub/webhooks/intake.h"

namespace hub::daemon {

// How the configured store is opened (by `hub serve` and the CLI alike).
store::StoreOptions storeOptions(const config::StoreConfig& store);

// Every route the daemon serves: health, metrics, the OpenAPI document, the
// admin API (with its authentication guard) and POST /webhooks/{flow}.
// `ctx` and `intake` must outlive the router.
std::shared_ptr<http::Router> hubRouter(api::ApiContext& ctx, webhooks::WebhookIntake& intake);

// Re-reads the configuration at `path` and the mappings it names and builds
// the new landscape whole; only when nothing is wrong does it replace the
// engine's landscape and call `applied` (the scheduler follows). Otherwise the
// running landscape stays and the problems (file:line:column) are returned.
// Not thread-safe: callers serialise reloads.
api::ReloadOutcome reloadConfiguration(const std::string& path, const connector::Registry& registry,
                                       engine::Engine& engine, engine::EngineObserver* observer,
                                       const std::function<void(const config::HubConfig&)>& applied = {});

}  // namespace hub::daemon
