#pragma once
// JSON shapes of the hub's objects, shared by the admin API and the CLI's
// --json output so both say the same thing the same way.
#include <nlohmann/json.hpp>

#include "hub/engine/dead_letter_ops.h"
#include "hub/engine/landscape.h"
#include "hub/engine/trace.h"
#include "hub/store/store.h"

namespace hub::api {

nlohmann::json toJson(const store::Run& run);
nlohmann::json toJson(const store::DeadLetter& letter, bool full);
nlohmann::json toJson(const store::QueueCounts& counts);
nlohmann::json toJson(const engine::TraceEvent& event);
nlohmann::json toJson(const store::XrefEntry& entry);
nlohmann::json toJson(const store::AuditEntry& entry);
nlohmann::json toJson(const engine::ReplayPreview& preview);
nlohmann::json toJson(const std::vector<mapping::FieldProblem>& problems);
// A flow as configured plus its live state: paused, watermark, queue, dead letters, last run, next fires.
nlohmann::json flowJson(const engine::Flow& flow, store::Store& store, const std::string& hubTimezone, bool detail);

std::string iso(Millis t);  // "" for 0

}  // namespace hub::api
