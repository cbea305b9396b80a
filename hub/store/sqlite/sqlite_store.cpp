#include "hub/store/sqlite/sqlite_store.h"

#include "hub/store/sqlite/migrations.h"

namespace hub::store {

const char* toString(RecordState s) {
  switch (s) {
    case RecordState::Pending: return "pending";
    case RecordState::Leased: return "leased";
    case RecordState::Parked: return "parked";
    case RecordState::Delivered: return "delivered";
    case RecordState::Skipped: return "skipped";
    case RecordState::Dead: return "dead";
    case RecordState::Superseded: return "superseded";
  }
  return "pending";
}

std::optional<RecordState> parseRecordState(const std::string& s) {
  for (auto st : {RecordState::Pending, RecordState::Leased, RecordState::Parked, RecordState::Delivered,
                  RecordState::Skipped, RecordState::Dead, RecordState::Superseded})
    if (s == toString(st)) return st;
  return std::nullopt;
}

std::unique_ptr<Store> openStore(const StoreOptions& options) {
  if (options.driver == "sqlite") return std::make_unique<sqlite::SqliteStore>(options);
  throw StoreFault("store driver '" + options.driver + "' is not available in this build");
}

namespace sqlite {

SqliteStore::SqliteStore(const StoreOptions& o) : db_(DbOptions{o.path, o.synchronous_full, o.busy_timeout}) {
  migrate(db_);
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

}  // namespace sqlite
}  // namespace hub::store
