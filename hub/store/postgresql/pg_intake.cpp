// A page of pulled or pushed records, its cursor and run counters, in one
// transaction. Set-based: each step is one statement for the whole page
// (arrays as parameters), not one per record: a round trip to the server per
// record and step capped intake at about 1 000 records/s.
#include <map>
#include <set>

#include "hub/store/postgresql/pg_store.h"

namespace hub::store::pg {
namespace {

void deadLetterAtIntake(Connection& c, const PageCommit& page, const IncomingRecord& r) {
  for (const auto& target : page.targets) {
    const Id queueId =
        c.run("INSERT INTO queue (flow, target, entity, record_key, state, payload, source_hash, next_attempt_at, "
              "run_id, origin, enqueued_at, finished_at, last_error) VALUES ($1, $2, $3, $4, 'dead', $5, $6, "
              "$7::bigint, $8::bigint, $9, $7::bigint, $7::bigint, $10) RETURNING id",
              {param(page.flow), param(target), param(page.entity), param(r.key), param(r.payload),
               param(r.source_hash), param(page.now), page.run_id ? param(page.run_id) : Param{}, param(page.origin),
               param(r.problem)})
            .i64(0, 0);
    c.query(
        "INSERT INTO dead_letters (queue_id, flow, target, entity, record_key, stage, error_type, message, attempts, "
        "history, source_payload, first_failed_at, created_at) VALUES ($1::bigint, $2, $3, $4, $5, 'pull', "
        "'malformed_record', $6, 0, '[]', $7, $8::bigint, $8::bigint)",
        queueId, page.flow, target, page.entity, r.key, r.problem, r.payload, page.now);
    bumpRun(c, page.run_id, "dead_lettered");
  }
}

// Source-side identities: the xref learns each record's id in its source, and
// records parked on them are released (under the reference locks, see lockReferences).
void recordSourceIds(Connection& c, const PageCommit& page, const std::vector<const IncomingRecord*>& records) {
  std::vector<std::string> keys, remoteIds, refs;
  for (const auto* r : records) {
    if (r->remote_id.empty()) continue;
    keys.push_back(r->key);
    remoteIds.push_back(r->remote_id);
    refs.push_back(parkRef(page.entity, page.source_system, r->key));
  }
  if (keys.empty()) return;
  lockReferences(c, refs);
  upsertXrefs(c, {page.entity, page.source_system, page.flow, page.now, keys, remoteIds, keys,
                  std::vector<std::string>(keys.size())});
  releaseAllParked(c, refs, page.now);
}

// Records with distinct keys: remembered, queued per target where changed,
// older pending versions superseded.
void queueChanged(Connection& c, const PageCommit& page, const std::vector<const IncomingRecord*>& records,
                  IntakeResult& result) {
  if (records.empty()) return;
  recordSourceIds(c, page, records);
  std::vector<std::string> keys, hashes;
  for (const auto* r : records) keys.push_back(r->key), hashes.push_back(r->source_hash);
  // One statement remembers the content of every record and says which changed.
  const auto changed = c.query(
      "INSERT INTO flow_keys AS k (flow, record_key, source_hash, seen_at) "
      "SELECT $1, key, hash, $2::bigint FROM unnest($3::text[], $4::text[]) AS t(key, hash) "
      "ON CONFLICT (flow, record_key) DO UPDATE SET source_hash = excluded.source_hash, seen_at = excluded.seen_at "
      "WHERE k.source_hash <> excluded.source_hash RETURNING record_key",
      page.flow, page.now, textArray(keys), textArray(hashes));
  std::set<std::string> changedKeys;
  for (int i = 0; i < changed.rows(); ++i) changedKeys.insert(changed.text(i, 0));
  result.unchanged += records.size() - changedKeys.size();
  if (changedKeys.empty()) return;
  std::vector<std::string> qKeys, qPayloads, qHashes, qUpdated;
  for (const auto* r : records) {
    if (!changedKeys.count(r->key)) continue;
    qKeys.push_back(r->key);
    qPayloads.push_back(r->payload);
    qHashes.push_back(r->source_hash);
    qUpdated.push_back(std::to_string(r->updated_at));
  }
  // Rows in page order, then target order, as the per-record form made them.
  const auto inserted = c.run(
      "INSERT INTO queue (flow, target, entity, record_key, state, payload, source_hash, source_updated_at, "
      "next_attempt_at, run_id, origin, enqueued_at) "
      "SELECT $1, tg.target, $2, r.key, 'pending', r.payload, r.hash, r.updated::bigint, $3::bigint, $4::bigint, $5, "
      "$3::bigint FROM unnest($6::text[], $7::text[], $8::text[], $9::text[]) WITH ORDINALITY "
      "AS r(key, payload, hash, updated, n) CROSS JOIN unnest($10::text[]) WITH ORDINALITY AS tg(target, m) "
      "ORDER BY r.n, tg.m RETURNING id, target, record_key",
      {param(page.flow), param(page.entity), param(page.now), page.run_id ? param(page.run_id) : Param{},
       param(page.origin), param(textArray(qKeys)), param(textArray(qPayloads)), param(textArray(qHashes)),
       param(textArray(qUpdated)), param(textArray(page.targets))});
  result.queued += static_cast<std::size_t>(inserted.rows());
  std::vector<Id> ids;
  std::vector<std::string> targets, rowKeys;
  for (int i = 0; i < inserted.rows(); ++i) {
    ids.push_back(inserted.i64(i, 0));
    targets.push_back(inserted.text(i, 1));
    rowKeys.push_back(inserted.text(i, 2));
  }
  // An older version still waiting is replaced: the target needs the latest
  // state, and per-key order means it could only go first anyway.
  // Found with one index probe per new row (LATERAL), then changed by
  // primary key: as one UPDATE … FROM join, a queue without statistics was
  // hashed whole for every page (2 s a page at 100 000 rows).
  const auto found = c.queryPlanned(
      "SELECT o.id, n.id FROM unnest($2::bigint[], $3::text[], $4::text[]) AS n(id, target, key) "
      "CROSS JOIN LATERAL (SELECT id FROM queue o WHERE o.flow = $1 AND o.target = n.target AND o.record_key = n.key "
      "AND o.state = 'pending' AND o.id < n.id) o",
      page.flow, bigintArray(ids), textArray(targets), textArray(rowKeys));
  if (found.empty()) return;
  std::vector<Id> oldIds, newIds;
  for (int i = 0; i < found.rows(); ++i) oldIds.push_back(found.i64(i, 0)), newIds.push_back(found.i64(i, 1));
  const auto older = c.query(
      "UPDATE queue q SET state = 'superseded', finished_at = $1::bigint, superseded_by = "
      "(SELECT m.new_id FROM unnest($2::bigint[], $3::bigint[]) AS m(old_id, new_id) WHERE m.old_id = q.id LIMIT 1) "
      "WHERE q.id = ANY($2::bigint[]) AND q.state = 'pending' RETURNING COALESCE(q.run_id, 0)",
      page.now, bigintArray(oldIds), bigintArray(newIds));
  std::map<Id, std::int64_t> supersededByRun;
  for (int i = 0; i < older.rows(); ++i) ++supersededByRun[older.i64(i, 0)];
  for (const auto& [run, n] : supersededByRun) {
    bumpRun(c, run, "superseded", n);
    if (run != page.run_id) finishRunIfDone(c, run, page.now);
  }
}

}  // namespace

IntakeResult PgQueue::commitPage(const PageCommit& page) {
  return pool_.transaction([&](Connection& c) {
    IntakeResult result;
    if (!page.claim_owner.empty() && !renewRun(c, page.flow, page.claim_owner, page.now, page.claim_ttl)) {
      result.claim_lost = true;
      return result;
    }
    // The unique key decides between nodes: a second node committing the same
    // delivery waits for the first and then inserts nothing.
    if (!page.delivery_id.empty() &&
        c.query("INSERT INTO webhook_deliveries (flow, delivery_id, received_at) VALUES ($1, $2, $3::bigint) "
                "ON CONFLICT DO NOTHING",
                page.flow, page.delivery_id, page.now)
                .affected() == 0) {
      result.duplicate_delivery = true;
      return result;
    }
    // A key twice in one page is two versions: the page is taken in runs of
    // distinct keys, so the later version supersedes the earlier as it would
    // in the next page.
    std::vector<const IncomingRecord*> run;
    std::set<std::string> inRun;
    for (const auto& r : page.records) {
      if (!r.problem.empty()) {
        deadLetterAtIntake(c, page, r);
        continue;
      }
      if (inRun.count(r.key)) {
        queueChanged(c, page, run, result);
        run.clear();
        inRun.clear();
      }
      run.push_back(&r);
      inRun.insert(r.key);
    }
    queueChanged(c, page, run, result);
    if (page.cursor)
      c.query("INSERT INTO flow_state (flow, cursor, updated_at) VALUES ($1, $2, $3::bigint) "
              "ON CONFLICT (flow) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at",
              page.flow, *page.cursor, page.now);
    bumpRun(c, page.run_id, "pulled", static_cast<std::int64_t>(page.records.size()));
    bumpRun(c, page.run_id, "unchanged", static_cast<std::int64_t>(result.unchanged));
    bumpRun(c, page.run_id, "queued", static_cast<std::int64_t>(result.queued));
    return result;
  });
}

}  // namespace hub::store::pg
