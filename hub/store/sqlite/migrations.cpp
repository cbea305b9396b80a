#include "hub/store/sqlite/migrations.h"

#include <vector>

#include "hub/core/time.h"

namespace hub::store::sqlite {

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> list = {
      {1, "initial schema", R"SQL(
CREATE TABLE flow_state (
  flow TEXT PRIMARY KEY,
  cursor TEXT,
  paused INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL
);
-- Content last seen per key, so re-reading an unchanged record queues nothing.
CREATE TABLE flow_keys (
  flow TEXT NOT NULL,
  record_key TEXT NOT NULL,
  source_hash TEXT NOT NULL,
  seen_at INTEGER NOT NULL,
  PRIMARY KEY (flow, record_key)
) WITHOUT ROWID;
CREATE TABLE queue (
  id INTEGER PRIMARY KEY,
  flow TEXT NOT NULL,
  target TEXT NOT NULL,
  entity TEXT NOT NULL,
  record_key TEXT NOT NULL,
  state TEXT NOT NULL,
  payload TEXT NOT NULL,
  source_hash TEXT NOT NULL,
  source_updated_at INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  lease_owner TEXT,
  lease_expires_at INTEGER,
  ambiguous INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  history TEXT NOT NULL DEFAULT '[]',
  mapped_hash TEXT,
  mapped_payload TEXT,
  remote_id TEXT,
  park_ref TEXT,
  parked_at INTEGER,
  superseded_by INTEGER,
  first_failed_at INTEGER,
  run_id INTEGER,
  origin TEXT NOT NULL DEFAULT 'pull',
  enqueued_at INTEGER NOT NULL,
  finished_at INTEGER
);
CREATE INDEX queue_due ON queue (flow, target, state, next_attempt_at, id);
CREATE INDEX queue_by_key ON queue (flow, target, record_key, id);
CREATE INDEX queue_by_entity_key ON queue (entity, record_key);
CREATE INDEX queue_parked ON queue (park_ref) WHERE state = 'parked';
CREATE INDEX queue_finished ON queue (finished_at) WHERE finished_at IS NOT NULL;
CREATE INDEX queue_by_run ON queue (run_id, state);
CREATE TABLE dead_letters (
  id INTEGER PRIMARY KEY,
  queue_id INTEGER,
  flow TEXT NOT NULL,
  target TEXT NOT NULL,
  entity TEXT NOT NULL,
  record_key TEXT NOT NULL,
  stage TEXT NOT NULL,
  error_type TEXT NOT NULL,
  http_status INTEGER NOT NULL DEFAULT 0,
  message TEXT NOT NULL,
  response_excerpt TEXT,
  attempts INTEGER NOT NULL,
  history TEXT NOT NULL,
  source_payload TEXT NOT NULL,
  mapped_payload TEXT,
  mapping_version TEXT,
  first_failed_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'open',
  resolved_at INTEGER,
  resolved_by TEXT,
  resolution TEXT
);
CREATE INDEX dead_letters_open ON dead_letters (status, flow, created_at);
CREATE INDEX dead_letters_by_key ON dead_letters (entity, record_key);
CREATE TABLE xref (
  entity TEXT NOT NULL,
  system TEXT NOT NULL,
  local_id TEXT NOT NULL,
  remote_id TEXT,
  remote_number TEXT,
  content_hash TEXT,
  flow TEXT,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (entity, system, local_id)
) WITHOUT ROWID;
CREATE INDEX xref_by_remote ON xref (entity, system, remote_id);
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  flow TEXT NOT NULL,
  trigger TEXT NOT NULL,
  status TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  pulled_at INTEGER,
  ended_at INTEGER,
  pulled INTEGER NOT NULL DEFAULT 0,
  unchanged INTEGER NOT NULL DEFAULT 0,
  queued INTEGER NOT NULL DEFAULT 0,
  skipped INTEGER NOT NULL DEFAULT 0,
  delivered INTEGER NOT NULL DEFAULT 0,
  retried INTEGER NOT NULL DEFAULT 0,
  dead_lettered INTEGER NOT NULL DEFAULT 0,
  parked INTEGER NOT NULL DEFAULT 0,
  superseded INTEGER NOT NULL DEFAULT 0,
  error_summary TEXT
);
CREATE INDEX runs_by_flow ON runs (flow, id);
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  subject TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_by_subject ON audit_log (subject, id);
CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER,
  last_used_at INTEGER
);
-- Webhook ids already accepted, so a sender's retry is acknowledged without queuing twice.
CREATE TABLE webhook_deliveries (
  flow TEXT NOT NULL,
  delivery_id TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (flow, delivery_id)
) WITHOUT ROWID;
-- Last fire per schedule, for the misfire policy after downtime.
CREATE TABLE schedule_fires (
  flow TEXT NOT NULL,
  trigger_index INTEGER NOT NULL,
  fired_at INTEGER NOT NULL,
  PRIMARY KEY (flow, trigger_index)
) WITHOUT ROWID;
)SQL"},
      {2, "covering index of records on their way", R"SQL(
-- Queue depth per flow target reads only rows still on their way, from the
-- index alone: metrics scrapes and status calls stay cheap whatever the history.
CREATE INDEX queue_active ON queue (state, flow, target, enqueued_at)
  WHERE state IN ('pending', 'leased', 'parked');
-- The park-timeout sweep looks only at parked rows, usually a handful.
CREATE INDEX queue_parked_since ON queue (flow, parked_at) WHERE state = 'parked';
)SQL"},
      {3, "run claims", R"SQL(
-- One pull of a flow at a time across processes: the holder and until when.
CREATE TABLE run_claims (
  flow TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  claimed_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
-- Starting a run marks the flow's stale running runs interrupted: a handful at most.
CREATE INDEX runs_running ON runs (flow) WHERE status = 'running';
)SQL"},
      {4, "cluster: leadership, nodes, claimed schedule ticks", R"SQL(
-- One holder per duty (firing schedules) among the nodes sharing the store.
CREATE TABLE leadership (
  duty TEXT PRIMARY KEY,
  node TEXT NOT NULL,
  acquired_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE nodes (
  node TEXT PRIMARY KEY,
  host TEXT NOT NULL,
  pid INTEGER NOT NULL,
  version TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  last_seen INTEGER NOT NULL
) WITHOUT ROWID;
-- Each tick of a schedule fires once, whichever node (or two leaders for a moment) fires it.
CREATE TABLE schedule_ticks (
  flow TEXT NOT NULL,
  trigger_index INTEGER NOT NULL,
  scheduled_for INTEGER NOT NULL,
  node TEXT NOT NULL,
  fired_at INTEGER NOT NULL,
  PRIMARY KEY (flow, trigger_index, scheduled_for)
) WITHOUT ROWID;
CREATE INDEX schedule_ticks_by_age ON schedule_ticks (fired_at);
)SQL"},
      {5, "records awaiting the target's confirmation", R"SQL(
-- Accepted by the target (an IDoc at status 64, an e-invoice request) and not
-- yet confirmed: since when; NULL otherwise.
ALTER TABLE queue ADD COLUMN awaiting_since INTEGER;
-- Awaiting records are on their way too: the covering index takes them in.
DROP INDEX queue_active;
CREATE INDEX queue_active ON queue (state, flow, target, enqueued_at)
  WHERE state IN ('pending', 'leased', 'parked', 'awaiting');
)SQL"},
  };
  return list;
}

int currentVersion(SqliteDb& db) {
  auto guard = db.lock();
  db.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
      "applied_at INTEGER NOT NULL)");
  auto st = db.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  st.step();
  return static_cast<int>(st.i64(0));
}

int migrate(SqliteDb& db) {
  currentVersion(db);
  for (const auto& m : migrations()) {
    db.transaction([&] {
      auto check = db.prepare("SELECT 1 FROM schema_migrations WHERE version = ?1");
      check.bind(1, m.version);
      if (check.step()) return;  // applied, possibly by another process meanwhile
      db.exec(m.sql);
      db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)")
          .args(m.version, m.name, nowMillis())
          .run();
    });
  }
  return currentVersion(db);
}

}  // namespace hub::store::sqlite
