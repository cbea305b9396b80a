#include <map>
#include <nlohmann/json.hpp>

#include "hub/store/sqlite/sqlite_store.h"

namespace hub::store::sqlite {
namespace {

const char* kActive = "('pending','leased','parked','awaiting')";
// A lease that lapsed hands its record back to the state it was leased from;
// only a push attempt becomes ambiguous (a lapsed confirmation check just waits for the next one).
const char* kUnlease =
    "state = CASE WHEN awaiting_since IS NULL THEN 'pending' ELSE 'awaiting' END, "
    "ambiguous = CASE WHEN awaiting_since IS NULL THEN 1 ELSE ambiguous END, lease_owner = NULL, lease_expires_at = NULL";

void bumpRun(SqliteDb& db, Id run, const char* column, std::int64_t by = 1) {
  if (run == 0 || by == 0) return;
  db.prepare(std::string("UPDATE runs SET ") + column + " = " + column + " + ?1 WHERE id = ?2").args(by, run).run();
}

QueueItem readItem(Statement& st) {
  QueueItem q;
  q.id = st.i64(0);
  q.flow = st.text(1);
  q.target = st.text(2);
  q.entity = st.text(3);
  q.key = st.text(4);
  q.payload = st.text(5);
  q.source_hash = st.text(6);
  q.attempts = static_cast<int>(st.i64(7));
  q.ambiguous = st.i64(8) != 0;
  q.history = st.text(9);
  q.run_id = st.i64(10);
  q.enqueued_at = st.i64(11);
  q.origin = st.text(12);
  q.state = parseRecordState(st.text(13)).value_or(RecordState::Pending);
  q.finished_at = st.i64(14);
  q.last_error = st.text(15);
  q.remote_id = st.text(16);
  q.awaiting_since = st.i64(17);
  q.mapped_hash = st.text(18);
  return q;
}

constexpr const char* kItemColumns =
    "id, flow, target, entity, record_key, payload, source_hash, attempts, ambiguous, history, COALESCE(run_id, 0), "
    "enqueued_at, origin, state, COALESCE(finished_at, 0), COALESCE(last_error, ''), COALESCE(remote_id, ''), "
    "COALESCE(awaiting_since, 0), COALESCE(mapped_hash, '')";

}  // namespace


std::size_t releaseParked(SqliteDb& db, const std::string& ref, Millis now) {
  db.prepare(
        "UPDATE queue SET state = 'pending', next_attempt_at = ?2, park_ref = NULL "
        "WHERE state = 'parked' AND park_ref = ?1")
      .args(ref, now)
      .run();
  return static_cast<std::size_t>(db.changes());
}

static bool referenceResolved(SqliteDb& db, const std::string& ref) {
  auto st = db.prepare(
      "SELECT 1 FROM xref WHERE entity = json_extract(?1, '$[0]') AND system = json_extract(?1, '$[1]') "
      "AND local_id = json_extract(?1, '$[2]') AND (COALESCE(remote_id, '') <> '' OR COALESCE(remote_number, '') <> '')");
  st.bind(1, ref);
  return st.step();
}

void finishRunIfDone(SqliteDb& db, Id run, Millis now) {
  if (run == 0) return;
  auto busy = db.prepare(std::string("SELECT 1 FROM queue WHERE run_id = ?1 AND state IN ") + kActive + " LIMIT 1");
  busy.bind(1, run);
  if (busy.step()) return;
  db.prepare("UPDATE runs SET status = 'finished', ended_at = ?2 WHERE id = ?1 AND status = 'pulled'")
      .args(run, now)
      .run();
}

// A record the source could not decode never reaches mapping; it is kept
// whole, with the reason, where support staff look for failures.
void deadLetterAtIntake(SqliteDb& db, const PageCommit& page, const IncomingRecord& r) {
  for (const auto& target : page.targets) {
    db.prepare(
          "INSERT INTO queue (flow, target, entity, record_key, state, payload, source_hash, next_attempt_at, run_id, "
          "origin, enqueued_at, finished_at, last_error) VALUES (?1, ?2, ?3, ?4, 'dead', ?5, ?6, ?7, ?8, ?9, ?7, ?7, ?10)")
        .args(page.flow, target, page.entity, r.key, r.payload, r.source_hash, page.now)
        .bind(8, page.run_id)
        .bind(9, page.origin)
        .bind(10, r.problem)
        .run();
    const Id queueId = db.lastInsertId();
    db.prepare(
          "INSERT INTO dead_letters (queue_id, flow, target, entity, record_key, stage, error_type, message, attempts, "
          "history, source_payload, first_failed_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5, 'pull', "
          "'malformed_record', ?6, 0, '[]', ?7, ?8, ?8)")
        .args(queueId, page.flow, target, page.entity, r.key, r.problem, r.payload, page.now)
        .run();
    bumpRun(db, page.run_id, "dead_lettered");
  }
}

IntakeResult SqliteQueue::commitPage(const PageCommit& page) {
  return db_.transaction([&] {
    IntakeResult result;
    if (!page.claim_owner.empty() && !renewRun(db_, page.flow, page.claim_owner, page.now, page.claim_ttl)) {
      result.claim_lost = true;
      return result;
    }
    if (!page.delivery_id.empty()) {
      db_.prepare("INSERT OR IGNORE INTO webhook_deliveries (flow, delivery_id, received_at) VALUES (?1, ?2, ?3)")
          .args(page.flow, page.delivery_id, page.now)
          .run();
      if (db_.changes() == 0) {
        result.duplicate_delivery = true;
        return result;
      }
    }
    for (const auto& r : page.records) {
      if (!r.problem.empty()) {
        deadLetterAtIntake(db_, page, r);
        continue;
      }
      if (!r.remote_id.empty()) {
        XrefEntry e{page.entity, page.source_system, r.key, r.remote_id, r.key, "", page.flow, page.now};
        upsertXref(db_, e);
        releaseParked(db_, parkRef(page.entity, page.source_system, r.key), page.now);
      }
      {
        auto seen = db_.prepare("SELECT source_hash FROM flow_keys WHERE flow = ?1 AND record_key = ?2");
        seen.args(page.flow, r.key);
        if (seen.step() && seen.text(0) == r.source_hash) {
          ++result.unchanged;
          continue;
        }
      }
      db_.prepare(
            "INSERT INTO flow_keys (flow, record_key, source_hash, seen_at) VALUES (?1, ?2, ?3, ?4) "
            "ON CONFLICT (flow, record_key) DO UPDATE SET source_hash = excluded.source_hash, seen_at = excluded.seen_at")
          .args(page.flow, r.key, r.source_hash, page.now)
          .run();
      for (const auto& target : page.targets) {
        // An older version still waiting is replaced: the target needs the latest state,
        // and per-key order means it could only be delivered before this one anyway.
        std::vector<std::pair<Id, Id>> older;
        {
          auto st = db_.prepare(
              "SELECT id, COALESCE(run_id, 0) FROM queue WHERE flow = ?1 AND target = ?2 AND record_key = ?3 "
              "AND state = 'pending'");
          st.args(page.flow, target, r.key);
          while (st.step()) older.emplace_back(st.i64(0), st.i64(1));
        }
        auto insert = db_.prepare(
            "INSERT INTO queue (flow, target, entity, record_key, state, payload, source_hash, source_updated_at, "
            "next_attempt_at, run_id, origin, enqueued_at) VALUES (?1, ?2, ?3, ?4, 'pending', ?5, ?6, ?7, ?8, ?9, ?10, ?8)");
        insert.args(page.flow, target, page.entity, r.key, r.payload, r.source_hash, r.updated_at, page.now);
        if (page.run_id) insert.bind(9, page.run_id); else insert.bindNull(9);
        insert.bind(10, page.origin);
        insert.run();
        const Id newId = db_.lastInsertId();
        for (const auto& [oldId, oldRun] : older) {
          db_.prepare("UPDATE queue SET state = 'superseded', superseded_by = ?2, finished_at = ?3 WHERE id = ?1")
              .args(oldId, newId, page.now)
              .run();
          bumpRun(db_, oldRun, "superseded");
          if (oldRun != page.run_id) finishRunIfDone(db_, oldRun, page.now);
        }
        ++result.queued;
      }
    }
    if (page.cursor) {
      db_.prepare(
            "INSERT INTO flow_state (flow, cursor, updated_at) VALUES (?1, ?2, ?3) "
            "ON CONFLICT (flow) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at")
          .args(page.flow, *page.cursor, page.now)
          .run();
    }
    bumpRun(db_, page.run_id, "pulled", static_cast<std::int64_t>(page.records.size()));
    bumpRun(db_, page.run_id, "unchanged", static_cast<std::int64_t>(result.unchanged));
    bumpRun(db_, page.run_id, "queued", static_cast<std::int64_t>(result.queued));
    return result;
  });
}

std::vector<QueueItem> SqliteQueue::lease(const LeaseRequest& req) {
  return db_.transaction([&] {
    expireLeases(req);
    std::vector<QueueItem> items;
    {
      auto st = db_.prepare(std::string("SELECT ") + kItemColumns +
                            " FROM queue q WHERE q.flow = ?1 AND q.target = ?2 AND q.state = 'pending' "
                            "AND q.next_attempt_at <= ?3 AND NOT EXISTS (SELECT 1 FROM queue o WHERE o.flow = q.flow "
                            "AND o.target = q.target AND o.record_key = q.record_key AND o.id < q.id AND o.state IN " +
                            kActive + ") ORDER BY q.next_attempt_at, q.id LIMIT ?4");
      st.args(req.flow, req.target, req.now, req.limit);
      while (st.step()) items.push_back(readItem(st));
    }
    markLeased(items, req, true);
    return items;
  });
}

void SqliteQueue::markLeased(std::vector<QueueItem>& items, const LeaseRequest& req, bool attempt) {
  if (items.empty()) return;
  nlohmann::json ids = nlohmann::json::array();
  for (const auto& item : items) ids.push_back(item.id);
  db_.prepare(std::string("UPDATE queue SET state = 'leased', lease_owner = ?1, lease_expires_at = ?2") +
              (attempt ? ", attempts = attempts + 1" : "") + " WHERE id IN (SELECT value FROM json_each(?3))")
      .args(req.owner, req.now + req.ttl, ids.dump())
      .run();
  for (auto& item : items) {
    if (attempt) ++item.attempts;
    item.state = RecordState::Leased;
  }
}

void SqliteQueue::expireLeases(const LeaseRequest& req) {
  // A lease that expired belongs to a worker that died or stalled: its record
  // may have reached the target, so the next attempt is told it is ambiguous
  // (a lapsed confirmation check just waits for the next one).
  db_.prepare(std::string("UPDATE queue SET ") + kUnlease +
              " WHERE flow = ?1 AND target = ?2 AND state = 'leased' AND lease_expires_at <= ?3")
      .args(req.flow, req.target, req.now)
      .run();
}

std::vector<QueueItem> SqliteQueue::leaseAwaiting(const LeaseRequest& req) {
  // Every delivery tick asks; almost always nothing awaits, and a read costs
  // no write lock (the delivery lease that follows expires lapsed leases anyway).
  const bool due = db_.read([&] {
    auto st = db_.prepare(
        "SELECT 1 FROM queue WHERE flow = ?1 AND target = ?2 AND state = 'awaiting' AND next_attempt_at <= ?3 LIMIT 1");
    st.args(req.flow, req.target, req.now);
    return st.step();
  });
  if (!due) return {};
  return db_.transaction([&] {
    expireLeases(req);
    std::vector<QueueItem> items;
    {
      auto st = db_.prepare(std::string("SELECT ") + kItemColumns +
                            " FROM queue WHERE flow = ?1 AND target = ?2 AND state = 'awaiting' "
                            "AND next_attempt_at <= ?3 ORDER BY next_attempt_at, id LIMIT ?4");
      st.args(req.flow, req.target, req.now, req.limit);
      while (st.step()) items.push_back(readItem(st));
    }
    markLeased(items, req, false);
    return items;
  });
}

void SqliteQueue::complete(const Completion& c) {
  db_.transaction([&] {
    std::vector<Id> runs;
    // Run counters are added up per batch: one UPDATE per (run, counter), not per record.
    std::map<std::pair<Id, std::string>, std::int64_t> tally;
    // Releasing parked records costs a statement per delivery; skip it when none wait.
    // INDEXED BY here and below: without statistics the planner prefers scanning a
    // whole covering index to the small partial one, which with a million rows of
    // history costs ~100 ms per call instead of microseconds.
    bool anyParked = false;
    {
      auto st = db_.prepare("SELECT 1 FROM queue INDEXED BY queue_parked WHERE state = 'parked' LIMIT 1");
      anyParked = st.step();
    }
    const std::string detailOrNull = "json_insert(history, '$[#]', json(?9))";
    for (const auto& o : c.outcomes) {
      // One statement per record: the state change, the attempt appended to the
      // history, and the lease check (an outcome for a lease lost to expiry changes nothing).
      std::string set;
      switch (o.verdict) {
        case Verdict::Delivered:
          set = "state = 'delivered', finished_at = ?3, mapped_hash = ?4, remote_id = ?5, ambiguous = 0, "
                "last_error = NULL, mapped_payload = NULL";
          break;
        case Verdict::Skipped:
          set = "state = 'skipped', finished_at = ?3, mapped_hash = ?4";
          break;
        case Verdict::Retry:
          set = "state = 'pending', next_attempt_at = ?6, last_error = ?7, ambiguous = ?8, "
                "first_failed_at = COALESCE(first_failed_at, ?3)";
          break;
        case Verdict::Park:
          set = "state = 'parked', park_ref = ?5, parked_at = COALESCE(parked_at, ?3), last_error = ?7, "
                "mapped_payload = ?4, first_failed_at = COALESCE(first_failed_at, ?3)";
          break;
        case Verdict::Dead:
          set = "state = 'dead', finished_at = ?3, last_error = ?7, "
                "mapped_payload = COALESCE(NULLIF(?4, ''), mapped_payload), first_failed_at = COALESCE(first_failed_at, ?3)";
          break;
        case Verdict::Await:
          set = "state = 'awaiting', awaiting_since = COALESCE(awaiting_since, ?3), next_attempt_at = ?6, "
                "mapped_hash = ?4, remote_id = ?5, mapped_payload = COALESCE(NULLIF(?10, ''), mapped_payload), "
                "ambiguous = 0, last_error = NULL";
          break;
      }
      auto st = db_.prepare("UPDATE queue SET " + set + ", history = " + detailOrNull +
                            ", lease_owner = NULL, lease_expires_at = NULL WHERE id = ?1 AND state = 'leased' "
                            "AND lease_owner = ?2 RETURNING COALESCE(run_id, 0), record_key");
      st.bind(1, o.id).bind(2, c.owner).bind(3, c.now);
      switch (o.verdict) {
        case Verdict::Delivered: st.bind(4, o.mapped_hash).bind(5, o.remote_id); break;
        case Verdict::Skipped: st.bind(4, o.mapped_hash); break;
        case Verdict::Retry: st.bind(6, o.next_attempt_at).bind(7, o.failure.message).bind(8, o.ambiguous ? 1 : 0); break;
        case Verdict::Park: st.bind(4, o.mapped_payload).bind(5, o.park_ref).bind(7, o.failure.message); break;
        case Verdict::Dead: st.bind(4, o.mapped_payload).bind(7, o.failure.message); break;
        case Verdict::Await:
          st.bind(4, o.mapped_hash).bind(5, o.remote_id).bind(6, o.next_attempt_at).bind(10, o.mapped_payload);
          break;
      }
      st.bind(9, o.attempt_detail.empty() ? std::string("null") : o.attempt_detail);
      if (!st.step()) continue;  // lease lost: whoever holds it now decides
      const Id run = st.i64(0);
      const std::string key = st.text(1);
      st.run();
      if (std::find(runs.begin(), runs.end(), run) == runs.end()) runs.push_back(run);
      switch (o.verdict) {
        case Verdict::Delivered:
          upsertXref(db_, {c.entity, c.target_system, key, o.remote_id, o.remote_number, o.mapped_hash, c.flow, c.now});
          if (anyParked) releaseParked(db_, parkRef(c.entity, c.target_system, key), c.now);
          ++tally[{run, "delivered"}];
          break;
        case Verdict::Skipped: ++tally[{run, "skipped"}]; break;
        case Verdict::Retry: ++tally[{run, "retried"}]; break;
        case Verdict::Park:
          // The reference may have been delivered while this batch was mapped and
          // sent; its delivery found nothing parked then, so look once more here,
          // inside the transaction that parks.
          if (referenceResolved(db_, o.park_ref)) releaseParked(db_, o.park_ref, c.now);
          ++tally[{run, "parked"}];
          break;
        case Verdict::Dead:
          // The dead letter takes its history, payload and attempts from the row just updated.
          db_.prepare(
                "INSERT INTO dead_letters (queue_id, flow, target, entity, record_key, stage, error_type, "
                "http_status, message, response_excerpt, attempts, history, source_payload, mapped_payload, "
                "mapping_version, first_failed_at, created_at) SELECT id, flow, target, entity, record_key, ?2, ?3, "
                "?4, ?5, ?6, attempts, history, payload, mapped_payload, ?7, COALESCE(first_failed_at, ?8), ?8 "
                "FROM queue WHERE id = ?1")
              .args(o.id, o.failure.stage, o.failure.error_type, o.failure.http_status, o.failure.message,
                    o.failure.response_excerpt, o.mapping_version, c.now)
              .run();
          ++tally[{run, "dead_lettered"}];
          break;
        case Verdict::Await: break;  // counted once it is delivered or dead-lettered
      }
    }
    for (const auto& [what, n] : tally) bumpRun(db_, what.first, what.second.c_str(), n);
    for (Id run : runs) finishRunIfDone(db_, run, c.now);
  });
}

std::size_t SqliteQueue::expireParked(const std::string& flow, Millis cutoff, Millis now) {
  return db_.transaction([&] {
    std::vector<std::tuple<Id, std::string, std::string, std::string, std::string, std::string, std::string, int,
                           std::string, Id, Millis>>
        rows;
    {
      auto st = db_.prepare(
          "SELECT id, target, entity, record_key, payload, COALESCE(last_error, ''), history, attempts, "
          "COALESCE(mapped_payload, ''), COALESCE(run_id, 0), COALESCE(first_failed_at, parked_at) FROM queue "
          "WHERE flow = ?1 AND state = 'parked' AND parked_at < ?2");
      st.args(flow, cutoff);
      while (st.step())
        rows.emplace_back(st.i64(0), st.text(1), st.text(2), st.text(3), st.text(4), st.text(5), st.text(6),
                          static_cast<int>(st.i64(7)), st.text(8), st.i64(9), st.i64(10));
    }
    for (const auto& [id, target, entity, key, payload, error, history, attempts, mapped, run, firstFailed] : rows) {
      db_.prepare("UPDATE queue SET state = 'dead', finished_at = ?2, park_ref = NULL WHERE id = ?1")
          .args(id, now)
          .run();
      db_.prepare(
            "INSERT INTO dead_letters (queue_id, flow, target, entity, record_key, stage, error_type, message, "
            "attempts, history, source_payload, mapped_payload, first_failed_at, created_at) "
            "VALUES (?1, ?2, ?3, ?4, ?5, 'map', 'unresolved_reference', ?6, ?7, ?8, ?9, ?10, ?11, ?12)")
          .args(id, flow, target, entity, key, "park timeout passed: " + error, attempts, history, payload, mapped,
                firstFailed, now)
          .run();
      bumpRun(db_, run, "dead_lettered");
      finishRunIfDone(db_, run, now);
    }
    return rows.size();
  });
}

std::optional<Millis> SqliteQueue::nextDue(const std::string& flow, const std::string& target) {
  return db_.read([&]() -> std::optional<Millis> {
    auto st = db_.prepare(
        "SELECT MIN(t) FROM (SELECT MIN(next_attempt_at) AS t FROM queue WHERE flow = ?1 AND target = ?2 AND "
        "state IN ('pending', 'awaiting') UNION ALL SELECT MIN(lease_expires_at) FROM queue WHERE flow = ?1 AND target = ?2 AND "
        "state = 'leased')");
    st.args(flow, target);
    if (st.step() && !st.isNull(0)) return st.i64(0);
    return std::nullopt;
  });
}

std::vector<QueueCounts> SqliteQueue::counts(const std::string& flow) {
  return db_.read([&] {
    std::vector<QueueCounts> out;
    // Two texts rather than "(?1 = '' OR flow = ?1)": the OR would keep SQLite
    // from using the covering index on (state, flow, target, enqueued_at).
    auto st = flow.empty()
                  ? db_.prepare(std::string("SELECT flow, target, state, COUNT(*), MIN(enqueued_at) FROM queue "
                                            "WHERE state IN ") + kActive + " GROUP BY flow, target, state")
                  : db_.prepare(std::string("SELECT flow, target, state, COUNT(*), MIN(enqueued_at) FROM queue "
                                            "WHERE state IN ") + kActive + " AND flow = ?1 GROUP BY flow, target, state");
    if (!flow.empty()) st.bind(1, flow);
    std::map<std::pair<std::string, std::string>, QueueCounts> byTarget;
    while (st.step()) {
      auto& qc = byTarget[{st.text(0), st.text(1)}];
      qc.flow = st.text(0);
      qc.target = st.text(1);
      qc.add(st.text(2), st.i64(3), st.i64(4));
    }
    for (auto& [k, v] : byTarget) out.push_back(std::move(v));
    return out;
  });
}

std::vector<QueueItem> SqliteQueue::history(const std::string& entity, const std::string& key) {
  return db_.read([&] {
    std::vector<QueueItem> out;
    auto st = db_.prepare(std::string("SELECT ") + kItemColumns +
                          " FROM queue WHERE entity = ?1 AND record_key = ?2 ORDER BY id");
    st.args(entity, key);
    while (st.step()) out.push_back(readItem(st));
    return out;
  });
}

std::vector<QueueItem> SqliteQueue::items(const std::vector<Id>& ids) {
  return db_.read([&] {
    std::vector<QueueItem> out;
    for (Id id : ids) {
      auto st = db_.prepare(std::string("SELECT ") + kItemColumns + " FROM queue WHERE id = ?1");
      st.bind(1, id);
      if (st.step()) out.push_back(readItem(st));
    }
    return out;
  });
}

std::size_t SqliteQueue::purgeFinished(Millis before) {
  return db_.transaction([&] {
    db_.prepare(
          "DELETE FROM queue WHERE finished_at IS NOT NULL AND finished_at < ?1 "
          "AND state IN ('delivered','skipped','superseded','dead')")
        .args(before)
        .run();
    const auto purged = static_cast<std::size_t>(db_.changes());
    // Claimed ticks only guard against a second fire of the same tick: old ones go too.
    db_.prepare("DELETE FROM schedule_ticks WHERE fired_at < ?1").args(before).run();
    return purged;
  });
}

std::vector<std::string> SqliteQueue::leaseOwners() {
  return db_.read([&] {
    std::vector<std::string> out;
    auto st = db_.prepare(std::string("SELECT DISTINCT lease_owner FROM queue INDEXED BY queue_active WHERE state IN ") + kActive +
                          " AND state = 'leased'");
    while (st.step()) out.push_back(st.text(0));
    return out;
  });
}

std::size_t SqliteQueue::releaseLeases(const std::string& owner, Millis now) {
  return db_.transaction([&] {
    db_.prepare(
          std::string("UPDATE queue SET ") + kUnlease + ", next_attempt_at = MIN(next_attempt_at, ?2) WHERE id IN (SELECT id FROM queue INDEXED BY queue_active "
          "WHERE state IN " + std::string(kActive) + " AND state = 'leased' AND lease_owner = ?1)")
        .args(owner, now)
        .run();
    return static_cast<std::size_t>(db_.changes());
  });
}

}  // namespace hub::store::sqlite
