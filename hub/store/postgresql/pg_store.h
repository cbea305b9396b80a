#pragma once
// The PostgreSQL backend: several hubs share one server. Leasing takes rows
// with FOR UPDATE SKIP LOCKED, so competing nodes never wait on each other's
// rows nor take the same one; every multi-table step is one transaction, run
// again on a deadlock.
#include <memory>

#include "hub/store/postgresql/pg_connection.h"
#include "hub/store/store.h"

namespace hub::store::pg {

struct Migration {
  int version;
  const char* name;
  const char* sql;
};
const std::vector<Migration>& migrations();
int latestVersion();
int currentVersion(Pool& pool);
int migrate(Pool& pool);  // returns the resulting version

class PgQueue final : public RecordQueue {
 public:
  explicit PgQueue(Pool& pool) : pool_(pool) {}
  IntakeResult commitPage(const PageCommit& page) override;
  std::vector<QueueItem> lease(const LeaseRequest& request) override;
  std::vector<QueueItem> leaseAwaiting(const LeaseRequest& request) override;
  void complete(const Completion& completion) override;
  std::size_t expireParked(const std::string& flow, Millis cutoff, Millis now) override;
  std::optional<Millis> nextDue(const std::string& flow, const std::string& target) override;
  std::vector<QueueCounts> counts(const std::string& flow) override;
  std::vector<QueueItem> history(const std::string& entity, const std::string& key) override;
  std::vector<QueueItem> items(const std::vector<Id>& ids) override;
  std::size_t purgeFinished(Millis before) override;
  std::vector<std::string> leaseOwners() override;
  std::size_t releaseLeases(const std::string& owner, Millis now) override;

 private:
  void expireLeases(Connection& c, const LeaseRequest& request);
  Pool& pool_;
};

class PgDeadLetters final : public DeadLetters {
 public:
  explicit PgDeadLetters(Pool& pool) : pool_(pool) {}
  std::vector<DeadLetter> list(const DeadLetterFilter& filter) override;
  std::int64_t count(const DeadLetterFilter& filter) override;
  std::vector<std::pair<std::string, std::int64_t>> openByFlow() override;
  std::optional<DeadLetter> get(Id id) override;
  ReplayResult replay(Id id, const std::string& actor, const std::optional<std::string>& editedPayload,
                      Millis now) override;
  bool discard(Id id, const std::string& actor, const std::string& reason, Millis now) override;

 private:
  Pool& pool_;
};

class PgCrossReference final : public CrossReference {
 public:
  explicit PgCrossReference(Pool& pool) : pool_(pool) {}
  std::optional<XrefEntry> find(const std::string& entity, const std::string& system,
                                const std::string& localId) override;
  std::optional<XrefEntry> findByRemote(const std::string& entity, const std::string& system,
                                        const std::string& remoteId) override;
  std::vector<XrefEntry> forKey(const std::string& entity, const std::string& localId) override;
  void upsert(const XrefEntry& entry) override;
  std::size_t forgetContentHashes(const std::string& flow) override;

 private:
  Pool& pool_;
};

class PgRunLog final : public RunLog {
 public:
  explicit PgRunLog(Pool& pool) : pool_(pool) {}
  Id start(const std::string& flow, const std::string& trigger, Millis now) override;
  void pullEnded(Id run, const std::string& errorSummary, Millis now) override;
  std::optional<Run> get(Id run) override;
  std::vector<Run> list(const std::string& flow, std::size_t limit, std::size_t offset) override;
  std::size_t interruptUnfinished(Millis now) override;

 private:
  Pool& pool_;
};

class PgRunClaims final : public RunClaims {
 public:
  explicit PgRunClaims(Pool& pool) : pool_(pool) {}
  ClaimResult claim(const std::string& flow, const std::string& owner, Millis now, Millis ttl) override;
  bool renew(const std::string& flow, const std::string& owner, Millis now, Millis ttl) override;
  void release(const std::string& flow, const std::string& owner) override;
  std::vector<RunClaim> list() override;

 private:
  Pool& pool_;
};

class PgCluster final : public Cluster {
 public:
  explicit PgCluster(Pool& pool) : pool_(pool) {}
  LeadershipResult lead(const std::string& duty, const std::string& node, Millis now, Millis ttl) override;
  void resign(const std::string& duty, const std::string& node) override;
  std::optional<Leadership> leader(const std::string& duty, Millis now) override;
  void heartbeat(const NodeInfo& node, Millis now) override;
  std::vector<NodeInfo> nodes(Millis aliveSince) override;
  void leave(const std::string& node) override;

 private:
  Pool& pool_;
};

class PgAuditLog final : public AuditLog {
 public:
  explicit PgAuditLog(Pool& pool) : pool_(pool) {}
  void append(const std::string& actor, const std::string& action, const std::string& subject,
              const std::string& detailJson, Millis now) override;
  std::vector<AuditEntry> list(const std::string& subjectPrefix, std::size_t limit, std::size_t offset) override;

 private:
  Pool& pool_;
};

class PgApiTokens final : public ApiTokens {
 public:
  explicit PgApiTokens(Pool& pool) : pool_(pool) {}
  Id create(const std::string& name, const std::string& role, const std::string& tokenHash, Millis now) override;
  std::optional<ApiToken> findActive(const std::string& tokenHash) override;
  bool revoke(Id id, Millis now) override;
  std::vector<ApiToken> list() override;
  void touch(Id id, Millis now) override;

 private:
  Pool& pool_;
};

class PgFlowStates final : public FlowStates {
 public:
  explicit PgFlowStates(Pool& pool) : pool_(pool) {}
  FlowState get(const std::string& flow) override;
  void setCursor(const std::string& flow, const std::optional<std::string>& cursor, Millis now) override;
  void setPaused(const std::string& flow, bool paused, Millis now) override;
  void forgetSeenContent(const std::string& flow) override;
  std::optional<Millis> lastFire(const std::string& flow, std::size_t trigger) override;
  void recordFire(const std::string& flow, std::size_t trigger, Millis at) override;
  bool claimFire(const std::string& flow, std::size_t trigger, Millis scheduledFor, Millis recordAt,
                 const std::string& node, Millis now) override;

 private:
  Pool& pool_;
};

class PgTables final : public Tables {
 public:
  explicit PgTables(Pool& pool) : pool_(pool) {}
  std::int64_t rowCount(const std::string& table) override;
  void scan(const TableSpec& table, std::size_t size,
            const std::function<void(const std::vector<TableRow>&)>& batch) override;
  void load(const TableSpec& table, const std::vector<TableRow>& rows) override;

 private:
  Pool& pool_;
};

class PgStore final : public Store {
 public:
  explicit PgStore(const StoreOptions& options);
  FlowStates& flows() override { return flows_; }
  RecordQueue& queue() override { return queue_; }
  DeadLetters& deadLetters() override { return deadLetters_; }
  CrossReference& xref() override { return xref_; }
  RunLog& runs() override { return runs_; }
  RunClaims& claims() override { return claims_; }
  Cluster& cluster() override { return cluster_; }
  AuditLog& audit() override { return audit_; }
  ApiTokens& tokens() override { return tokens_; }
  Tables& tables() override { return tables_; }
  std::string location() const override { return pool_.server(); }
  int schemaVersion() override { return currentVersion(pool_); }
  IntegrityReport integrityCheck() override;
  void close() override { pool_.close(); }

 private:
  Pool pool_;
  PgFlowStates flows_{pool_};
  PgQueue queue_{pool_};
  PgDeadLetters deadLetters_{pool_};
  PgCrossReference xref_{pool_};
  PgRunLog runs_{pool_};
  PgRunClaims claims_{pool_};
  PgCluster cluster_{pool_};
  PgAuditLog audit_{pool_};
  PgApiTokens tokens_{pool_};
  PgTables tables_{pool_};
};

// Shared by the tables: rows that reference each other inside one transaction.
// Serialises the delivery of a reference with parking records on it, across
// nodes: a record parked on a reference another node delivers at the same
// moment would miss both that release and its own check of the xref (each
// transaction sees only the other's committed rows); under the lock one of
// the two sees the other.
void lockReferences(Connection& c, const std::vector<std::string>& parkRefs);
// Many xref entries of one entity and system at once; empty values are NULL.
struct XrefBatch {
  std::string entity, system, flow;
  Millis now = 0;
  std::vector<std::string> keys, remote_ids, remote_numbers, hashes;
};
void upsertXrefs(Connection& c, const XrefBatch& batch);
void releaseAllParked(Connection& c, const std::vector<std::string>& parkRefs, Millis now);
void finishRunIfDone(Connection& c, Id run, Millis now);
void bumpRun(Connection& c, Id run, const char* column, std::int64_t by = 1);
bool renewRun(Connection& c, const std::string& flow, const std::string& owner, Millis now, Millis ttl);
void appendAudit(Connection& c, const std::string& actor, const std::string& action, const std::string& subject,
                 const std::string& detailJson, Millis now);

}  // namespace hub::store::pg
