#include "hub/engine/trace.h"

#include <algorithm>

namespace hub::engine {

std::vector<TraceEvent> traceKey(store::Store& store, const std::string& entity, const std::string& key) {
  std::vector<TraceEvent> events;
  for (const auto& q : store.queue().history(entity, key)) {
    events.push_back({q.enqueued_at, q.flow, q.target, "queued",
                      {{"queue_id", q.id}, {"origin", q.origin}, {"run", q.run_id}, {"source_hash", q.source_hash.substr(0, 12)}}});
    const auto history = nlohmann::json::parse(q.history, nullptr, false);
    if (history.is_array()) {
      for (const auto& attempt : history) {
        const Millis at = parseIsoInstant(attempt.value("at", "")).value_or(q.enqueued_at);
        nlohmann::json detail = attempt;
        detail["queue_id"] = q.id;
        events.push_back({at, q.flow, q.target, attempt.value("verdict", "attempt"), detail});
      }
    }
    if (q.state == store::RecordState::Superseded)
      events.push_back({q.finished_at, q.flow, q.target, "superseded", {{"queue_id", q.id}}});
  }
  store::DeadLetterFilter filter;
  filter.entity = entity;
  filter.key = key;
  filter.status = "all";
  filter.limit = 1000;
  for (const auto& d : store.deadLetters().list(filter)) {
    events.push_back({d.created_at, d.flow, d.target, "dead_letter",
                      {{"dead_letter", d.id},
                       {"stage", d.failure.stage},
                       {"error_type", d.failure.error_type},
                       {"message", d.failure.message},
                       {"attempts", d.attempts}}});
    if (d.status != "open")
      events.push_back({d.resolved_at, d.flow, d.target, d.status,
                        {{"dead_letter", d.id}, {"by", d.resolved_by}, {"resolution", d.resolution}}});
  }
  for (const auto& x : store.xref().forKey(entity, key))
    events.push_back({x.updated_at, x.flow, "", "xref",
                      {{"system", x.system}, {"remote_id", x.remote_id}, {"remote_number", x.remote_number}}});
  std::stable_sort(events.begin(), events.end(), [](const TraceEvent& a, const TraceEvent& b) { return a.at < b.at; });
  return events;
}

}  // namespace hub::engine
