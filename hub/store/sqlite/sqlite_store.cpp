#include "hub/store/sqlite/sqlite_store.h"

#include "hub/store/schema_policy.h"
#include "hub/store/sqlite/migrations.h"

namespace hub::store::sqlite {

SqliteStore::SqliteStore(const StoreOptions& o) : db_(DbOptions{o.path, o.synchronous_full, o.busy_timeout}) {
  if (migrateOnOpen("'" + o.path + "'", currentVersion(db_), migrations().back().version, o.upgrade)) migrate(db_);
}

int SqliteStore::schemaVersion() { return currentVersion(db_); }

IntegrityReport SqliteStore::integrityCheck() {
  return db_.read([&] {
    auto st = db_.prepare("PRAGMA integrity_check");
    IntegrityReport report;
    while (st.step())
      if (const auto line = st.text(0); line != "ok") report.problems.push_back(line);
    return report;
  });
}

}  // namespace hub::store::sqlite
