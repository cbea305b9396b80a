#pragma once
// Versioned schema changes, applied in order at open. Each runs in its own
// transaction together with its row in schema_migrations, so a crash leaves
// the schema at a whole version and re-opening applies only what is missing.
#include <vector>

#include "hub/store/sqlite/sqlite_db.h"

namespace hub::store::sqlite {

struct Migration {
  int version;
  const char* name;
  const char* sql;
};

const std::vector<Migration>& migrations();
// Applies pending migrations; returns the resulting schema version.
int migrate(SqliteDb& db);
int currentVersion(SqliteDb& db);

}  // namespace hub::store::sqlite
