#include "hub/daemon/daemon.h"

#include <atomic>
#include <mutex>

#include "hub/cli/context.h"
#include "hub/core/failpoint.h"
#include "hub/core/log.h"
#include "hub/core/redaction.h"
#include "hub/daemon/signals.h"
#include "hub/engine/engine.h"
#include "hub/http/server.h"
#include "hub/store/store.h"
#include "scheduler/scheduler.h"

namespace hub::daemon {
namespace {

std::shared_ptr<http::Router> baseRouter(store::Store& store, std::atomic<bool>& ready) {
  auto router = std::make_shared<http::Router>();
  router->add({"GET", "/healthz", "Liveness: the process answers", "", "health"}, [](http::Request&) {
    HUB_FAILPOINT("healthz");
    return http::Response::json(200, {{"status", "ok"}});
  });
  router->add({"GET", "/readyz", "Readiness: the store answers and the hub is not stopping", "", "health"},
              [&store, &ready](http::Request&) {
                if (!ready.load()) return http::Response::error(503, "not ready");
                try {
                  store.schemaVersion();
                } catch (const std::exception& e) {
                  return http::Response::error(503, std::string("store unavailable: ") + e.what());
                }
                return http::Response::json(200, {{"status", "ready"}});
              });
  return router;
}

std::vector<sched::ScheduledTrigger> scheduleOf(const config::HubConfig& cfg) {
  std::vector<sched::ScheduledTrigger> all;
  for (const auto& f : cfg.flows) {
    auto t = sched::triggersOf(f.name, f.triggers, cfg.timezone, *sched::parseMisfire(f.misfire));
    if (t) all.insert(all.end(), t->begin(), t->end());
  }
  return all;
}

}  // namespace

int runDaemon(const DaemonOptions& options, config::LoadedConfig loaded) {
  const config::HubConfig cfg = loaded.config;
  log::Level level;
  if (log::parseLevel(cfg.log_level, level)) log::setLevel(level);

  auto built = engine::Landscape::build(loaded, connector::builtinConnectors());
  if (!built) {
    for (const auto& p : built.error()) log::error("configuration_problem", {{"problem", p.format()}});
    return 2;
  }

  std::unique_ptr<store::Store> store;
  try {
    store = store::openStore({cfg.store.driver, cfg.store.path, cfg.store.synchronous_full, cfg.store.busy_timeout,
                              cfg.store.url});
  } catch (const std::exception& e) {
    log::error("store_open_failed", {{"error", e.what()}});
    return 1;
  }
  const auto interrupted = store->runs().interruptUnfinished(nowMillis());
  log::info("store_opened", {{"path", cfg.store.path},
                             {"schema_version", store->schemaVersion()},
                             {"interrupted_runs", interrupted}});

  engine::EngineOptions eo;
  eo.workers = cfg.engine.workers;
  eo.lease_ttl = cfg.engine.lease_ttl;
  eo.poll_interval = cfg.engine.poll_interval;
  eo.retention = cfg.engine.retention;
  engine::Engine engine(*store, *built, eo);
  engine.start();

  sched::Scheduler scheduler({
      [&engine](const std::string& flow, std::size_t, Millis) { engine.trigger(flow, "schedule"); },
      [&store](const std::string& flow, std::size_t idx) { return store->flows().lastFire(flow, idx); },
      [&store](const std::string& flow, std::size_t idx, Millis at) { store->flows().recordFire(flow, idx, at); },
  });
  scheduler.replaceAll(scheduleOf(cfg));
  scheduler.start();

  std::atomic<bool> ready{false};
  http::ServerOptions so;
  so.host = cfg.server.host;
  so.port = cfg.server.port;
  so.max_body_bytes = cfg.server.max_body_bytes;
  so.threads = cfg.server.threads;
  if (cfg.server.tls) so.tls = http::TlsOptions{cfg.server.tls->host, cfg.server.tls->port, cfg.server.tls->cert_file,
                                                cfg.server.tls->key_file};
  http::HttpServer server(so, baseRouter(*store, ready));
  try {
    server.start();
  } catch (const std::exception& e) {
    log::error("listen_failed", {{"error", e.what()}});
    scheduler.stop();
    engine.stop(1000);
    store->close();
    return 1;
  }
  ready = true;
  const std::string url = "http://" + cfg.server.host + ":" + std::to_string(server.port());
  log::info("hub_listening", {{"url", url}, {"tls_port", server.tlsPort()}, {"flows", cfg.flows.size()}});
  if (options.on_listening) options.on_listening(url);

  while (waitForSignal() == Signal::Reload) {
    log::info("reload_requested", {{"config", options.config_path}});
    auto next = config::loadConfig(options.config_path, connector::builtinConnectors(), cli::loadHooks());
    if (!next) {
      for (const auto& p : next.error()) log::error("reload_rejected", {{"problem", redact(p.format())}});
      continue;
    }
    auto scape = engine::Landscape::build(*next, connector::builtinConnectors());
    if (!scape) {
      for (const auto& p : scape.error()) log::error("reload_rejected", {{"problem", redact(p.format())}});
      continue;
    }
    engine.replaceLandscape(*scape);
    scheduler.replaceAll(scheduleOf(next->config));
    log::info("reloaded", {{"flows", next->config.flows.size()}});
  }
  log::info("shutdown_started", {{"deadline_ms", cfg.server.shutdown_deadline}});
  ready = false;
  const Millis started = nowMillis();
  const bool httpClean = server.stop(cfg.server.shutdown_deadline);
  scheduler.stop();
  const bool engineClean =
      engine.stop(std::max<Millis>(0, cfg.server.shutdown_deadline - (nowMillis() - started)));
  store->close();
  log::info("shutdown_finished", {{"clean", httpClean && engineClean}});
  return 0;
}

}  // namespace hub::daemon
