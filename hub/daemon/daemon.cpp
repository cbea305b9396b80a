#include "hub/daemon/daemon.h"

#include <atomic>
#include <mutex>
#include <optional>
#include <unistd.h>

#include "hub/api/admin_api.h"
#include "hub/api/auth.h"
#include "hub/api/metrics.h"
#include "hub/daemon/config_hooks.h"
#include "hub/daemon/local_endpoint.h"
#include "hub/daemon/services.h"
#include "hub/core/log.h"
#include "hub/core/redaction.h"
#include "hub/daemon/signals.h"
#include "hub/engine/engine.h"
#include "hub/http/server.h"
#include "hub/store/store.h"
#include "hub/webhooks/intake.h"
#include "scheduler/leader_lease.h"
#include "scheduler/scheduler.h"

namespace hub::daemon {
namespace {

std::vector<sched::ScheduledTrigger> scheduleOf(const config::HubConfig& cfg) {
  std::vector<sched::ScheduledTrigger> all;
  for (const auto& f : cfg.flows) {
    auto t = sched::triggersOf(f.name, f.triggers, cfg.timezone, *sched::parseMisfire(f.misfire));
    if (t) all.insert(all.end(), t->begin(), t->end());
  }
  return all;
}

engine::EngineOptions engineOptions(const config::HubConfig& cfg) {
  engine::EngineOptions eo;
  eo.workers = cfg.engine.workers;
  eo.lease_ttl = cfg.engine.lease_ttl;
  eo.poll_interval = cfg.engine.poll_interval;
  eo.retention = cfg.engine.retention;
  return eo;
}

}  // namespace

int runDaemon(const DaemonOptions& options, config::LoadedConfig loaded) {
  const config::HubConfig cfg = loaded.config;
  log::Level level;
  if (log::parseLevel(cfg.log_level, level)) log::setLevel(level);

  api::HubMetrics metrics;
  auto built = engine::Landscape::build(loaded, connector::builtinConnectors(), &metrics);
  if (!built) {
    for (const auto& p : built.error()) log::error("configuration_problem", {{"problem", redact(p.format())}});
    return 2;
  }

  std::unique_ptr<store::Store> store;
  try {
    store = store::openStore(storeOptions(cfg.store));
  } catch (const std::exception& e) {
    log::error("store_open_failed", {{"error", redact(e.what())}});
    return 1;
  }
  log::info("store_opened", {{"store", store->location()}, {"schema_version", store->schemaVersion()}});

  engine::Engine engine(*store, *built, engineOptions(cfg), SystemClock::instance(), &metrics);
  // Started first: it releases the claims of dead processes on this host, so
  // their runs are closed here while runs of live processes keep going.
  engine.start();
  try {
    const auto interrupted = store->runs().interruptUnfinished(nowMillis());
    if (interrupted) log::info("interrupted_runs_closed", {{"runs", interrupted}});
  } catch (const std::exception& e) {
    log::error("store_failed", {{"operation", "run_end"}, {"error", redact(e.what())}});
  }

  // Every node runs a scheduler; only the one holding the leader lease fires,
  // and each tick is claimed once in the store whoever fires it. The lease
  // thread also says this node is alive (hub_nodes, `hub flow list`).
  const std::string node = engine.node();
  const store::NodeInfo self{node, node.substr(0, node.find(':')), static_cast<std::int64_t>(::getpid()),
                             HUB_VERSION, nowMillis(), 0};
  sched::Scheduler* schedulerRef = nullptr;
  sched::LeaderLease leadership(
      {[&store, &self](Millis now, Millis ttl) {
         store->cluster().heartbeat(self, now);
         return store->cluster().lead(sched::kScheduleDuty, self.node, now, ttl).held;
       },
       [&store, &self] { store->cluster().resign(sched::kScheduleDuty, self.node); },
       [&schedulerRef, &metrics](bool leading) {
         metrics.leadership(leading);
         if (schedulerRef) schedulerRef->leadershipChanged();
       }},
      cfg.cluster.leader_ttl);
  metrics.setNode(node, cfg.cluster.leader_ttl);
  sched::SchedulerOptions schedulerOptions;
  schedulerOptions.follower_poll = std::max<Millis>(10, std::min<Millis>(1000, cfg.cluster.leader_ttl / 4));
  sched::Scheduler scheduler(
      {
          [&engine](const std::string& flow, std::size_t, Millis) { engine.trigger(flow, "schedule"); },
          [&store](const std::string& flow, std::size_t idx) { return store->flows().lastFire(flow, idx); },
          {},
          [&leadership] { return leadership.leading(); },
          [&store, &node](const std::string& flow, std::size_t idx, Millis scheduledFor, Millis recordAt) {
            return store->flows().claimFire(flow, idx, scheduledFor, recordAt, node, nowMillis());
          },
      },
      sched::SystemWaitClock::instance(), schedulerOptions);
  schedulerRef = &scheduler;
  leadership.start();
  scheduler.replaceAll(scheduleOf(cfg));
  scheduler.start();

  // One way to reload, for SIGHUP and the admin API alike: the new
  // configuration and mappings are checked whole; if anything is wrong the
  // running landscape stays.
  std::mutex reloadMutex;
  auto reload = [&]() -> api::ReloadOutcome {
    std::lock_guard lock(reloadMutex);
    return reloadConfiguration(options.config_path, connector::builtinConnectors(), engine, &metrics,
                               [&scheduler](const config::HubConfig& next) { scheduler.replaceAll(scheduleOf(next)); });
  };

  std::atomic<bool> ready{false};
  const std::string localToken = api::newToken();
  api::ApiContext apiContext{*store, engine, SystemClock::instance(), reload, &metrics, [&ready] { return ready.load(); },
                             api::tokenHash(localToken)};
  webhooks::WebhookIntake intake(engine, *store,
                                 [&metrics](const std::string& flow, const std::string& result) {
                                   metrics.webhook(flow, result);
                                 });
  auto router = hubRouter(apiContext, intake);

  http::ServerOptions so;
  so.host = cfg.server.host;
  so.port = cfg.server.port;
  so.max_body_bytes = cfg.server.max_body_bytes;
  so.threads = cfg.server.threads;
  so.on_request = [&metrics](const std::string& method, int status) { metrics.apiRequest(method, status); };
  if (cfg.server.tls) so.tls = http::TlsOptions{cfg.server.tls->host, cfg.server.tls->port, cfg.server.tls->cert_file,
                                                cfg.server.tls->key_file};
  http::HttpServer server(so, router);
  try {
    server.start();
  } catch (const std::exception& e) {
    log::error("listen_failed", {{"error", e.what()}});
    scheduler.stop();
    leadership.stop();
    engine.stop(1000);
    store->close();
    return 1;
  }
  ready = true;
  const std::string url = "http://" + cfg.server.host + ":" + std::to_string(server.port());
  log::info("hub_listening", {{"url", url}, {"tls_port", server.tlsPort()}, {"flows", cfg.flows.size()}});
  std::optional<PublishedEndpoint> endpoint;
  const bool anyAddress = cfg.server.host.empty() || cfg.server.host == "0.0.0.0" || cfg.server.host == "::";
  const std::string localUrl = anyAddress ? "http://127.0.0.1:" + std::to_string(server.port()) : url;
  endpoint.emplace(endpointPath(cfg.store.path), LocalEndpoint{localUrl, static_cast<long>(::getpid()), localToken});
  if (options.on_listening) options.on_listening(url);

  while (waitForSignal() == Signal::Reload) {
    log::info("reload_requested", {{"config", options.config_path}, {"by", "SIGHUP"}});
    reload();
  }
  log::info("shutdown_started", {{"deadline_ms", cfg.server.shutdown_deadline}});
  ready = false;
  endpoint.reset();
  const Millis started = nowMillis();
  const bool httpClean = server.stop(cfg.server.shutdown_deadline);
  scheduler.stop();
  leadership.stop();  // resigns: another node fires the schedules at once
  try {
    store->cluster().leave(node);
  } catch (const std::exception& e) {
    log::warn("store_failed", {{"operation", "leave_cluster"}, {"error", redact(e.what())}});
  }
  const bool engineClean = engine.stop(std::max<Millis>(0, cfg.server.shutdown_deadline - (nowMillis() - started)));
  store->close();
  log::info("shutdown_finished", {{"clean", httpClean && engineClean}});
  return 0;
}

}  // namespace hub::daemon
