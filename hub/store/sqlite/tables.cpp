// The small tables: cross-reference, runs, audit log, API tokens, flow state.
#include "hub/store/sqlite/sqlite_store.h"

namespace hub::store::sqlite {

void upsertXref(SqliteDb& db, const XrefEntry& e) {
  // A source-side entry (no content hash) must not erase the hash a delivery recorded.
  db.prepare(
        "INSERT INTO xref (entity, system, local_id, remote_id, remote_number, content_hash, flow, updated_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (entity, system, local_id) DO UPDATE SET "
        "remote_id = COALESCE(excluded.remote_id, remote_id), "
        "remote_number = COALESCE(excluded.remote_number, remote_number), "
        "content_hash = COALESCE(excluded.content_hash, content_hash), flow = excluded.flow, "
        "updated_at = excluded.updated_at")
      .args(e.entity, e.system, e.local_id)
      .bindOptional(4, e.remote_id)
      .bindOptional(5, e.remote_number)
      .bindOptional(6, e.content_hash)
      .bind(7, e.flow)
      .bind(8, e.updated_at)
      .run();
}

void appendAudit(SqliteDb& db, const std::string& actor, const std::string& action, const std::string& subject,
                 const std::string& detailJson, Millis now) {
  db.prepare("INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?1, ?2, ?3, ?4, ?5)")
      .args(now, actor, action, subject, detailJson.empty() ? std::string("{}") : detailJson)
      .run();
}

namespace {
constexpr const char* kXrefColumns =
    "entity, system, local_id, COALESCE(remote_id, ''), COALESCE(remote_number, ''), COALESCE(content_hash, ''), "
    "COALESCE(flow, ''), updated_at";

XrefEntry readXref(Statement& st) {
  return {st.text(0), st.text(1), st.text(2), st.text(3), st.text(4), st.text(5), st.text(6), st.i64(7)};
}

constexpr const char* kRunColumns =
    "id, flow, trigger, status, started_at, COALESCE(pulled_at, 0), COALESCE(ended_at, 0), pulled, unchanged, queued, "
    "skipped, delivered, retried, dead_lettered, parked, superseded, COALESCE(error_summary, '')";

Run readRun(Statement& st) {
  Run r;
  r.id = st.i64(0);
  r.flow = st.text(1);
  r.trigger = st.text(2);
  r.status = st.text(3);
  r.started_at = st.i64(4);
  r.pulled_at = st.i64(5);
  r.ended_at = st.i64(6);
  r.pulled = st.i64(7);
  r.unchanged = st.i64(8);
  r.queued = st.i64(9);
  r.skipped = st.i64(10);
  r.delivered = st.i64(11);
  r.retried = st.i64(12);
  r.dead_lettered = st.i64(13);
  r.parked = st.i64(14);
  r.superseded = st.i64(15);
  r.error_summary = st.text(16);
  return r;
}

ApiToken readToken(Statement& st) {
  return {st.i64(0), st.text(1), st.text(2), st.text(3), st.i64(4), st.i64(5), st.i64(6)};
}
constexpr const char* kTokenColumns =
    "id, name, role, token_hash, created_at, COALESCE(revoked_at, 0), COALESCE(last_used_at, 0)";
}  // namespace

std::optional<XrefEntry> SqliteCrossReference::find(const std::string& entity, const std::string& system,
                                                    const std::string& localId) {
  return db_.read([&]() -> std::optional<XrefEntry> {
    auto st = db_.prepare(std::string("SELECT ") + kXrefColumns +
                          " FROM xref WHERE entity = ?1 AND system = ?2 AND local_id = ?3");
    st.args(entity, system, localId);
    if (!st.step()) return std::nullopt;
    return readXref(st);
  });
}

std::optional<XrefEntry> SqliteCrossReference::findByRemote(const std::string& entity, const std::string& system,
                                                            const std::string& remoteId) {
  return db_.read([&]() -> std::optional<XrefEntry> {
    auto st = db_.prepare(std::string("SELECT ") + kXrefColumns +
                          " FROM xref WHERE entity = ?1 AND system = ?2 AND remote_id = ?3 LIMIT 1");
    st.args(entity, system, remoteId);
    if (!st.step()) return std::nullopt;
    return readXref(st);
  });
}

std::vector<XrefEntry> SqliteCrossReference::forKey(const std::string& entity, const std::string& localId) {
  return db_.read([&] {
    std::vector<XrefEntry> out;
    auto st = db_.prepare(std::string("SELECT ") + kXrefColumns +
                          " FROM xref WHERE entity = ?1 AND local_id = ?2 ORDER BY system");
    st.args(entity, localId);
    while (st.step()) out.push_back(readXref(st));
    return out;
  });
}

void SqliteCrossReference::upsert(const XrefEntry& entry) {
  db_.transaction([&] {
    upsertXref(db_, entry);
    releaseParked(db_, parkRef(entry.entity, entry.system, entry.local_id), entry.updated_at);
  });
}

std::size_t SqliteCrossReference::forgetContentHashes(const std::string& flow) {
  return db_.transaction([&] {
    db_.prepare("UPDATE xref SET content_hash = NULL WHERE flow = ?1 AND content_hash IS NOT NULL").args(flow).run();
    return static_cast<std::size_t>(db_.changes());
  });
}

Id SqliteRunLog::start(const std::string& flow, const std::string& trigger, Millis now) {
  return db_.transaction([&] {
    db_.prepare(
          "UPDATE runs SET status = 'interrupted', ended_at = ?2, "
          "error_summary = 'the pull ended without recording its end' WHERE flow = ?1 AND status = 'running'")
        .args(flow, now)
        .run();
    db_.prepare("INSERT INTO runs (flow, trigger, status, started_at) VALUES (?1, ?2, 'running', ?3)")
        .args(flow, trigger, now)
        .run();
    return db_.lastInsertId();
  });
}

void SqliteRunLog::pullEnded(Id run, const std::string& error, Millis now) {
  db_.transaction([&] {
    if (error.empty()) {
      db_.prepare("UPDATE runs SET status = 'pulled', pulled_at = ?2 WHERE id = ?1 AND status = 'running'")
          .args(run, now)
          .run();
      finishRunIfDone(db_, run, now);
    } else {
      db_.prepare(
            "UPDATE runs SET status = 'failed', pulled_at = ?2, ended_at = ?2, error_summary = ?3 "
            "WHERE id = ?1")
          .args(run, now, error)
          .run();
    }
  });
}

std::optional<Run> SqliteRunLog::get(Id run) {
  return db_.read([&]() -> std::optional<Run> {
    auto st = db_.prepare(std::string("SELECT ") + kRunColumns + " FROM runs WHERE id = ?1");
    st.bind(1, run);
    if (!st.step()) return std::nullopt;
    return readRun(st);
  });
}

std::vector<Run> SqliteRunLog::list(const std::string& flow, std::size_t limit, std::size_t offset) {
  return db_.read([&] {
    std::vector<Run> out;
    auto st = db_.prepare(std::string("SELECT ") + kRunColumns +
                          " FROM runs WHERE (?1 = '' OR flow = ?1) ORDER BY id DESC LIMIT ?2 OFFSET ?3");
    st.args(flow, limit, offset);
    while (st.step()) out.push_back(readRun(st));
    return out;
  });
}

std::size_t SqliteRunLog::interruptUnfinished(Millis now) {
  return db_.transaction([&] {
    db_.prepare(
          "UPDATE runs SET status = 'interrupted', ended_at = ?1, error_summary = 'the hub stopped during the pull' "
          "WHERE status = 'running' "
          "AND flow NOT IN (SELECT flow FROM run_claims WHERE expires_at > ?1)")
        .args(now)
        .run();
    return static_cast<std::size_t>(db_.changes());
  });
}

void SqliteAuditLog::append(const std::string& actor, const std::string& action, const std::string& subject,
                            const std::string& detailJson, Millis now) {
  db_.transaction([&] { appendAudit(db_, actor, action, subject, detailJson, now); });
}

std::vector<AuditEntry> SqliteAuditLog::list(const std::string& subjectPrefix, std::size_t limit, std::size_t offset) {
  return db_.read([&] {
    std::vector<AuditEntry> out;
    auto st = db_.prepare(
        "SELECT id, at, actor, action, subject, detail FROM audit_log WHERE substr(subject, 1, length(?1)) = ?1 "
        "ORDER BY id DESC LIMIT ?2 OFFSET ?3");
    st.args(subjectPrefix, limit, offset);
    while (st.step()) out.push_back({st.i64(0), st.i64(1), st.text(2), st.text(3), st.text(4), st.text(5)});
    return out;
  });
}

Id SqliteApiTokens::create(const std::string& name, const std::string& role, const std::string& hash, Millis now) {
  return db_.transaction([&] {
    db_.prepare("INSERT INTO api_tokens (name, role, token_hash, created_at) VALUES (?1, ?2, ?3, ?4)")
        .args(name, role, hash, now)
        .run();
    return db_.lastInsertId();
  });
}

std::optional<ApiToken> SqliteApiTokens::findActive(const std::string& hash) {
  return db_.read([&]() -> std::optional<ApiToken> {
    auto st = db_.prepare(std::string("SELECT ") + kTokenColumns +
                          " FROM api_tokens WHERE token_hash = ?1 AND revoked_at IS NULL");
    st.bind(1, hash);
    if (!st.step()) return std::nullopt;
    return readToken(st);
  });
}

bool SqliteApiTokens::revoke(Id id, Millis now) {
  return db_.transaction([&] {
    db_.prepare("UPDATE api_tokens SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL").args(id, now).run();
    return db_.changes() > 0;
  });
}

std::vector<ApiToken> SqliteApiTokens::list() {
  return db_.read([&] {
    std::vector<ApiToken> out;
    auto st = db_.prepare(std::string("SELECT ") + kTokenColumns + " FROM api_tokens ORDER BY id");
    while (st.step()) out.push_back(readToken(st));
    return out;
  });
}

void SqliteApiTokens::touch(Id id, Millis now) {
  db_.transaction([&] { db_.prepare("UPDATE api_tokens SET last_used_at = ?2 WHERE id = ?1").args(id, now).run(); });
}

FlowState SqliteFlowStates::get(const std::string& flow) {
  return db_.read([&] {
    FlowState s;
    s.flow = flow;
    auto st = db_.prepare("SELECT cursor, paused, updated_at FROM flow_state WHERE flow = ?1");
    st.bind(1, flow);
    if (st.step()) {
      if (!st.isNull(0)) s.cursor = st.text(0);
      s.paused = st.i64(1) != 0;
      s.updated_at = st.i64(2);
    }
    return s;
  });
}

void SqliteFlowStates::setCursor(const std::string& flow, const std::optional<std::string>& cursor, Millis now) {
  db_.transaction([&] {
    auto st = db_.prepare(
        "INSERT INTO flow_state (flow, cursor, updated_at) VALUES (?1, ?2, ?3) "
        "ON CONFLICT (flow) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at");
    st.bind(1, flow);
    if (cursor) st.bind(2, *cursor); else st.bindNull(2);
    st.bind(3, now);
    st.run();
  });
}

void SqliteFlowStates::setPaused(const std::string& flow, bool paused, Millis now) {
  db_.transaction([&] {
    db_.prepare(
          "INSERT INTO flow_state (flow, paused, updated_at) VALUES (?1, ?2, ?3) "
          "ON CONFLICT (flow) DO UPDATE SET paused = excluded.paused, updated_at = excluded.updated_at")
        .args(flow, paused ? 1 : 0, now)
        .run();
  });
}

void SqliteFlowStates::forgetSeenContent(const std::string& flow) {
  db_.transaction([&] { db_.prepare("DELETE FROM flow_keys WHERE flow = ?1").args(flow).run(); });
}

std::optional<Millis> SqliteFlowStates::lastFire(const std::string& flow, std::size_t trigger) {
  return db_.read([&]() -> std::optional<Millis> {
    auto st = db_.prepare("SELECT fired_at FROM schedule_fires WHERE flow = ?1 AND trigger_index = ?2");
    st.args(flow, trigger);
    if (!st.step()) return std::nullopt;
    return st.i64(0);
  });
}

static void recordFireIn(SqliteDb& db, const std::string& flow, std::size_t trigger, Millis at) {
  db.prepare(
        "INSERT INTO schedule_fires (flow, trigger_index, fired_at) VALUES (?1, ?2, ?3) "
        "ON CONFLICT (flow, trigger_index) DO UPDATE SET fired_at = excluded.fired_at")
      .args(flow, trigger, at)
      .run();
}

bool SqliteFlowStates::claimFire(const std::string& flow, std::size_t trigger, Millis scheduledFor, Millis recordAt,
                                 const std::string& node, Millis now) {
  return db_.transaction([&] {
    db_.prepare(
          "INSERT OR IGNORE INTO schedule_ticks (flow, trigger_index, scheduled_for, node, fired_at) "
          "VALUES (?1, ?2, ?3, ?4, ?5)")
        .args(flow, trigger, scheduledFor, node, now)
        .run();
    if (db_.changes() == 0) return false;
    recordFireIn(db_, flow, trigger, recordAt);
    return true;
  });
}

void SqliteFlowStates::recordFire(const std::string& flow, std::size_t trigger, Millis at) {
  db_.transaction([&] { recordFireIn(db_, flow, trigger, at); });
}

}  // namespace hub::store::sqlite
