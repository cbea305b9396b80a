#pragma once
// "What happened to order SO-123?": every queueing, attempt, outcome, remote
// id and dead letter of one business key across all flows, in time order.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "hub/store/store.h"

namespace hub::engine {

struct TraceEvent {
  Millis at = 0;
  std::string flow, target;
  std::string event;     // queued | delivered | retry | parked | dead | skipped | superseded | dead_letter | replayed | discarded | xref
  nlohmann::json detail;
};

std::vector<TraceEvent> traceKey(store::Store& store, const std::string& entity, const std::string& key);

}  // namespace hub::engine
