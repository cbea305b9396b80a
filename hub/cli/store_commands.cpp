// hub store migrate | status
#include <ostream>

#include "hub/cli/commands.h"
#include "hub/cli/session.h"
#include "hub/core/redaction.h"
#include "hub/daemon/services.h"

namespace hub::cli {
namespace {

// The one command that moves a store to a newer schema: `hub serve` refuses
// an older one, so an upgrade happens when an admin runs this (with the hubs
// on the older version stopped, or ready to be replaced).
int migrate(const Invocation& inv, Io& io) {
  auto loaded = loadOrReport(configPath(inv), io);
  if (!loaded) return kUsage;
  auto options = daemon::storeOptions(loaded->config.store);
  options.upgrade = true;
  try {
    auto store = store::openStore(options);
    io.out << "store " << store->location() << ": schema version " << store->schemaVersion() << " (latest "
           << store::latestSchemaVersion(options.driver) << ")\n";
    return kOk;
  } catch (const std::exception& e) {
    io.err << "error: " << redact(e.what()) << "\n";
    return kFailure;
  }
}

int status(const Invocation& inv, Io& io) {
  int code = kOk;
  auto s = openSession(inv, io, false, &code);
  if (!s) return code;
  io.out << "schema: version " << s->store->schemaVersion() << " (this hub writes "
         << store::latestSchemaVersion(s->config().store.driver) << ")\n";
  printCluster(*s, nowMillis(), io);
  const auto report = s->store->integrityCheck();
  io.out << "integrity: " << (report.ok() ? "ok" : std::to_string(report.problems.size()) + " problems") << "\n";
  for (const auto& p : report.problems) io.out << "  " << p << "\n";
  return report.ok() ? kOk : kFailure;
}

}  // namespace

Command storeCommand() {
  Command c;
  c.name = "store";
  c.summary = "migrate the store's schema, show its nodes and integrity";
  c.subcommands = {
      leaf("migrate", "apply the schema changes this hub needs (hub serve refuses an older schema)", "", "",
           {configOption()}, 0, 0, migrate),
      leaf("status", "schema version, the nodes serving the store, its leader and integrity", "", "",
           {configOption()}, 0, 0, status),
  };
  return c;
}

}  // namespace hub::cli
