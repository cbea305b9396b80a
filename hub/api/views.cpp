#include "hub/api/views.h"

#include "hub/engine/watermark.h"
#include "scheduler/schedule.h"

namespace hub::api {

using nlohmann::json;

std::string iso(Millis t) { return t ? formatIsoMillis(t) : ""; }

namespace {
json parsedOrNull(const std::string& text) {
  if (text.empty()) return nullptr;
  auto j = json::parse(text, nullptr, false);
  return j.is_discarded() ? json(text) : j;
}
}  // namespace

json toJson(const store::Run& r) {
  return {{"id", r.id},
          {"flow", r.flow},
          {"trigger", r.trigger},
          {"status", r.status},
          {"started_at", iso(r.started_at)},
          {"pulled_at", iso(r.pulled_at)},
          {"ended_at", iso(r.ended_at)},
          {"counts",
           {{"pulled", r.pulled},
            {"unchanged", r.unchanged},
            {"queued", r.queued},
            {"delivered", r.delivered},
            {"skipped_unchanged", r.skipped},
            {"retried", r.retried},
            {"parked", r.parked},
            {"dead_lettered", r.dead_lettered},
            {"superseded", r.superseded}}},
          {"error", r.error_summary}};
}

json toJson(const store::DeadLetter& d, bool full) {
  json j = {{"id", d.id},
            {"flow", d.flow},
            {"target", d.target},
            {"entity", d.entity},
            {"key", d.key},
            {"stage", d.failure.stage},
            {"error_type", d.failure.error_type},
            {"http_status", d.failure.http_status},
            {"message", d.failure.message},
            {"attempts", d.attempts},
            {"first_failed_at", iso(d.first_failed_at)},
            {"dead_lettered_at", iso(d.created_at)},
            {"status", d.status}};
  if (d.status != "open")
    j["resolution"] = {{"at", iso(d.resolved_at)}, {"by", d.resolved_by}, {"what", d.resolution}};
  if (full) {
    j["history"] = parsedOrNull(d.history);
    j["source_payload"] = parsedOrNull(d.source_payload);
    j["mapped_payload"] = parsedOrNull(d.mapped_payload);
    j["mapping_version"] = d.mapping_version;
    j["response_excerpt"] = d.failure.response_excerpt;
  }
  return j;
}

json toJson(const store::QueueCounts& c) {
  return {{"flow", c.flow},
          {"target", c.target},
          {"pending", c.pending},
          {"in_flight", c.leased},
          {"parked", c.parked},
          {"awaiting_confirmation", c.awaiting},
          {"oldest_pending_at", c.oldest_pending ? iso(*c.oldest_pending) : ""}};
}

json toJson(const engine::TraceEvent& e) {
  return {{"at", iso(e.at)}, {"flow", e.flow}, {"target", e.target}, {"event", e.event}, {"detail", e.detail}};
}

json toJson(const store::XrefEntry& x) {
  return {{"entity", x.entity},         {"system", x.system},         {"local_id", x.local_id},
          {"remote_id", x.remote_id},   {"remote_number", x.remote_number}, {"content_hash", x.content_hash},
          {"flow", x.flow},             {"updated_at", iso(x.updated_at)}};
}

json toJson(const store::AuditEntry& a) {
  return {{"id", a.id},           {"at", iso(a.at)},         {"actor", a.actor},
          {"action", a.action},   {"subject", a.subject},    {"detail", parsedOrNull(a.detail)}};
}

json toJson(const std::vector<mapping::FieldProblem>& problems) {
  json out = json::array();
  for (const auto& p : problems)
    out.push_back({{"path", p.path}, {"kind", p.kind}, {"message", p.message}, {"source_value", p.source_value}});
  return out;
}

json toJson(const engine::ReplayPreview& p) {
  json j = {{"dead_letter", p.letter.id},
            {"key", p.letter.key},
            {"failed_with", p.letter.failure.message},
            {"failed_document", p.failed_document},
            {"document_now", p.document},
            {"problems_now", toJson(p.problems)}};
  if (!p.error.empty()) j["error"] = p.error;
  return j;
}

json flowJson(const engine::Flow& flow, store::Store& store, const std::string& hubTimezone, bool detail) {
  const auto& c = flow.config;
  const auto state = store.flows().get(c.name);
  json targets = json::array();
  for (const auto& t : flow.targets)
    targets.push_back({{"name", t.name},
                       {"connector", t.connector},
                       {"entity", t.entity},
                       {"mapping", t.mapping ? t.mapping->name() : ""},
                       {"mapping_version", t.mapping ? t.mapping->version() : ""},
                       {"circuit", engine::CircuitBreaker::name(t.breaker->state(nowMillis()))}});
  json triggers = json::array();
  if (auto scheduled = sched::triggersOf(c.name, c.triggers, hubTimezone)) {
    for (const auto& f : sched::forecast(*scheduled, nowMillis(), detail ? 5 : 1))
      triggers.push_back({{"schedule", f.schedule}, {"next", f.iso}});
  }
  for (const auto& t : c.triggers)
    if (t.contains("webhook"))
      triggers.push_back({{"webhook", "/webhooks/" + c.name}, {"mode", t["webhook"].value("mode", "payload")}});
  json queue = json::array();
  for (const auto& q : store.queue().counts(c.name)) queue.push_back(toJson(q));
  store::DeadLetterFilter open;
  open.flow = c.name;
  json j = {{"name", c.name},
            {"entity", c.entity},
            {"paused", state.paused || c.paused},
            {"source", {{"connector", c.source.connector}, {"entity", c.source.entity}}},
            {"targets", targets},
            {"triggers", triggers},
            {"queue", queue},
            {"dead_letters_open", store.deadLetters().count(open)}};
  const auto runs = store.runs().list(c.name, 1, 0);
  j["last_run"] = runs.empty() ? json(nullptr) : toJson(runs[0]);
  if (detail) {
    const auto wm = engine::Watermark::decode(state.cursor);
    j["watermark"] = {{"high", iso(wm.high)}, {"scanning", wm.scanning}, {"scan_since", iso(wm.scan_since)}};
    j["batch_size"] = c.batch_size;
    j["retry"] = {{"base_ms", c.retry.base}, {"factor", c.retry.factor}, {"cap_ms", c.retry.cap},
                  {"max_attempts", c.retry.max_attempts}};
    j["park_timeout_ms"] = c.park_timeout;
    j["overlap_ms"] = c.source.overlap;
  }
  return j;
}

}  // namespace hub::api
