// hub store migrate | status | copy
#include <ostream>

#include "hub/cli/commands.h"
#include "hub/cli/session.h"
#include "hub/core/redaction.h"
#include "hub/daemon/local_endpoint.h"
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

// "sqlite:PATH" or a PostgreSQL URL (its password from the URL or PGPASSWORD).
store::StoreOptions storeNamed(const std::string& text, const char* option) {
  if (text.rfind("sqlite:", 0) == 0 && text.size() > 7) return store::sqliteAt(text.substr(7));
  if (text.rfind("postgresql://", 0) == 0 || text.rfind("postgres://", 0) == 0) {
    store::StoreOptions o;
    o.driver = "postgresql";
    o.url = text;
    o.pool = 2;
    return o;
  }
  throw UsageError{std::string("--") + option + " must be sqlite:PATH or a postgresql:// URL"};
}

// Moves an installation to another backend: every durable table into an
// empty store, counted on both sides. The hubs on the source must be stopped
// (a SQLite source with a live daemon is refused).
int copy(const Invocation& inv, Io& io) {
  const auto from = storeNamed(inv.value("from"), "from");
  const auto to = storeNamed(inv.value("to"), "to");
  if (from.driver == "sqlite")
    if (const auto daemon = daemon::readLocalEndpoint(daemon::endpointPath(from.path))) {
      io.err << "error: a hub (pid " << daemon->pid << ") is serving " << from.path << "; stop it before copying\n";
      return kFailure;
    }
  try {
    auto source = store::openStore(from);
    auto target = store::openStore(to);
    io.out << "copying " << source->location() << " -> " << target->location() << "\n";
    store::copyStore(*source, *target, [&io](const store::CopiedTable& t) {
      io.out << "  " << pad(t.table, 20) << t.target_rows << " rows\n";
    });
    io.out << "done: every table has as many rows in the target as in the source\n";
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
      leaf("copy", "copy every durable table into a new, empty store (SQLite to PostgreSQL and back)",
           "--from sqlite:PATH|postgresql://... --to sqlite:PATH|postgresql://...",
           "Cursors, queue, dead letters, xref, runs, audit log, tokens and webhook ids; row counts are "
           "compared per table. Stop the hubs on the source first.",
           {{"from", "STORE", "the store to copy (sqlite:PATH or a postgresql:// URL)"},
            {"to", "STORE", "the new store (created and migrated when empty)"}},
           0, 0, copy),
  };
  return c;
}

}  // namespace hub::cli
