#pragma once
// The SQLite backend: one file, WAL, synchronous=FULL by default.
#include <memory>

#include "hub/store/sqlite/sqlite_db.h"
#include "hub/store/store.h"

namespace hub::store::sqlite {

class SqliteQueue final : public RecordQueue {
 public:
  explicit SqliteQueue(SqliteDb& db) : db_(db) {}
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
  void expireLeases(const LeaseRequest& request);
  // Leases `items` for request.owner; `attempt`: a push (counted), else a confirmation check.
  void markLeased(std::vector<QueueItem>& items, const LeaseRequest& request, bool attempt);
  SqliteDb& db_;
};

class SqliteDeadLetters final : public DeadLetters {
 public:
  explicit SqliteDeadLetters(SqliteDb& db) : db_(db) {}
  std::vector<DeadLetter> list(const DeadLetterFilter& filter) override;
  std::int64_t count(const DeadLetterFilter& filter) override;
  std::vector<std::pair<std::string, std::int64_t>> openByFlow() override;
  std::optional<DeadLetter> get(Id id) override;
  ReplayResult replay(Id id, const std::string& actor, const std::optional<std::string>& editedPayload,
                      Millis now) override;
  bool discard(Id id, const std::string& actor, const std::string& reason, Millis now) override;

 private:
  SqliteDb& db_;
};

class SqliteCrossReference final : public CrossReference {
 public:
  explicit SqliteCrossReference(SqliteDb& db) : db_(db) {}
  std::optional<XrefEntry> find(const std::string& entity, const std::string& system,
                                const std::string& localId) override;
  std::optional<XrefEntry> findByRemote(const std::string& entity, const std::string& system,
                                        const std::string& remoteId) override;
  std::vector<XrefEntry> forKey(const std::string& entity, const std::string& localId) override;
  void upsert(const XrefEntry& entry) override;
  std::size_t forgetContentHashes(const std::string& flow) override;

 private:
  SqliteDb& db_;
};

class SqliteRunLog final : public RunLog {
 public:
  explicit SqliteRunLog(SqliteDb& db) : db_(db) {}
  Id start(const std::string& flow, const std::string& trigger, Millis now) override;
  void pullEnded(Id run, const std::string& errorSummary, Millis now) override;
  std::optional<Run> get(Id run) override;
  std::vector<Run> list(const std::string& flow, std::size_t limit, std::size_t offset) override;
  std::size_t interruptUnfinished(Millis now) override;

 private:
  SqliteDb& db_;
};

class SqliteRunClaims final : public RunClaims {
 public:
  explicit SqliteRunClaims(SqliteDb& db) : db_(db) {}
  ClaimResult claim(const std::string& flow, const std::string& owner, Millis now, Millis ttl) override;
  bool renew(const std::string& flow, const std::string& owner, Millis now, Millis ttl) override;
  void release(const std::string& flow, const std::string& owner) override;
  std::vector<RunClaim> list() override;

 private:
  SqliteDb& db_;
};

class SqliteCluster final : public Cluster {
 public:
  explicit SqliteCluster(SqliteDb& db) : db_(db) {}
  LeadershipResult lead(const std::string& duty, const std::string& node, Millis now, Millis ttl) override;
  void resign(const std::string& duty, const std::string& node) override;
  std::optional<Leadership> leader(const std::string& duty, Millis now) override;
  void heartbeat(const NodeInfo& node, Millis now) override;
  std::vector<NodeInfo> nodes(Millis aliveSince) override;
  void leave(const std::string& node) override;

 private:
  SqliteDb& db_;
};

class SqliteAuditLog final : public AuditLog {
 public:
  explicit SqliteAuditLog(SqliteDb& db) : db_(db) {}
  void append(const std::string& actor, const std::string& action, const std::string& subject,
              const std::string& detailJson, Millis now) override;
  std::vector<AuditEntry> list(const std::string& subjectPrefix, std::size_t limit, std::size_t offset) override;

 private:
  SqliteDb& db_;
};

class SqliteApiTokens final : public ApiTokens {
 public:
  explicit SqliteApiTokens(SqliteDb& db) : db_(db) {}
  Id create(const std::string& name, const std::string& role, const std::string& tokenHash, Millis now) override;
  std::optional<ApiToken> findActive(const std::string& tokenHash) override;
  bool revoke(Id id, Millis now) override;
  std::vector<ApiToken> list() override;
  void touch(Id id, Millis now) override;

 private:
  SqliteDb& db_;
};

class SqliteFlowStates final : public FlowStates {
 public:
  explicit SqliteFlowStates(SqliteDb& db) : db_(db) {}
  FlowState get(const std::string& flow) override;
  void setCursor(const std::string& flow, const std::optional<std::string>& cursor, Millis now) override;
  void setPaused(const std::string& flow, bool paused, Millis now) override;
  void forgetSeenContent(const std::string& flow) override;
  std::optional<Millis> lastFire(const std::string& flow, std::size_t trigger) override;
  void recordFire(const std::string& flow, std::size_t trigger, Millis at) override;
  bool claimFire(const std::string& flow, std::size_t trigger, Millis scheduledFor, Millis recordAt,
                 const std::string& node, Millis now) override;

 private:
  SqliteDb& db_;
};

class SqliteTables final : public Tables {
 public:
  explicit SqliteTables(SqliteDb& db) : db_(db) {}
  std::int64_t rowCount(const std::string& table) override;
  void scan(const TableSpec& table, std::size_t size,
            const std::function<void(const std::vector<TableRow>&)>& batch) override;
  void load(const TableSpec& table, const std::vector<TableRow>& rows) override;

 private:
  SqliteDb& db_;
};

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(const StoreOptions& options);
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
  std::string location() const override { return db_.path(); }
  int schemaVersion() override;
  IntegrityReport integrityCheck() override;
  void close() override { db_.close(); }

 private:
  SqliteDb db_;
  SqliteFlowStates flows_{db_};
  SqliteQueue queue_{db_};
  SqliteDeadLetters deadLetters_{db_};
  SqliteCrossReference xref_{db_};
  SqliteRunLog runs_{db_};
  SqliteRunClaims claims_{db_};
  SqliteCluster cluster_{db_};
  SqliteAuditLog audit_{db_};
  SqliteApiTokens tokens_{db_};
  SqliteTables tables_{db_};
};

// Shared by the tables: rows that reference each other inside one transaction.
void upsertXref(SqliteDb& db, const XrefEntry& entry);
std::size_t releaseParked(SqliteDb& db, const std::string& parkRef, Millis now);
void finishRunIfDone(SqliteDb& db, Id run, Millis now);
// Inside a transaction: takes, renews or takes over the flow's run claim.
ClaimResult claimRun(SqliteDb& db, const std::string& flow, const std::string& owner, Millis now, Millis ttl);
bool renewRun(SqliteDb& db, const std::string& flow, const std::string& owner, Millis now, Millis ttl);
void appendAudit(SqliteDb& db, const std::string& actor, const std::string& action, const std::string& subject,
                 const std::string& detailJson, Millis now);

}  // namespace hub::store::sqlite
