// The one place that knows every backend: callers name a driver in the
// configuration and get the Store interface.
#include "hub/store/postgresql/pg_store.h"
#include "hub/store/sqlite/migrations.h"
#include "hub/store/sqlite/sqlite_store.h"

namespace hub::store {

std::unique_ptr<Store> openStore(const StoreOptions& options) {
  if (options.driver == "sqlite") return std::make_unique<sqlite::SqliteStore>(options);
  if (options.driver == "postgresql") return std::make_unique<pg::PgStore>(options);
  throw StoreFault("store driver '" + options.driver + "' is not available in this build");
}

int latestSchemaVersion(const std::string& driver) {
  return driver == "postgresql" ? pg::latestVersion() : sqlite::migrations().back().version;
}

}  // namespace hub::store
