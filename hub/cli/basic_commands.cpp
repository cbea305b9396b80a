// hub serve, hub config check, hub version.
#include <ostream>

#include "hub/cli/commands.h"
#include "hub/cli/context.h"
#include "hub/core/redaction.h"
#include "hub/daemon/daemon.h"
#include "hub/daemon/signals.h"
#include "hub/engine/landscape.h"

#ifndef HUB_VERSION
#define HUB_VERSION "0.0.0"
#endif

namespace hub::cli {

Command serveCommand() {
  Command c;
  c.name = "serve";
  c.summary = "run the hub: HTTP API, webhooks, scheduler and sync engine";
  c.details =
      "Runs in the foreground until SIGTERM or SIGINT, then stops accepting requests and lets\n"
      "work in progress finish up to server.shutdown_deadline. SIGHUP reloads the configuration.";
  c.options = {configOption()};
  c.run = [](const Invocation& inv, Io& io) {
    daemon::blockDaemonSignals();  // before any thread exists
    const std::string path = configPath(inv);
    auto loaded = loadOrReport(path, io);
    if (!loaded) return static_cast<int>(kUsage);
    daemon::DaemonOptions options;
    options.config_path = path;
    options.on_listening = [&io](const std::string& url) {
      io.out << "hub listening on " << url << "  (health " << url << "/healthz, admin API " << url
             << "/api/v1, metrics " << url << "/metrics)" << std::endl;
    };
    return daemon::runDaemon(options, std::move(*loaded));
  };
  return c;
}

Command configCommand() {
  Command check;
  check.name = "check";
  check.summary = "validate a configuration file and report every problem with file:line:column";
  check.usage = "FILE";
  check.min_args = 1;
  check.max_args = 1;
  check.options = {{"print", "", "print the effective configuration (secrets masked)"}};
  check.run = [](const Invocation& inv, Io& io) {
    auto loaded = loadOrReport(inv.args[0], io);
    if (!loaded) return static_cast<int>(kUsage);
    // The mappings and what the flows ask of connectors are checked as `hub serve` would.
    if (auto scape = engine::Landscape::build(*loaded, connector::builtinConnectors()); !scape) {
      for (const auto& p : scape.error()) io.err << redact(p.format()) << "\n";
      io.err << scape.error().size() << " problem" << (scape.error().size() == 1 ? "" : "s") << " in "
             << inv.args[0] << " and its mappings\n";
      return static_cast<int>(kUsage);
    }
    const auto& c = loaded->config;
    io.out << inv.args[0] << ": OK — " << c.connectors.size() << " connector" << (c.connectors.size() == 1 ? "" : "s")
           << ", " << c.flows.size() << " flow" << (c.flows.size() == 1 ? "" : "s") << "; store " << c.store.driver
           << (c.store.driver == "sqlite" ? " at " + c.store.path : std::string(" (url from the config, redacted)"))
           << "; listening on " << c.server.host << ":" << c.server.port << "\n";
    if (inv.has("print")) {
      nlohmann::json doc;
      for (const auto& ci : c.connectors) doc["connectors"][ci.name] = {{"type", ci.type}, {"settings", ci.settings}};
      for (const auto& f : c.flows) {
        nlohmann::json targets = nlohmann::json::array();
        for (const auto& t : f.targets)
          targets.push_back({{"name", t.name}, {"connector", t.connector}, {"entity", t.entity},
                             {"mapping", t.mapping}, {"options", t.options}});
        doc["flows"][f.name] = {{"entity", f.entity},
                                {"source", {{"connector", f.source.connector}, {"entity", f.source.entity},
                                            {"options", f.source.options}}},
                                {"targets", targets},
                                {"triggers", f.triggers}};
      }
      io.out << redact(doc.dump(2)) << "\n";
    }
    return static_cast<int>(kOk);
  };
  Command c;
  c.name = "config";
  c.summary = "check configuration files";
  c.subcommands = {check};
  return c;
}

Command versionCommand() {
  Command c;
  c.name = "version";
  c.summary = "print the hub's version";
  c.run = [](const Invocation&, Io& io) {
    io.out << "hub " << HUB_VERSION << "\n";
    return static_cast<int>(kOk);
  };
  return c;
}

}  // namespace hub::cli
