#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "hub/store/postgresql/pg_store.h"

namespace hub::store::pg {
namespace {

const char* kActive = "('pending','leased','parked','awaiting')";
// A lease that lapsed hands its record back to the state it was leased from;
// only a push attempt becomes ambiguous (a lapsed confirmation check just waits for the next one).
const char* kUnlease =
    "state = CASE WHEN awaiting_since IS NULL THEN 'pending' ELSE 'awaiting' END, "
    "ambiguous = CASE WHEN awaiting_since IS NULL THEN 1 ELSE ambiguous END, lease_owner = NULL, lease_expires_at = NULL";


constexpr const char* kItemColumns =
    "id, flow, target, entity, record_key, payload, source_hash, attempts, ambiguous, history, COALESCE(run_id, 0), "
    "enqueued_at, origin, state, COALESCE(finished_at, 0), COALESCE(last_error, ''), COALESCE(remote_id, ''), "
    "COALESCE(awaiting_since, 0), COALESCE(mapped_hash, '')";

QueueItem readItem(const Result& r, int i) {
  QueueItem q;
  q.id = r.i64(i, 0);
  q.flow = r.text(i, 1);
  q.target = r.text(i, 2);
  q.entity = r.text(i, 3);
  q.key = r.text(i, 4);
  q.payload = r.text(i, 5);
  q.source_hash = r.text(i, 6);
  q.attempts = static_cast<int>(r.i64(i, 7));
  q.ambiguous = r.i64(i, 8) != 0;
  q.history = r.text(i, 9);
  q.run_id = r.i64(i, 10);
  q.enqueued_at = r.i64(i, 11);
  q.origin = r.text(i, 12);
  q.state = parseRecordState(r.text(i, 13)).value_or(RecordState::Pending);
  q.finished_at = r.i64(i, 14);
  q.last_error = r.text(i, 15);
  q.remote_id = r.text(i, 16);
  q.awaiting_since = r.i64(i, 17);
  q.mapped_hash = r.text(i, 18);
  return q;
}


// What a lease's UPDATE … RETURNING gives: the item's columns (readItem) and its due time.
const std::string kLeasedColumns = std::string("queue.") + kItemColumns + ", next_attempt_at";

// UPDATE … RETURNING has no order: the leased items, oldest due first.
std::vector<QueueItem> dueOrder(const Result& r) {
  std::vector<std::pair<Millis, QueueItem>> rows;
  for (int i = 0; i < r.rows(); ++i) rows.emplace_back(r.i64(i, 19), readItem(r, i));
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : a.second.id < b.second.id;
  });
  std::vector<QueueItem> items;
  for (auto& [due, item] : rows) items.push_back(std::move(item));
  return items;
}

bool referenceResolved(Connection& c, const std::string& ref) {
  return !c.query(
              "SELECT 1 FROM xref WHERE entity = ($1::jsonb->>0) AND system = ($1::jsonb->>1) "
              "AND local_id = ($1::jsonb->>2) AND (COALESCE(remote_id, '') <> '' OR COALESCE(remote_number, '') <> '')",
              ref)
              .empty();
}


}  // namespace

void bumpRun(Connection& c, Id run, const char* column, std::int64_t by) {
  if (run == 0 || by == 0) return;
  c.query(std::string("UPDATE runs SET ") + column + " = " + column + " + $1::bigint WHERE id = $2::bigint", by, run);
}

void lockReferences(Connection& c, const std::vector<std::string>& refs) {
  // In one order, so two transactions locking overlapping references never wait on each other in a cycle.
  c.query("SELECT pg_advisory_xact_lock(hashtext(r)) FROM (SELECT unnest($1::text[]) AS r ORDER BY 1) s",
          textArray(refs));
}

void upsertXrefs(Connection& c, const XrefBatch& b) {
  // An empty value is NULL, so a source-side
  // entry (no content hash) keeps the hash a delivery recorded.
  c.query("INSERT INTO xref AS x (entity, system, local_id, remote_id, remote_number, content_hash, flow, updated_at) "
          "SELECT $1, $2, k, NULLIF(rid, ''), NULLIF(num, ''), NULLIF(hash, ''), $3, $4::bigint "
          "FROM unnest($5::text[], $6::text[], $7::text[], $8::text[]) AS t(k, rid, num, hash) "
          "ON CONFLICT (entity, system, local_id) DO UPDATE SET "
          "remote_id = COALESCE(excluded.remote_id, x.remote_id), "
          "remote_number = COALESCE(excluded.remote_number, x.remote_number), "
          "content_hash = COALESCE(excluded.content_hash, x.content_hash), flow = excluded.flow, "
          "updated_at = excluded.updated_at",
          b.entity, b.system, b.flow, b.now, textArray(b.keys), textArray(b.remote_ids), textArray(b.remote_numbers),
          textArray(b.hashes));
}

void releaseAllParked(Connection& c, const std::vector<std::string>& refs, Millis now) {
  c.query("UPDATE queue SET state = 'pending', next_attempt_at = $2::bigint, park_ref = NULL "
          "WHERE state = 'parked' AND park_ref = ANY($1::text[])",
          textArray(refs), now);
}

namespace {

// The batch's deliveries in three statements whatever its size: the rows
// (lease checked in the statement), their xref entries, and the records
// parked on them, under the reference locks (see lockReferences).
void completeDelivered(Connection& db, const Completion& c, const std::vector<const ItemOutcome*>& delivered,
                       std::vector<Id>& runs, std::map<std::pair<Id, std::string>, std::int64_t>& tally) {
  if (delivered.empty()) return;
  std::vector<Id> ids;
  std::vector<std::string> hashes, remoteIds, details;
  std::map<Id, const ItemOutcome*> byId;
  for (const auto* o : delivered) {
    ids.push_back(o->id);
    hashes.push_back(o->mapped_hash);
    remoteIds.push_back(o->remote_id);
    details.push_back(o->attempt_detail.empty() ? std::string("null") : o->attempt_detail);
    byId[o->id] = o;
  }
  const auto r = db.query(
      "UPDATE queue q SET state = 'delivered', finished_at = $2::bigint, mapped_hash = d.hash, remote_id = d.rid, "
      "ambiguous = 0, last_error = NULL, mapped_payload = NULL, "
      "history = (q.history::jsonb || jsonb_build_array(d.detail::jsonb))::text, lease_owner = NULL, "
      "lease_expires_at = NULL FROM unnest($3::bigint[], $4::text[], $5::text[], $6::text[]) AS d(id, hash, rid, detail) "
      "WHERE q.id = d.id AND q.state = 'leased' AND q.lease_owner = $1 RETURNING q.id, COALESCE(q.run_id, 0), q.record_key",
      c.owner, c.now, bigintArray(ids), textArray(hashes), textArray(remoteIds), textArray(details));
  if (r.empty()) return;  // every lease lost: whoever holds them now decides
  XrefBatch x{c.entity, c.target_system, c.flow, c.now, {}, {}, {}, {}};
  std::vector<std::string> refs;
  for (int i = 0; i < r.rows(); ++i) {
    const ItemOutcome& o = *byId.at(r.i64(i, 0));
    const Id run = r.i64(i, 1);
    const std::string key = r.text(i, 2);
    if (std::find(runs.begin(), runs.end(), run) == runs.end()) runs.push_back(run);
    ++tally[{run, "delivered"}];
    x.keys.push_back(key);
    x.remote_ids.push_back(o.remote_id);
    x.remote_numbers.push_back(o.remote_number);
    x.hashes.push_back(o.mapped_hash);
    refs.push_back(parkRef(c.entity, c.target_system, key));
  }
  lockReferences(db, refs);
  upsertXrefs(db, x);
  releaseAllParked(db, refs, c.now);
}

}  // namespace

void finishRunIfDone(Connection& c, Id run, Millis now) {
  if (run == 0) return;
  if (!c.query(std::string("SELECT 1 FROM queue WHERE run_id = $1::bigint AND state IN ") + kActive + " LIMIT 1", run)
           .empty())
    return;
  c.query("UPDATE runs SET status = 'finished', ended_at = $2::bigint WHERE id = $1::bigint AND status = 'pulled'", run,
          now);
}

std::vector<QueueItem> PgQueue::lease(const LeaseRequest& req) {
  return pool_.transaction([&](Connection& c) {
    // A lease that expired belongs to a worker that died or stalled: its
    // record may have reached the target, so the next attempt is told it is
    // ambiguous. SKIP LOCKED: a row another node is changing right now is
    // left to it.
    expireLeases(c, req);
    // The candidates are picked and locked in a CTE: the planner may not fold
    // it into the UPDATE (which could then lock more rows than the LIMIT).
    // Rows locked by another node's lease are skipped, not waited for; a key
    // whose older version is still on its way is not handed out (per-key
    // order holds across nodes: the older row is active until it is final).
    // The older-version check is a LATERAL subquery with LIMIT 1 so it is
    // always one index probe per candidate: written as NOT EXISTS, a fresh
    // table without statistics got an anti-join scanning every row of the
    // target per candidate (250 ms for 20 000 rows, seconds under load).
    const auto r = c.query(
        std::string("WITH picked AS MATERIALIZED (SELECT q.id FROM queue q CROSS JOIN LATERAL (SELECT COUNT(*) AS n "
                    "FROM (SELECT 1 FROM queue o WHERE o.flow = q.flow AND o.target = q.target "
                    "AND o.record_key = q.record_key AND o.id < q.id AND o.state IN ") +
            kActive +
            " LIMIT 1) older) k WHERE q.flow = $1 AND q.target = $2 AND q.state = 'pending' "
            "AND q.next_attempt_at <= $3::bigint AND k.n = 0 "
            "ORDER BY q.next_attempt_at, q.id LIMIT $4::bigint FOR UPDATE OF q SKIP LOCKED) "
            "UPDATE queue SET state = 'leased', lease_owner = $5, lease_expires_at = $6::bigint, "
            "attempts = attempts + 1 FROM picked WHERE queue.id = picked.id RETURNING " + kLeasedColumns,
        req.flow, req.target, req.now, req.limit, req.owner, req.now + req.ttl);
    return dueOrder(r);
  });
}

void PgQueue::expireLeases(Connection& c, const LeaseRequest& req) {
  // A lease that expired belongs to a worker that died or stalled: its
  // record may have reached the target, so the next attempt is told it is
  // ambiguous. SKIP LOCKED: a row another node is changing right now is left to it.
  c.query(std::string("UPDATE queue SET ") + kUnlease +
              " WHERE id IN (SELECT id FROM queue WHERE flow = $1 AND target = $2 AND state = 'leased' "
              "AND lease_expires_at <= $3::bigint FOR UPDATE SKIP LOCKED)",
          req.flow, req.target, req.now);
}

std::vector<QueueItem> PgQueue::leaseAwaiting(const LeaseRequest& req) {
  // Every delivery tick asks; almost always nothing awaits, and a read takes
  // no row locks (the delivery lease that follows expires lapsed leases anyway).
  const bool due = pool_.read([&](Connection& c) {
    return !c.query("SELECT 1 FROM queue WHERE flow = $1 AND target = $2 AND state = 'awaiting' "
                    "AND next_attempt_at <= $3::bigint LIMIT 1",
                    req.flow, req.target, req.now)
                .empty();
  });
  if (!due) return {};
  return pool_.transaction([&](Connection& c) {
    expireLeases(c, req);
    const auto r = c.query(
        std::string("WITH picked AS MATERIALIZED (SELECT id FROM queue WHERE flow = $1 AND target = $2 "
                    "AND state = 'awaiting' AND next_attempt_at <= $3::bigint ORDER BY next_attempt_at, id "
                    "LIMIT $4::bigint FOR UPDATE SKIP LOCKED) "
                    "UPDATE queue SET state = 'leased', lease_owner = $5, lease_expires_at = $6::bigint "
                    "FROM picked WHERE queue.id = picked.id RETURNING ") + kLeasedColumns,
        req.flow, req.target, req.now, req.limit, req.owner, req.now + req.ttl);
    return dueOrder(r);
  });
}

void PgQueue::complete(const Completion& c) {
  pool_.transaction([&](Connection& db) {
    std::vector<Id> runs;
    std::map<std::pair<Id, std::string>, std::int64_t> tally;
    // Rows in id order: two nodes completing overlapping sets lock them in
    // the same order (they cannot overlap while leases hold, but replays may).
    std::vector<const ItemOutcome*> outcomes, delivered;
    for (const auto& o : c.outcomes) (o.verdict == Verdict::Delivered ? delivered : outcomes).push_back(&o);
    std::sort(outcomes.begin(), outcomes.end(), [](const auto* a, const auto* b) { return a->id < b->id; });
    completeDelivered(db, c, delivered, runs, tally);
    // The rest (retries, parks, skips, dead letters) one statement each: a batch has few.
    for (const ItemOutcome* op : outcomes) {
      const ItemOutcome& o = *op;
      std::string set;
      std::vector<Param> p = {param(o.id), param(c.owner), param(c.now)};
      switch (o.verdict) {
        case Verdict::Delivered: break;  // completeDelivered
        case Verdict::Skipped:
          set = "state = 'skipped', finished_at = $3::bigint, mapped_hash = $4";
          p.push_back(param(o.mapped_hash));
          break;
        case Verdict::Retry:
          set = "state = 'pending', next_attempt_at = $4::bigint, last_error = $5, ambiguous = $6::integer, "
                "first_failed_at = COALESCE(first_failed_at, $3::bigint)";
          p.insert(p.end(), {param(o.next_attempt_at), param(o.failure.message), param(o.ambiguous)});
          break;
        case Verdict::Park:
          set = "state = 'parked', park_ref = $5, parked_at = COALESCE(parked_at, $3::bigint), last_error = $6, "
                "mapped_payload = $4, first_failed_at = COALESCE(first_failed_at, $3::bigint)";
          p.insert(p.end(), {param(o.mapped_payload), param(o.park_ref), param(o.failure.message)});
          break;
        case Verdict::Dead:
          set = "state = 'dead', finished_at = $3::bigint, last_error = $5, "
                "mapped_payload = COALESCE(NULLIF($4, ''), mapped_payload), "
                "first_failed_at = COALESCE(first_failed_at, $3::bigint)";
          p.insert(p.end(), {param(o.mapped_payload), param(o.failure.message)});
          break;
        case Verdict::Await:
          set = "state = 'awaiting', awaiting_since = COALESCE(awaiting_since, $3::bigint), "
                "next_attempt_at = $4::bigint, mapped_hash = $5, remote_id = $6, "
                "mapped_payload = COALESCE(NULLIF($7, ''), mapped_payload), ambiguous = 0, "
                "last_error = NULL";
          p.insert(p.end(),
                   {param(o.next_attempt_at), param(o.mapped_hash), param(o.remote_id), param(o.mapped_payload)});
          break;
      }
      const std::string detail = "$" + std::to_string(p.size() + 1);
      p.push_back(param(o.attempt_detail.empty() ? std::string("null") : o.attempt_detail));
      // The lease check is in the statement: an outcome for a lease lost to
      // expiry changes nothing.
      const auto r = db.run("UPDATE queue SET " + set + ", history = (history::jsonb || jsonb_build_array(" + detail +
                                "::jsonb))::text, lease_owner = NULL, lease_expires_at = NULL WHERE id = $1::bigint "
                                "AND state = 'leased' AND lease_owner = $2 RETURNING COALESCE(run_id, 0), record_key",
                            p);
      if (r.empty()) continue;
      const Id run = r.i64(0, 0);
      const std::string key = r.text(0, 1);
      if (std::find(runs.begin(), runs.end(), run) == runs.end()) runs.push_back(run);
      switch (o.verdict) {
        case Verdict::Delivered: break;
        case Verdict::Skipped: ++tally[{run, "skipped"}]; break;
        case Verdict::Retry: ++tally[{run, "retried"}]; break;
        case Verdict::Park:
          lockReferences(db, {o.park_ref});
          if (referenceResolved(db, o.park_ref)) releaseAllParked(db, {o.park_ref}, c.now);
          ++tally[{run, "parked"}];
          break;
        case Verdict::Dead:
          db.query(
              "INSERT INTO dead_letters (queue_id, flow, target, entity, record_key, stage, error_type, "
              "http_status, message, response_excerpt, attempts, history, source_payload, mapped_payload, "
              "mapping_version, first_failed_at, created_at) SELECT id, flow, target, entity, record_key, $2, $3, "
              "$4::integer, $5, $6, attempts, history, payload, mapped_payload, $7, "
              "COALESCE(first_failed_at, $8::bigint), $8::bigint FROM queue WHERE id = $1::bigint",
              o.id, o.failure.stage, o.failure.error_type, o.failure.http_status, o.failure.message,
              o.failure.response_excerpt, o.mapping_version, c.now);
          ++tally[{run, "dead_lettered"}];
          break;
        case Verdict::Await: break;  // counted once it is delivered or dead-lettered
      }
    }
    // Run rows are shared by every node delivering the run's records: updated
    // in id order (the map's and the sort's), so two completions never wait
    // on each other in a cycle.
    for (const auto& [what, n] : tally) bumpRun(db, what.first, what.second.c_str(), n);
    std::sort(runs.begin(), runs.end());
    for (Id run : runs) finishRunIfDone(db, run, c.now);
  });
}

std::size_t PgQueue::expireParked(const std::string& flow, Millis cutoff, Millis now) {
  return pool_.transaction([&](Connection& c) {
    const auto r = c.query(
        "UPDATE queue SET state = 'dead', finished_at = $3::bigint, park_ref = NULL WHERE id IN (SELECT id FROM queue "
        "WHERE flow = $1 AND state = 'parked' AND parked_at < $2::bigint ORDER BY id FOR UPDATE SKIP LOCKED) "
        "RETURNING id, COALESCE(run_id, 0), COALESCE(last_error, '')",
        flow, cutoff, now);
    std::vector<Id> runs;
    for (int i = 0; i < r.rows(); ++i) {
      c.query(
          "INSERT INTO dead_letters (queue_id, flow, target, entity, record_key, stage, error_type, message, "
          "attempts, history, source_payload, mapped_payload, first_failed_at, created_at) "
          "SELECT id, flow, target, entity, record_key, 'map', 'unresolved_reference', $2, attempts, history, "
          "payload, COALESCE(mapped_payload, ''), COALESCE(first_failed_at, parked_at), $3::bigint "
          "FROM queue WHERE id = $1::bigint",
          r.i64(i, 0), "park timeout passed: " + r.text(i, 2), now);
      bumpRun(c, r.i64(i, 1), "dead_lettered");
      runs.push_back(r.i64(i, 1));
    }
    std::sort(runs.begin(), runs.end());
    for (Id run : runs) finishRunIfDone(c, run, now);
    return static_cast<std::size_t>(r.rows());
  });
}

std::optional<Millis> PgQueue::nextDue(const std::string& flow, const std::string& target) {
  return pool_.read([&](Connection& c) -> std::optional<Millis> {
    const auto r = c.query(
        "SELECT LEAST((SELECT MIN(next_attempt_at) FROM queue WHERE flow = $1 AND target = $2 "
        "AND state IN ('pending', 'awaiting')), "
        "(SELECT MIN(lease_expires_at) FROM queue WHERE flow = $1 AND target = $2 AND state = 'leased'))",
        flow, target);
    if (r.empty() || r.isNull(0, 0)) return std::nullopt;
    return r.i64(0, 0);
  });
}

std::vector<QueueCounts> PgQueue::counts(const std::string& flow) {
  return pool_.read([&](Connection& c) {
    const auto r = c.query(std::string("SELECT flow, target, state, COUNT(*), MIN(enqueued_at) FROM queue "
                                       "WHERE state IN ") + kActive +
                               " AND ($1 = '' OR flow = $1) GROUP BY flow, target, state",
                           flow);
    std::map<std::pair<std::string, std::string>, QueueCounts> byTarget;
    for (int i = 0; i < r.rows(); ++i) {
      auto& qc = byTarget[{r.text(i, 0), r.text(i, 1)}];
      qc.flow = r.text(i, 0);
      qc.target = r.text(i, 1);
      qc.add(r.text(i, 2), r.i64(i, 3), r.i64(i, 4));
    }
    std::vector<QueueCounts> out;
    for (auto& [k, v] : byTarget) out.push_back(std::move(v));
    return out;
  });
}

std::vector<QueueItem> PgQueue::history(const std::string& entity, const std::string& key) {
  return pool_.read([&](Connection& c) {
    const auto r = c.query(std::string("SELECT ") + kItemColumns +
                               " FROM queue WHERE entity = $1 AND record_key = $2 ORDER BY id",
                           entity, key);
    std::vector<QueueItem> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(readItem(r, i));
    return out;
  });
}

std::vector<QueueItem> PgQueue::items(const std::vector<Id>& ids) {
  return pool_.read([&](Connection& c) {
    const auto r =
        c.query(std::string("SELECT ") + kItemColumns + " FROM queue WHERE id = ANY($1::bigint[]) ORDER BY id",
                bigintArray(ids));
    std::map<Id, QueueItem> byId;
    for (int i = 0; i < r.rows(); ++i) {
      auto item = readItem(r, i);
      byId.emplace(item.id, std::move(item));
    }
    std::vector<QueueItem> out;  // in the order asked for, as the SQLite store answers
    for (Id id : ids)
      if (auto it = byId.find(id); it != byId.end()) out.push_back(it->second);
    return out;
  });
}

std::size_t PgQueue::purgeFinished(Millis before) {
  return pool_.transaction([&](Connection& c) {
    const auto n = c.query("DELETE FROM queue WHERE finished_at IS NOT NULL AND finished_at < $1::bigint "
                           "AND state IN ('delivered','skipped','superseded','dead')",
                           before)
                       .affected();
    c.query("DELETE FROM schedule_ticks WHERE fired_at < $1::bigint", before);
    return static_cast<std::size_t>(n);
  });
}

std::vector<std::string> PgQueue::leaseOwners() {
  return pool_.read([&](Connection& c) {
    const auto r = c.query("SELECT DISTINCT lease_owner FROM queue WHERE state = 'leased'");
    std::vector<std::string> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(r.text(i, 0));
    return out;
  });
}

std::size_t PgQueue::releaseLeases(const std::string& owner, Millis now) {
  return pool_.transaction([&](Connection& c) {
    return static_cast<std::size_t>(
        c.query(std::string("UPDATE queue SET ") + kUnlease +
                    ", next_attempt_at = LEAST(next_attempt_at, $2::bigint) WHERE state = 'leased' AND lease_owner = $1",
                owner, now)
            .affected());
  });
}

}  // namespace hub::store::pg
