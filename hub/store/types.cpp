#include <nlohmann/json.hpp>

#include "hub/store/errors.h"
#include "hub/store/schema_policy.h"
#include "hub/store/types.h"

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
    case RecordState::Awaiting: return "awaiting";
  }
  return "pending";
}

std::optional<RecordState> parseRecordState(const std::string& s) {
  for (auto st : {RecordState::Pending, RecordState::Leased, RecordState::Parked, RecordState::Delivered,
                  RecordState::Skipped, RecordState::Dead, RecordState::Superseded, RecordState::Awaiting})
    if (s == toString(st)) return st;
  return std::nullopt;
}

bool replayIsAmbiguous(const DeadLetter& letter) { return letter.failure.stage == "confirm"; }

void QueueCounts::add(const std::string& state, std::int64_t n, Millis oldest) {
  if (state == "pending") {
    pending = n;
    oldest_pending = oldest;
  } else if (state == "leased") {
    leased = n;
  } else if (state == "awaiting") {
    awaiting = n;
  } else {
    parked = n;
  }
}

std::string parkRef(const std::string& entity, const std::string& system, const std::string& localId) {
  return nlohmann::json::array({entity, system, localId}).dump();
}

bool migrateOnOpen(const std::string& where, int version, int latest, bool upgrade) {
  if (version > latest)
    throw StoreFault("store " + where + " has schema version " + std::to_string(version) +
                     ", written by a newer hub (this one knows up to " + std::to_string(latest) + ")");
  if (version == 0 || (upgrade && version < latest)) return true;
  if (version < latest)
    throw StoreFault("store " + where + " has schema version " + std::to_string(version) + "; this hub needs " +
                     std::to_string(latest) + ": run `hub store migrate` first");
  return false;
}

}  // namespace hub::store
