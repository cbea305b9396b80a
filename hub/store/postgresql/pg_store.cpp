#include "hub/store/postgresql/pg_store.h"

#include "hub/store/schema_policy.h"

namespace hub::store::pg {

PgStore::PgStore(const StoreOptions& o)
    : pool_(ConnectionOptions{o.url, o.password, o.statement_timeout, o.connect_timeout}, o.pool) {
  if (migrateOnOpen(pool_.server(), currentVersion(pool_), latestVersion(), o.upgrade)) migrate(pool_);
}

IntegrityReport PgStore::integrityCheck() {
  // PostgreSQL guards its own pages; what the hub can check is its own
  // invariants: no lease without an owner, no parked row without a reference.
  return pool_.read([&](Connection& c) {
    IntegrityReport report;
    const auto r = c.query(
        "SELECT (SELECT COUNT(*) FROM queue WHERE state = 'leased' AND (lease_owner IS NULL OR lease_expires_at IS "
        "NULL)), (SELECT COUNT(*) FROM queue WHERE state = 'parked' AND park_ref IS NULL)");
    if (r.i64(0, 0) > 0) report.problems.push_back(std::to_string(r.i64(0, 0)) + " leased rows without an owner");
    if (r.i64(0, 1) > 0) report.problems.push_back(std::to_string(r.i64(0, 1)) + " parked rows without a reference");
    return report;
  });
}

LeadershipResult PgCluster::lead(const std::string& duty, const std::string& node, Millis now, Millis ttl) {
  return pool_.transaction([&](Connection& c) {
    LeadershipResult result;
    const auto r = c.query(
        "INSERT INTO leadership AS l (duty, node, acquired_at, expires_at) VALUES ($1, $2, $3::bigint, $4::bigint) "
        "ON CONFLICT (duty) DO UPDATE SET "
        "  acquired_at = CASE WHEN l.node = excluded.node THEN l.acquired_at ELSE excluded.acquired_at END, "
        "  node = excluded.node, expires_at = excluded.expires_at "
        "WHERE l.node = excluded.node OR l.expires_at <= excluded.acquired_at "
        "RETURNING node, acquired_at, expires_at",
        duty, node, now, now + ttl);
    result.held = !r.empty();
    const auto row = [&](const Result& x) { return Leadership{duty, x.text(0, 0), x.i64(0, 1), x.i64(0, 2)}; };
    if (result.held) {
      result.current = row(r);
    } else if (const auto other = c.query("SELECT node, acquired_at, expires_at FROM leadership WHERE duty = $1", duty);
               !other.empty()) {
      result.current = row(other);
    }
    return result;
  });
}

void PgCluster::resign(const std::string& duty, const std::string& node) {
  pool_.transaction([&](Connection& c) { c.query("DELETE FROM leadership WHERE duty = $1 AND node = $2", duty, node); });
}

std::optional<Leadership> PgCluster::leader(const std::string& duty, Millis now) {
  return pool_.read([&](Connection& c) -> std::optional<Leadership> {
    const auto r = c.query(
        "SELECT node, acquired_at, expires_at FROM leadership WHERE duty = $1 AND expires_at > $2::bigint", duty, now);
    if (r.empty()) return std::nullopt;
    return Leadership{duty, r.text(0, 0), r.i64(0, 1), r.i64(0, 2)};
  });
}

void PgCluster::heartbeat(const NodeInfo& n, Millis now) {
  pool_.transaction([&](Connection& c) {
    c.query("INSERT INTO nodes (node, host, pid, version, started_at, last_seen) VALUES ($1, $2, $3::bigint, $4, "
            "$5::bigint, $6::bigint) ON CONFLICT (node) DO UPDATE SET last_seen = excluded.last_seen",
            n.node, n.host, n.pid, n.version, n.started_at, now);
  });
}

std::vector<NodeInfo> PgCluster::nodes(Millis aliveSince) {
  return pool_.read([&](Connection& c) {
    const auto r = c.query(
        "SELECT node, host, pid, version, started_at, last_seen FROM nodes WHERE last_seen >= $1::bigint ORDER BY node",
        aliveSince);
    std::vector<NodeInfo> out;
    for (int i = 0; i < r.rows(); ++i)
      out.push_back({r.text(i, 0), r.text(i, 1), r.i64(i, 2), r.text(i, 3), r.i64(i, 4), r.i64(i, 5)});
    return out;
  });
}

void PgCluster::leave(const std::string& node) {
  pool_.transaction([&](Connection& c) {
    c.query("DELETE FROM nodes WHERE node = $1", node);
    c.query("DELETE FROM leadership WHERE node = $1", node);
  });
}

}  // namespace hub::store::pg
