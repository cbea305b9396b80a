#include "hub/daemon/services.h"

#include "hub/core/log.h"
#include "hub/core/redaction.h"
#include "hub/daemon/config_hooks.h"

namespace hub::daemon {

store::StoreOptions storeOptions(const config::StoreConfig& s) {
  store::StoreOptions o;
  o.driver = s.driver;
  o.path = s.path;
  o.synchronous_full = s.synchronous_full;
  o.busy_timeout = s.busy_timeout;
  o.url = s.url;
  o.password = s.password;
  o.pool = static_cast<std::size_t>(s.pool);
  o.statement_timeout = s.statement_timeout;
  o.connect_timeout = s.connect_timeout;
  return o;
}

std::shared_ptr<http::Router> hubRouter(api::ApiContext& ctx, webhooks::WebhookIntake& intake) {
  auto router = std::make_shared<http::Router>();
  api::addAdminRoutes(*router, ctx);
  webhooks::addWebhookRoutes(*router, intake);
  // Every intake result shows in /metrics from the start, at zero.
  if (ctx.metrics)
    for (const auto& result : webhooks::intakeResults()) ctx.metrics->declareWebhookResult(result);
  return router;
}

api::ReloadOutcome reloadConfiguration(const std::string& path, const connector::Registry& registry,
                                       engine::Engine& engine, engine::EngineObserver* observer,
                                       const std::function<void(const config::HubConfig&)>& applied) {
  api::ReloadOutcome out;
  auto next = config::loadConfig(path, registry, configHooks());
  if (!next) {
    out.problems = next.error();
  } else if (auto scape = engine::Landscape::build(*next, registry, observer, engine.stopSignal()); !scape) {
    out.problems = scape.error();
  } else {
    try {
      engine.replaceLandscape(*scape);
      if (applied) applied(next->config);
      out.ok = true;
      out.flows = next->config.flows.size();
    } catch (const std::exception& e) {
      // The store failed while the new flows were read in: the running
      // landscape stays, and a reload later can try again.
      out.problems.push_back({{}, std::string("the store failed during the reload: ") + e.what()});
    }
  }
  for (const auto& p : out.problems) log::error("reload_rejected", {{"problem", redact(p.format())}});
  if (out.ok) log::info("reloaded", {{"flows", out.flows}});
  return out;
}

}  // namespace hub::daemon
