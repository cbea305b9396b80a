#include "hub/store/table_copy.h"

#include "hub/store/store.h"

namespace hub::store {

const std::vector<TableSpec>& durableTables() {
  static const std::vector<TableSpec> tables = {
      {"flow_state", {"flow", "cursor", "paused", "updated_at"}, false},
      {"flow_keys", {"flow", "record_key", "source_hash", "seen_at"}, false},
      {"runs",
       {"id", "flow", "trigger", "status", "started_at", "pulled_at", "ended_at", "pulled", "unchanged", "queued",
        "skipped", "delivered", "retried", "dead_lettered", "parked", "superseded", "error_summary"},
       true},
      {"queue",
       {"id", "flow", "target", "entity", "record_key", "state", "payload", "source_hash", "source_updated_at",
        "attempts", "next_attempt_at", "lease_owner", "lease_expires_at", "ambiguous", "last_error", "history",
        "mapped_hash", "mapped_payload", "remote_id", "park_ref", "parked_at", "superseded_by", "first_failed_at",
        "run_id", "origin", "enqueued_at", "finished_at", "awaiting_since"},
       true},
      {"dead_letters",
       {"id", "queue_id", "flow", "target", "entity", "record_key", "stage", "error_type", "http_status", "message",
        "response_excerpt", "attempts", "history", "source_payload", "mapped_payload", "mapping_version",
        "first_failed_at", "created_at", "status", "resolved_at", "resolved_by", "resolution"},
       true},
      {"xref", {"entity", "system", "local_id", "remote_id", "remote_number", "content_hash", "flow", "updated_at"}, false},
      {"audit_log", {"id", "at", "actor", "action", "subject", "detail"}, true},
      {"api_tokens", {"id", "name", "role", "token_hash", "created_at", "revoked_at", "last_used_at"}, true},
      {"webhook_deliveries", {"flow", "delivery_id", "received_at"}, false},
      {"schedule_fires", {"flow", "trigger_index", "fired_at"}, false},
  };
  return tables;
}

std::string columnList(const TableSpec& table) {
  std::string out;
  for (std::size_t i = 0; i < table.columns.size(); ++i) out += (i ? ", " : "") + table.columns[i];
  return out;
}

std::vector<CopiedTable> copyStore(Store& from, Store& to, const std::function<void(const CopiedTable&)>& progress) {
  for (const auto& t : durableTables())
    if (const auto n = to.tables().rowCount(t.name); n > 0)
      throw StoreFault("the target store " + to.location() + " is not empty: table " + t.name + " holds " +
                       std::to_string(n) + " rows; copy into a new, empty store");
  std::vector<CopiedTable> report;
  for (const auto& t : durableTables()) {
    CopiedTable c{t.name, from.tables().rowCount(t.name), 0};
    from.tables().scan(t, 500, [&](const std::vector<TableRow>& rows) { to.tables().load(t, rows); });
    c.target_rows = to.tables().rowCount(t.name);
    if (c.target_rows != c.source_rows)
      throw StoreFault("copy of table " + t.name + " incomplete: " + std::to_string(c.source_rows) + " rows in " +
                       from.location() + ", " + std::to_string(c.target_rows) + " in " + to.location() +
                       " (was the source in use? stop every hub on it and copy into an empty store again)");
    if (progress) progress(c);
    report.push_back(c);
  }
  return report;
}

}  // namespace hub::store
