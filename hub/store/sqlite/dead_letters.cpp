#include <nlohmann/json.hpp>
#include <variant>

#include "hub/core/digest.h"
#include "hub/store/sqlite/sqlite_store.h"

namespace hub::store::sqlite {
namespace {

constexpr const char* kColumns =
    "id, COALESCE(queue_id, 0), flow, target, entity, record_key, stage, error_type, http_status, message, "
    "COALESCE(response_excerpt, ''), attempts, history, source_payload, COALESCE(mapped_payload, ''), "
    "COALESCE(mapping_version, ''), first_failed_at, created_at, status, COALESCE(resolved_at, 0), "
    "COALESCE(resolved_by, ''), COALESCE(resolution, '')";

DeadLetter readRow(Statement& st) {
  DeadLetter d;
  d.id = st.i64(0);
  d.queue_id = st.i64(1);
  d.flow = st.text(2);
  d.target = st.text(3);
  d.entity = st.text(4);
  d.key = st.text(5);
  d.failure.stage = st.text(6);
  d.failure.error_type = st.text(7);
  d.failure.http_status = static_cast<int>(st.i64(8));
  d.failure.message = st.text(9);
  d.failure.response_excerpt = st.text(10);
  d.attempts = static_cast<int>(st.i64(11));
  d.history = st.text(12);
  d.source_payload = st.text(13);
  d.mapped_payload = st.text(14);
  d.mapping_version = st.text(15);
  d.first_failed_at = st.i64(16);
  d.created_at = st.i64(17);
  d.status = st.text(18);
  d.resolved_at = st.i64(19);
  d.resolved_by = st.text(20);
  d.resolution = st.text(21);
  return d;
}

// Filters compose into one WHERE clause with their values bound as
// parameters. The text also carries the id list (and, in list(), LIMIT and
// OFFSET), so list() and count() prepare it afresh on every call
// (prepareUncached) rather than filling the statement cache with one-off texts.
struct Where {
  std::string sql = " WHERE 1 = 1";
  std::vector<std::variant<std::string, std::int64_t>> params;

  void add(const std::string& clause, std::variant<std::string, std::int64_t> value) {
    params.push_back(std::move(value));
    sql += " AND " + clause + " ?" + std::to_string(params.size());
  }
  void bindTo(Statement& st) const {
    for (std::size_t i = 0; i < params.size(); ++i)
      std::visit([&](const auto& v) { st.bind(static_cast<int>(i + 1), v); }, params[i]);
  }
};

Where where(const DeadLetterFilter& f) {
  Where w;
  if (!f.status.empty() && f.status != "all") w.add("status =", f.status);
  if (!f.flow.empty()) w.add("flow =", f.flow);
  if (!f.entity.empty()) w.add("entity =", f.entity);
  if (!f.key.empty()) w.add("record_key =", f.key);
  if (!f.error_text.empty()) {
    w.params.emplace_back("%" + f.error_text + "%");
    const std::string n = std::to_string(w.params.size());
    w.sql += " AND (message LIKE ?" + n + " OR error_type LIKE ?" + n + " OR record_key LIKE ?" + n + ")";
  }
  if (f.since > 0) w.add("created_at >=", std::int64_t{f.since});
  if (!f.ids.empty()) {
    w.sql += " AND id IN (";
    for (std::size_t i = 0; i < f.ids.size(); ++i) w.sql += (i ? "," : "") + std::to_string(f.ids[i]);
    w.sql += ")";
  }
  return w;
}

}  // namespace

std::vector<DeadLetter> SqliteDeadLetters::list(const DeadLetterFilter& f) {
  return db_.read([&] {
    Where w = where(f);
    auto st = db_.prepareUncached(std::string("SELECT ") + kColumns + " FROM dead_letters" + w.sql +
                                  " ORDER BY id LIMIT " + std::to_string(f.limit) + " OFFSET " +
                                  std::to_string(f.offset));
    w.bindTo(st);
    std::vector<DeadLetter> out;
    while (st.step()) out.push_back(readRow(st));
    return out;
  });
}

std::int64_t SqliteDeadLetters::count(const DeadLetterFilter& f) {
  return db_.read([&] {
    Where w = where(f);
    auto st = db_.prepareUncached("SELECT COUNT(*) FROM dead_letters" + w.sql);
    w.bindTo(st);
    st.step();
    return st.i64(0);
  });
}

std::vector<std::pair<std::string, std::int64_t>> SqliteDeadLetters::openByFlow() {
  return db_.read([&] {
    std::vector<std::pair<std::string, std::int64_t>> out;
    auto st = db_.prepare("SELECT flow, COUNT(*) FROM dead_letters WHERE status = 'open' GROUP BY flow ORDER BY flow");
    while (st.step()) out.emplace_back(st.text(0), st.i64(1));
    return out;
  });
}

std::optional<DeadLetter> SqliteDeadLetters::get(Id id) {
  return db_.read([&]() -> std::optional<DeadLetter> {
    auto st = db_.prepare(std::string("SELECT ") + kColumns + " FROM dead_letters WHERE id = ?1");
    st.bind(1, id);
    if (!st.step()) return std::nullopt;
    return readRow(st);
  });
}

ReplayResult SqliteDeadLetters::replay(Id id, const std::string& actor, const std::optional<std::string>& edited,
                                       Millis now) {
  return db_.transaction([&] {
    ReplayResult result;
    std::optional<DeadLetter> dl;
    {
      auto st = db_.prepare(std::string("SELECT ") + kColumns + " FROM dead_letters WHERE id = ?1 AND status = 'open'");
      st.bind(1, id);
      if (st.step()) dl = readRow(st);
    }
    if (!dl) return result;
    if (!edited) {
      auto newer = db_.prepare(
          "SELECT id FROM queue WHERE flow = ?1 AND target = ?2 AND record_key = ?3 AND id > ?4 "
          "AND state NOT IN ('dead','superseded') ORDER BY id DESC LIMIT 1");
      newer.args(dl->flow, dl->target, dl->key, dl->queue_id);
      if (newer.step()) {
        result.status = ReplayStatus::Superseded;
        result.newer_queue_id = newer.i64(0);
        const std::string why = "superseded by queue #" + std::to_string(result.newer_queue_id);
        db_.prepare(
              "UPDATE dead_letters SET status = 'discarded', resolved_at = ?2, resolved_by = ?3, resolution = ?4 "
              "WHERE id = ?1")
            .args(id, now, actor, why)
            .run();
        appendAudit(db_, actor, "dead_letter.replay_skipped", "dead_letter/" + std::to_string(id),
                    nlohmann::json{{"reason", why}}.dump(), now);
        return result;
      }
    }
    const std::string payload = edited.value_or(dl->source_payload);
    db_.prepare(
          "INSERT INTO queue (flow, target, entity, record_key, state, payload, source_hash, next_attempt_at, "
          "origin, enqueued_at, ambiguous) VALUES (?1, ?2, ?3, ?4, 'pending', ?5, ?6, ?7, 'replay', ?7, ?8)")
        .args(dl->flow, dl->target, dl->entity, dl->key, payload, digest::sha256Hex(payload), now,
              replayIsAmbiguous(*dl) ? 1 : 0)
        .run();
    result.status = ReplayStatus::Queued;
    result.queue_id = db_.lastInsertId();
    db_.prepare(
          "UPDATE dead_letters SET status = 'replayed', resolved_at = ?2, resolved_by = ?3, resolution = ?4 "
          "WHERE id = ?1")
        .args(id, now, actor, "replayed as queue #" + std::to_string(result.queue_id))
        .run();
    nlohmann::json detail = {{"queue_id", result.queue_id}, {"flow", dl->flow}, {"key", dl->key}};
    if (edited) {
      detail["edited"] = true;
      detail["before"] = dl->source_payload;
      detail["after"] = *edited;
    }
    appendAudit(db_, actor, edited ? "dead_letter.replay_edited" : "dead_letter.replay",
                "dead_letter/" + std::to_string(id), detail.dump(), now);
    return result;
  });
}

bool SqliteDeadLetters::discard(Id id, const std::string& actor, const std::string& reason, Millis now) {
  return db_.transaction([&] {
    db_.prepare(
          "UPDATE dead_letters SET status = 'discarded', resolved_at = ?2, resolved_by = ?3, resolution = ?4 "
          "WHERE id = ?1 AND status = 'open'")
        .args(id, now, actor, reason)
        .run();
    if (db_.changes() == 0) return false;
    appendAudit(db_, actor, "dead_letter.discard", "dead_letter/" + std::to_string(id),
                nlohmann::json{{"reason", reason}}.dump(), now);
    return true;
  });
}

}  // namespace hub::store::sqlite
