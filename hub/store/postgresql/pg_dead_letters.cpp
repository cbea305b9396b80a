#include <nlohmann/json.hpp>

#include "hub/core/digest.h"
#include "hub/store/postgresql/pg_store.h"

namespace hub::store::pg {
namespace {

constexpr const char* kColumns =
    "id, COALESCE(queue_id, 0), flow, target, entity, record_key, stage, error_type, http_status, message, "
    "COALESCE(response_excerpt, ''), attempts, history, source_payload, COALESCE(mapped_payload, ''), "
    "COALESCE(mapping_version, ''), first_failed_at, created_at, status, COALESCE(resolved_at, 0), "
    "COALESCE(resolved_by, ''), COALESCE(resolution, '')";

DeadLetter readRow(const Result& r, int i) {
  DeadLetter d;
  d.id = r.i64(i, 0);
  d.queue_id = r.i64(i, 1);
  d.flow = r.text(i, 2);
  d.target = r.text(i, 3);
  d.entity = r.text(i, 4);
  d.key = r.text(i, 5);
  d.failure.stage = r.text(i, 6);
  d.failure.error_type = r.text(i, 7);
  d.failure.http_status = static_cast<int>(r.i64(i, 8));
  d.failure.message = r.text(i, 9);
  d.failure.response_excerpt = r.text(i, 10);
  d.attempts = static_cast<int>(r.i64(i, 11));
  d.history = r.text(i, 12);
  d.source_payload = r.text(i, 13);
  d.mapped_payload = r.text(i, 14);
  d.mapping_version = r.text(i, 15);
  d.first_failed_at = r.i64(i, 16);
  d.created_at = r.i64(i, 17);
  d.status = r.text(i, 18);
  d.resolved_at = r.i64(i, 19);
  d.resolved_by = r.text(i, 20);
  d.resolution = r.text(i, 21);
  return d;
}

// Filters compose into one WHERE clause with their values as parameters.
// ILIKE: the error search ignores case, as SQLite's LIKE does for ASCII.
struct Where {
  std::string sql = " WHERE 1 = 1";
  std::vector<Param> params;

  void add(const std::string& clause, Param value, const char* cast = "") {
    params.push_back(std::move(value));
    sql += " AND " + clause + " $" + std::to_string(params.size()) + cast;
  }
};

Where where(const DeadLetterFilter& f) {
  Where w;
  if (!f.status.empty() && f.status != "all") w.add("status =", f.status);
  if (!f.flow.empty()) w.add("flow =", f.flow);
  if (!f.entity.empty()) w.add("entity =", f.entity);
  if (!f.key.empty()) w.add("record_key =", f.key);
  if (!f.error_text.empty()) {
    w.params.push_back("%" + f.error_text + "%");
    const std::string n = "$" + std::to_string(w.params.size());
    w.sql += " AND (message ILIKE " + n + " OR error_type ILIKE " + n + " OR record_key ILIKE " + n + ")";
  }
  if (f.since > 0) w.add("created_at >=", param(f.since), "::bigint");
  if (!f.ids.empty()) w.add("id = ANY(", bigintArray(f.ids), "::bigint[])");
  return w;
}

}  // namespace

std::vector<DeadLetter> PgDeadLetters::list(const DeadLetterFilter& f) {
  return pool_.read([&](Connection& c) {
    Where w = where(f);
    w.params.push_back(param(f.limit));
    w.params.push_back(param(f.offset));
    const std::string n = std::to_string(w.params.size());
    const auto r = c.run(std::string("SELECT ") + kColumns + " FROM dead_letters" + w.sql + " ORDER BY id LIMIT $" +
                             std::to_string(w.params.size() - 1) + "::bigint OFFSET $" + n + "::bigint",
                         w.params);
    std::vector<DeadLetter> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(readRow(r, i));
    return out;
  });
}

std::int64_t PgDeadLetters::count(const DeadLetterFilter& f) {
  return pool_.read([&](Connection& c) {
    const Where w = where(f);
    return c.run("SELECT COUNT(*) FROM dead_letters" + w.sql, w.params).i64(0, 0);
  });
}

std::vector<std::pair<std::string, std::int64_t>> PgDeadLetters::openByFlow() {
  return pool_.read([&](Connection& c) {
    const auto r = c.query("SELECT flow, COUNT(*) FROM dead_letters WHERE status = 'open' GROUP BY flow ORDER BY flow");
    std::vector<std::pair<std::string, std::int64_t>> out;
    for (int i = 0; i < r.rows(); ++i) out.emplace_back(r.text(i, 0), r.i64(i, 1));
    return out;
  });
}

std::optional<DeadLetter> PgDeadLetters::get(Id id) {
  return pool_.read([&](Connection& c) -> std::optional<DeadLetter> {
    const auto r = c.query(std::string("SELECT ") + kColumns + " FROM dead_letters WHERE id = $1::bigint", id);
    if (r.empty()) return std::nullopt;
    return readRow(r, 0);
  });
}

ReplayResult PgDeadLetters::replay(Id id, const std::string& actor, const std::optional<std::string>& edited,
                                   Millis now) {
  return pool_.transaction([&](Connection& c) {
    ReplayResult result;
    // FOR UPDATE: two operators replaying the same dead letter on two nodes
    // queue it once; the second finds it no longer open.
    const auto found = c.query(
        std::string("SELECT ") + kColumns + " FROM dead_letters WHERE id = $1::bigint AND status = 'open' FOR UPDATE", id);
    if (found.empty()) return result;
    const DeadLetter dl = readRow(found, 0);
    if (!edited) {
      const auto newer = c.query(
          "SELECT id FROM queue WHERE flow = $1 AND target = $2 AND record_key = $3 AND id > $4::bigint "
          "AND state NOT IN ('dead','superseded') ORDER BY id DESC LIMIT 1",
          dl.flow, dl.target, dl.key, dl.queue_id);
      if (!newer.empty()) {
        result.status = ReplayStatus::Superseded;
        result.newer_queue_id = newer.i64(0, 0);
        const std::string why = "superseded by queue #" + std::to_string(result.newer_queue_id);
        c.query("UPDATE dead_letters SET status = 'discarded', resolved_at = $2::bigint, resolved_by = $3, "
                "resolution = $4 WHERE id = $1::bigint",
                id, now, actor, why);
        appendAudit(c, actor, "dead_letter.replay_skipped", "dead_letter/" + std::to_string(id),
                    nlohmann::json{{"reason", why}}.dump(), now);
        return result;
      }
    }
    const std::string payload = edited.value_or(dl.source_payload);
    result.status = ReplayStatus::Queued;
    result.queue_id = c.query(
                           "INSERT INTO queue (flow, target, entity, record_key, state, payload, source_hash, "
                           "next_attempt_at, origin, enqueued_at, ambiguous) VALUES ($1, $2, $3, $4, 'pending', $5, "
                           "$6, $7::bigint, 'replay', $7::bigint, $8::integer) RETURNING id",
                           dl.flow, dl.target, dl.entity, dl.key, payload, digest::sha256Hex(payload), now,
                           replayIsAmbiguous(dl))
                          .i64(0, 0);
    c.query("UPDATE dead_letters SET status = 'replayed', resolved_at = $2::bigint, resolved_by = $3, resolution = $4 "
            "WHERE id = $1::bigint",
            id, now, actor, "replayed as queue #" + std::to_string(result.queue_id));
    nlohmann::json detail = {{"queue_id", result.queue_id}, {"flow", dl.flow}, {"key", dl.key}};
    if (edited) {
      detail["edited"] = true;
      detail["before"] = dl.source_payload;
      detail["after"] = *edited;
    }
    appendAudit(c, actor, edited ? "dead_letter.replay_edited" : "dead_letter.replay",
                "dead_letter/" + std::to_string(id), detail.dump(), now);
    return result;
  });
}

bool PgDeadLetters::discard(Id id, const std::string& actor, const std::string& reason, Millis now) {
  return pool_.transaction([&](Connection& c) {
    if (c.query("UPDATE dead_letters SET status = 'discarded', resolved_at = $2::bigint, resolved_by = $3, "
                "resolution = $4 WHERE id = $1::bigint AND status = 'open'",
                id, now, actor, reason)
            .affected() == 0)
      return false;
    appendAudit(c, actor, "dead_letter.discard", "dead_letter/" + std::to_string(id),
                nlohmann::json{{"reason", reason}}.dump(), now);
    return true;
  });
}

}  // namespace hub::store::pg
