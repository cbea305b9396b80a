#include "hub/daemon/daemon.h"

#include <atomic>

#include "hub/core/failpoint.h"
#include "hub/core/log.h"
#include "hub/daemon/signals.h"
#include "hub/http/server.h"
#include "hub/store/store.h"

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

}  // namespace

int runDaemon(const DaemonOptions& options, config::LoadedConfig loaded) {
  const config::HubConfig& cfg = loaded.config;
  log::Level level;
  if (log::parseLevel(cfg.log_level, level)) log::setLevel(level);

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
    store->close();
    return 1;
  }
  ready = true;
  const std::string url = "http://" + cfg.server.host + ":" + std::to_string(server.port());
  log::info("hub_listening", {{"url", url}, {"tls_port", server.tlsPort()}});
  if (options.on_listening) options.on_listening(url);

  while (waitForSignal() == Signal::Reload) {
    log::info("reload_requested", {{"config", options.config_path}});
  }
  log::info("shutdown_started", {{"deadline_ms", cfg.server.shutdown_deadline}});
  ready = false;
  const bool clean = server.stop(cfg.server.shutdown_deadline);
  store->close();
  log::info("shutdown_finished", {{"clean", clean}});
  return 0;
}

}  // namespace hub::daemon
