#pragma once
// Whether a backend at `version` is migrated on open, the same rule for every
// backend: an empty store (version 0) gets the schema, an older one only when
// the admin asked (`hub store migrate`), a newer one never. Throws StoreFault
// naming `where` and the command to run when it refuses.
#include <string>

namespace hub::store {

bool migrateOnOpen(const std::string& where, int version, int latest, bool upgrade);

}  // namespace hub::store
