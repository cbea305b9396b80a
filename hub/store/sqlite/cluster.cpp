#include "hub/store/sqlite/sqlite_store.h"

namespace hub::store::sqlite {

LeadershipResult SqliteCluster::lead(const std::string& duty, const std::string& node, Millis now, Millis ttl) {
  return db_.transaction([&] {
    // As the run claim: a new row, a renewal by the holder, or a takeover of
    // an expired lease, decided by one statement.
    db_.prepare(
          "INSERT INTO leadership (duty, node, acquired_at, expires_at) VALUES (?1, ?2, ?3, ?4) "
          "ON CONFLICT (duty) DO UPDATE SET "
          "  acquired_at = CASE WHEN leadership.node = excluded.node THEN leadership.acquired_at "
          "                ELSE excluded.acquired_at END, "
          "  node = excluded.node, expires_at = excluded.expires_at "
          "WHERE leadership.node = excluded.node OR leadership.expires_at <= excluded.acquired_at")
        .args(duty, node, now, now + ttl)
        .run();
    LeadershipResult result;
    result.held = db_.changes() > 0;
    auto st = db_.prepare("SELECT node, acquired_at, expires_at FROM leadership WHERE duty = ?1");
    st.bind(1, duty);
    if (st.step()) result.current = {duty, st.text(0), st.i64(1), st.i64(2)};
    return result;
  });
}

void SqliteCluster::resign(const std::string& duty, const std::string& node) {
  db_.transaction([&] { db_.prepare("DELETE FROM leadership WHERE duty = ?1 AND node = ?2").args(duty, node).run(); });
}

std::optional<Leadership> SqliteCluster::leader(const std::string& duty, Millis now) {
  return db_.read([&]() -> std::optional<Leadership> {
    auto st = db_.prepare("SELECT node, acquired_at, expires_at FROM leadership WHERE duty = ?1 AND expires_at > ?2");
    st.args(duty, now);
    if (!st.step()) return std::nullopt;
    return Leadership{duty, st.text(0), st.i64(1), st.i64(2)};
  });
}

void SqliteCluster::heartbeat(const NodeInfo& n, Millis now) {
  db_.transaction([&] {
    db_.prepare(
          "INSERT INTO nodes (node, host, pid, version, started_at, last_seen) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
          "ON CONFLICT (node) DO UPDATE SET last_seen = excluded.last_seen")
        .args(n.node, n.host, n.pid, n.version, n.started_at, now)
        .run();
  });
}

std::vector<NodeInfo> SqliteCluster::nodes(Millis aliveSince) {
  return db_.read([&] {
    std::vector<NodeInfo> out;
    auto st = db_.prepare(
        "SELECT node, host, pid, version, started_at, last_seen FROM nodes WHERE last_seen >= ?1 ORDER BY node");
    st.bind(1, aliveSince);
    while (st.step()) out.push_back({st.text(0), st.text(1), st.i64(2), st.text(3), st.i64(4), st.i64(5)});
    return out;
  });
}

void SqliteCluster::leave(const std::string& node) {
  db_.transaction([&] {
    db_.prepare("DELETE FROM nodes WHERE node = ?1").args(node).run();
    db_.prepare("DELETE FROM leadership WHERE node = ?1").args(node).run();
  });
}

}  // namespace hub::store::sqlite
