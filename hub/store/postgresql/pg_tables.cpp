// The small tables: cross-reference, runs, run claims, cluster, audit log,
// API tokens, flow state.
#include "hub/store/postgresql/pg_store.h"

namespace hub::store::pg {

void appendAudit(Connection& c, const std::string& actor, const std::string& action, const std::string& subject,
                 const std::string& detailJson, Millis now) {
  c.query("INSERT INTO audit_log (at, actor, action, subject, detail) VALUES ($1::bigint, $2, $3, $4, $5)", now, actor,
          action, subject, detailJson.empty() ? std::string("{}") : detailJson);
}

bool renewRun(Connection& c, const std::string& flow, const std::string& owner, Millis now, Millis ttl) {
  return c.query("UPDATE run_claims SET expires_at = $3::bigint WHERE flow = $1 AND owner = $2", flow, owner, now + ttl)
             .affected() == 1;
}

namespace {
constexpr const char* kXrefColumns =
    "entity, system, local_id, COALESCE(remote_id, ''), COALESCE(remote_number, ''), COALESCE(content_hash, ''), "
    "COALESCE(flow, ''), updated_at";
XrefEntry readXref(const Result& r, int i) {
  return {r.text(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4), r.text(i, 5), r.text(i, 6), r.i64(i, 7)};
}

constexpr const char* kRunColumns =
    "id, flow, trigger, status, started_at, COALESCE(pulled_at, 0), COALESCE(ended_at, 0), pulled, unchanged, queued, "
    "skipped, delivered, retried, dead_lettered, parked, superseded, COALESCE(error_summary, '')";
Run readRun(const Result& r, int i) {
  Run run;
  run.id = r.i64(i, 0);
  run.flow = r.text(i, 1);
  run.trigger = r.text(i, 2);
  run.status = r.text(i, 3);
  run.started_at = r.i64(i, 4);
  run.pulled_at = r.i64(i, 5);
  run.ended_at = r.i64(i, 6);
  std::int64_t* counters[] = {&run.pulled,    &run.unchanged,     &run.queued, &run.skipped,   &run.delivered,
                              &run.retried,   &run.dead_lettered, &run.parked, &run.superseded};
  for (int k = 0; k < 9; ++k) *counters[k] = r.i64(i, 7 + k);
  run.error_summary = r.text(i, 16);
  return run;
}

constexpr const char* kTokenColumns =
    "id, name, role, token_hash, created_at, COALESCE(revoked_at, 0), COALESCE(last_used_at, 0)";
ApiToken readToken(const Result& r, int i) {
  return {r.i64(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.i64(i, 4), r.i64(i, 5), r.i64(i, 6)};
}

template <class T, class F>
std::vector<T> rowsOf(const Result& r, F read) {
  std::vector<T> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(read(r, i));
  return out;
}
}  // namespace

std::optional<XrefEntry> PgCrossReference::find(const std::string& entity, const std::string& system,
                                                const std::string& localId) {
  return pool_.read([&](Connection& c) -> std::optional<XrefEntry> {
    const auto r = c.query(std::string("SELECT ") + kXrefColumns +
                               " FROM xref WHERE entity = $1 AND system = $2 AND local_id = $3",
                           entity, system, localId);
    if (r.empty()) return std::nullopt;
    return readXref(r, 0);
  });
}

std::optional<XrefEntry> PgCrossReference::findByRemote(const std::string& entity, const std::string& system,
                                                        const std::string& remoteId) {
  return pool_.read([&](Connection& c) -> std::optional<XrefEntry> {
    const auto r = c.query(std::string("SELECT ") + kXrefColumns +
                               " FROM xref WHERE entity = $1 AND system = $2 AND remote_id = $3 LIMIT 1",
                           entity, system, remoteId);
    if (r.empty()) return std::nullopt;
    return readXref(r, 0);
  });
}

std::vector<XrefEntry> PgCrossReference::forKey(const std::string& entity, const std::string& localId) {
  return pool_.read([&](Connection& c) {
    return rowsOf<XrefEntry>(
        c.query(std::string("SELECT ") + kXrefColumns + " FROM xref WHERE entity = $1 AND local_id = $2 ORDER BY system",
                entity, localId),
        readXref);
  });
}

void PgCrossReference::upsert(const XrefEntry& entry) {
  pool_.transaction([&](Connection& c) {
    const std::vector<std::string> ref = {parkRef(entry.entity, entry.system, entry.local_id)};
    lockReferences(c, ref);
    upsertXrefs(c, {entry.entity, entry.system, entry.flow, entry.updated_at, {entry.local_id}, {entry.remote_id},
                    {entry.remote_number}, {entry.content_hash}});
    releaseAllParked(c, ref, entry.updated_at);
  });
}

std::size_t PgCrossReference::forgetContentHashes(const std::string& flow) {
  return pool_.transaction([&](Connection& c) {
    return static_cast<std::size_t>(
        c.query("UPDATE xref SET content_hash = NULL WHERE flow = $1 AND content_hash IS NOT NULL", flow).affected());
  });
}

Id PgRunLog::start(const std::string& flow, const std::string& trigger, Millis now) {
  return pool_.transaction([&](Connection& c) {
    c.query("UPDATE runs SET status = 'interrupted', ended_at = $2::bigint, "
            "error_summary = 'the pull ended without recording its end' WHERE flow = $1 AND status = 'running'",
            flow, now);
    return c.query("INSERT INTO runs (flow, trigger, status, started_at) VALUES ($1, $2, 'running', $3::bigint) "
                   "RETURNING id",
                   flow, trigger, now)
        .i64(0, 0);
  });
}

void PgRunLog::pullEnded(Id run, const std::string& error, Millis now) {
  pool_.transaction([&](Connection& c) {
    if (error.empty()) {
      c.query("UPDATE runs SET status = 'pulled', pulled_at = $2::bigint WHERE id = $1::bigint AND status = 'running'",
              run, now);
      finishRunIfDone(c, run, now);
    } else {
      c.query("UPDATE runs SET status = 'failed', pulled_at = $2::bigint, ended_at = $2::bigint, error_summary = $3 "
              "WHERE id = $1::bigint",
              run, now, error);
    }
  });
}

std::optional<Run> PgRunLog::get(Id run) {
  return pool_.read([&](Connection& c) -> std::optional<Run> {
    const auto r = c.query(std::string("SELECT ") + kRunColumns + " FROM runs WHERE id = $1::bigint", run);
    if (r.empty()) return std::nullopt;
    return readRun(r, 0);
  });
}

std::vector<Run> PgRunLog::list(const std::string& flow, std::size_t limit, std::size_t offset) {
  return pool_.read([&](Connection& c) {
    return rowsOf<Run>(c.query(std::string("SELECT ") + kRunColumns +
                                   " FROM runs WHERE ($1 = '' OR flow = $1) ORDER BY id DESC LIMIT $2::bigint "
                                   "OFFSET $3::bigint",
                               flow, limit, offset),
                       readRun);
  });
}

std::size_t PgRunLog::interruptUnfinished(Millis now) {
  return pool_.transaction([&](Connection& c) {
    return static_cast<std::size_t>(
        c.query("UPDATE runs SET status = 'interrupted', ended_at = $1::bigint, "
                "error_summary = 'the hub stopped during the pull' WHERE status = 'running' "
                "AND flow NOT IN (SELECT flow FROM run_claims WHERE expires_at > $1::bigint)",
                now)
            .affected());
  });
}

ClaimResult PgRunClaims::claim(const std::string& flow, const std::string& owner, Millis now, Millis ttl) {
  return pool_.transaction([&](Connection& c) {
    ClaimResult result;
    // A new row, a renewal by the holder, or a takeover of an expired claim;
    // RETURNING says which row stands, so no second read races another node.
    const auto r = c.query(
        "INSERT INTO run_claims AS rc (flow, owner, claimed_at, expires_at) VALUES ($1, $2, $3::bigint, $4::bigint) "
        "ON CONFLICT (flow) DO UPDATE SET "
        "  claimed_at = CASE WHEN rc.owner = excluded.owner THEN rc.claimed_at ELSE excluded.claimed_at END, "
        "  owner = excluded.owner, expires_at = excluded.expires_at "
        "WHERE rc.owner = excluded.owner OR rc.expires_at <= excluded.claimed_at "
        "RETURNING owner, claimed_at, expires_at",
        flow, owner, now, now + ttl);
    result.held = !r.empty();
    const auto row = [&](const Result& x) { return RunClaim{flow, x.text(0, 0), x.i64(0, 1), x.i64(0, 2)}; };
    if (result.held) {
      result.current = row(r);
    } else if (const auto other = c.query("SELECT owner, claimed_at, expires_at FROM run_claims WHERE flow = $1", flow);
               !other.empty()) {
      result.current = row(other);
    }
    return result;
  });
}

bool PgRunClaims::renew(const std::string& flow, const std::string& owner, Millis now, Millis ttl) {
  return pool_.transaction([&](Connection& c) { return renewRun(c, flow, owner, now, ttl); });
}

void PgRunClaims::release(const std::string& flow, const std::string& owner) {
  pool_.transaction([&](Connection& c) { c.query("DELETE FROM run_claims WHERE flow = $1 AND owner = $2", flow, owner); });
}

std::vector<RunClaim> PgRunClaims::list() {
  return pool_.read([&](Connection& c) {
    return rowsOf<RunClaim>(c.query("SELECT flow, owner, claimed_at, expires_at FROM run_claims ORDER BY flow"),
                            [](const Result& r, int i) {
                              return RunClaim{r.text(i, 0), r.text(i, 1), r.i64(i, 2), r.i64(i, 3)};
                            });
  });
}

void PgAuditLog::append(const std::string& actor, const std::string& action, const std::string& subject,
                        const std::string& detailJson, Millis now) {
  pool_.transaction([&](Connection& c) { appendAudit(c, actor, action, subject, detailJson, now); });
}

std::vector<AuditEntry> PgAuditLog::list(const std::string& subjectPrefix, std::size_t limit, std::size_t offset) {
  return pool_.read([&](Connection& c) {
    return rowsOf<AuditEntry>(
        c.query("SELECT id, at, actor, action, subject, detail FROM audit_log WHERE left(subject, length($1)) = $1 "
                "ORDER BY id DESC LIMIT $2::bigint OFFSET $3::bigint",
                subjectPrefix, limit, offset),
        [](const Result& r, int i) {
          return AuditEntry{r.i64(i, 0), r.i64(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4), r.text(i, 5)};
        });
  });
}

Id PgApiTokens::create(const std::string& name, const std::string& role, const std::string& hash, Millis now) {
  return pool_.transaction([&](Connection& c) {
    return c.query("INSERT INTO api_tokens (name, role, token_hash, created_at) VALUES ($1, $2, $3, $4::bigint) "
                   "RETURNING id",
                   name, role, hash, now)
        .i64(0, 0);
  });
}

std::optional<ApiToken> PgApiTokens::findActive(const std::string& hash) {
  return pool_.read([&](Connection& c) -> std::optional<ApiToken> {
    const auto r = c.query(std::string("SELECT ") + kTokenColumns +
                               " FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL",
                           hash);
    if (r.empty()) return std::nullopt;
    return readToken(r, 0);
  });
}

bool PgApiTokens::revoke(Id id, Millis now) {
  return pool_.transaction([&](Connection& c) {
    return c.query("UPDATE api_tokens SET revoked_at = $2::bigint WHERE id = $1::bigint AND revoked_at IS NULL", id, now)
               .affected() > 0;
  });
}

std::vector<ApiToken> PgApiTokens::list() {
  return pool_.read([&](Connection& c) {
    return rowsOf<ApiToken>(c.query(std::string("SELECT ") + kTokenColumns + " FROM api_tokens ORDER BY id"),
                            readToken);
  });
}

void PgApiTokens::touch(Id id, Millis now) {
  pool_.transaction(
      [&](Connection& c) { c.query("UPDATE api_tokens SET last_used_at = $2::bigint WHERE id = $1::bigint", id, now); });
}

FlowState PgFlowStates::get(const std::string& flow) {
  return pool_.read([&](Connection& c) {
    FlowState s;
    s.flow = flow;
    const auto r = c.query("SELECT cursor, paused, updated_at FROM flow_state WHERE flow = $1", flow);
    if (!r.empty()) {
      if (!r.isNull(0, 0)) s.cursor = r.text(0, 0);
      s.paused = r.i64(0, 1) != 0;
      s.updated_at = r.i64(0, 2);
    }
    return s;
  });
}

void PgFlowStates::setCursor(const std::string& flow, const std::optional<std::string>& cursor, Millis now) {
  pool_.transaction([&](Connection& c) {
    c.query("INSERT INTO flow_state (flow, cursor, updated_at) VALUES ($1, $2, $3::bigint) "
            "ON CONFLICT (flow) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at",
            flow, cursor, now);
  });
}

void PgFlowStates::setPaused(const std::string& flow, bool paused, Millis now) {
  pool_.transaction([&](Connection& c) {
    c.query("INSERT INTO flow_state (flow, paused, updated_at) VALUES ($1, $2::integer, $3::bigint) "
            "ON CONFLICT (flow) DO UPDATE SET paused = excluded.paused, updated_at = excluded.updated_at",
            flow, paused, now);
  });
}

void PgFlowStates::forgetSeenContent(const std::string& flow) {
  pool_.transaction([&](Connection& c) { c.query("DELETE FROM flow_keys WHERE flow = $1", flow); });
}

std::optional<Millis> PgFlowStates::lastFire(const std::string& flow, std::size_t trigger) {
  return pool_.read([&](Connection& c) -> std::optional<Millis> {
    const auto r =
        c.query("SELECT fired_at FROM schedule_fires WHERE flow = $1 AND trigger_index = $2::integer", flow, trigger);
    if (r.empty()) return std::nullopt;
    return r.i64(0, 0);
  });
}

namespace {
void recordFireIn(Connection& c, const std::string& flow, std::size_t trigger, Millis at) {
  c.query("INSERT INTO schedule_fires (flow, trigger_index, fired_at) VALUES ($1, $2::integer, $3::bigint) "
          "ON CONFLICT (flow, trigger_index) DO UPDATE SET fired_at = excluded.fired_at",
          flow, trigger, at);
}
}  // namespace

void PgFlowStates::recordFire(const std::string& flow, std::size_t trigger, Millis at) {
  pool_.transaction([&](Connection& c) { recordFireIn(c, flow, trigger, at); });
}

bool PgFlowStates::claimFire(const std::string& flow, std::size_t trigger, Millis scheduledFor, Millis recordAt,
                             const std::string& node, Millis now) {
  return pool_.transaction([&](Connection& c) {
    if (c.query("INSERT INTO schedule_ticks (flow, trigger_index, scheduled_for, node, fired_at) "
                "VALUES ($1, $2::integer, $3::bigint, $4, $5::bigint) ON CONFLICT DO NOTHING",
                flow, trigger, scheduledFor, node, now)
            .affected() == 0)
      return false;
    recordFireIn(c, flow, trigger, recordAt);
    return true;
  });
}

}  // namespace hub::store::pg
