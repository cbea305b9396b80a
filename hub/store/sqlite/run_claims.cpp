#include "hub/store/sqlite/sqlite_store.h"

namespace hub::store::sqlite {

ClaimResult claimRun(SqliteDb& db, const std::string& flow, const std::string& owner, Millis now, Millis ttl) {
  // One statement decides: a new row, a renewal by the holder, or a takeover
  // of an expired claim; anything else leaves the other holder's row alone.
  db.prepare(
        "INSERT INTO run_claims (flow, owner, claimed_at, expires_at) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT (flow) DO UPDATE SET "
        "  claimed_at = CASE WHEN run_claims.owner = excluded.owner THEN run_claims.claimed_at ELSE excluded.claimed_at END, "
        "  owner = excluded.owner, expires_at = excluded.expires_at "
        "WHERE run_claims.owner = excluded.owner OR run_claims.expires_at <= excluded.claimed_at")
      .args(flow, owner, now, now + ttl)
      .run();
  ClaimResult result;
  result.held = db.changes() > 0;
  auto st = db.prepare("SELECT owner, claimed_at, expires_at FROM run_claims WHERE flow = ?1");
  st.bind(1, flow);
  if (st.step()) result.current = {flow, st.text(0), st.i64(1), st.i64(2)};
  return result;
}

bool renewRun(SqliteDb& db, const std::string& flow, const std::string& owner, Millis now, Millis ttl) {
  // Only the row this owner holds: a claim that was taken over, or taken over
  // and released, is never taken back (that holder's run marked ours interrupted).
  db.prepare("UPDATE run_claims SET expires_at = ?3 WHERE flow = ?1 AND owner = ?2").args(flow, owner, now + ttl).run();
  return db.changes() == 1;
}

bool SqliteRunClaims::renew(const std::string& flow, const std::string& owner, Millis now, Millis ttl) {
  return db_.transaction([&] { return renewRun(db_, flow, owner, now, ttl); });
}

ClaimResult SqliteRunClaims::claim(const std::string& flow, const std::string& owner, Millis now, Millis ttl) {
  return db_.transaction([&] { return claimRun(db_, flow, owner, now, ttl); });
}

void SqliteRunClaims::release(const std::string& flow, const std::string& owner) {
  db_.transaction([&] { db_.prepare("DELETE FROM run_claims WHERE flow = ?1 AND owner = ?2").args(flow, owner).run(); });
}

std::vector<RunClaim> SqliteRunClaims::list() {
  return db_.read([&] {
    std::vector<RunClaim> out;
    auto st = db_.prepare("SELECT flow, owner, claimed_at, expires_at FROM run_claims ORDER BY flow");
    while (st.step()) out.push_back({st.text(0), st.text(1), st.i64(2), st.i64(3)});
    return out;
  });
}

}  // namespace hub::store::sqlite
