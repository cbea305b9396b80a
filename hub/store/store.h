#pragma once
// The hub's durable state behind small interfaces, one per concern. One
// backend (SQLite today, PostgreSQL later) implements them all, so multi-table
// steps (a page and its cursor; an outcome, its xref entry and run counters)
// stay single transactions. Callers only see these interfaces; every failure
// is a StoreUnavailable or StoreFault (errors.h), never a backend's own type.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hub/store/errors.h"
#include "hub/store/table_copy.h"
#include "hub/store/types.h"

namespace hub::store {

class FlowStates {
 public:
  virtual ~FlowStates() = default;
  virtual FlowState get(const std::string& flow) = 0;
  virtual void setCursor(const std::string& flow, const std::optional<std::string>& cursor, Millis now) = 0;
  virtual void setPaused(const std::string& flow, bool paused, Millis now) = 0;
  // Forget the content last seen per key so a backfill queues every record again.
  virtual void forgetSeenContent(const std::string& flow) = 0;
  // The scheduler's memory of its last fire per trigger, for the misfire policy.
  virtual std::optional<Millis> lastFire(const std::string& flow, std::size_t trigger) = 0;
  virtual void recordFire(const std::string& flow, std::size_t trigger, Millis at) = 0;
  // Claims the fire of `trigger` scheduled for `scheduledFor`, once across
  // every node sharing the store (a unique row), and records `recordAt` as its
  // last fire in the same transaction. False: some node fired that tick already.
  virtual bool claimFire(const std::string& flow, std::size_t trigger, Millis scheduledFor, Millis recordAt,
                         const std::string& node, Millis now) = 0;
};

class RecordQueue {
 public:
  virtual ~RecordQueue() = default;
  // Queues a page's changed records for every target and commits its cursor, atomically.
  virtual IntakeResult commitPage(const PageCommit& page) = 0;
  // Leases due records of one flow target, oldest first; a key whose older version
  // is still unfinished is not handed out (per-key order). Expired leases count as due.
  virtual std::vector<QueueItem> lease(const LeaseRequest& request) = 0;
  // Leases records of one flow target whose confirmation check is due
  // (state awaiting), oldest check first; a check is not an attempt.
  virtual std::vector<QueueItem> leaseAwaiting(const LeaseRequest& request) = 0;
  // Records outcomes with their xref entries, dead letters and run counters, atomically;
  // delivering a record releases records parked on it.
  virtual void complete(const Completion& completion) = 0;
  // Dead-letters records parked since before `cutoff`.
  virtual std::size_t expireParked(const std::string& flow, Millis cutoff, Millis now) = 0;
  // Earliest instant a record of this target becomes due, if any is waiting.
  virtual std::optional<Millis> nextDue(const std::string& flow, const std::string& target) = 0;
  virtual std::vector<QueueCounts> counts(const std::string& flow = {}) = 0;
  virtual std::vector<QueueItem> history(const std::string& entity, const std::string& key) = 0;
  virtual std::vector<QueueItem> items(const std::vector<Id>& ids) = 0;
  // Drops finished rows (and claimed schedule ticks) older than `before`;
  // returns how many rows of the queue.
  virtual std::size_t purgeFinished(Millis before) = 0;
  // Lease holders, so a restarted hub can free the leases of its dead predecessor
  // at once instead of waiting for them to expire.
  virtual std::vector<std::string> leaseOwners() = 0;
  // Hands the owner's leased records out again, marked ambiguous.
  virtual std::size_t releaseLeases(const std::string& owner, Millis now) = 0;
};

class DeadLetters {
 public:
  virtual ~DeadLetters() = default;
  virtual std::vector<DeadLetter> list(const DeadLetterFilter& filter) = 0;
  virtual std::int64_t count(const DeadLetterFilter& filter) = 0;
  // Open dead letters per flow.
  virtual std::vector<std::pair<std::string, std::int64_t>> openByFlow() = 0;
  virtual std::optional<DeadLetter> get(Id id) = 0;
  // Queues the record again (with `editedPayload` instead of the stored one when
  // given), marks the dead letter replayed and writes the audit entry, atomically.
  // A plain replay of a key whose newer version was queued since is stale: the
  // dead letter is resolved as superseded instead, so old data never overwrites new.
  virtual ReplayResult replay(Id id, const std::string& actor, const std::optional<std::string>& editedPayload,
                              Millis now) = 0;
  virtual bool discard(Id id, const std::string& actor, const std::string& reason, Millis now) = 0;
};

class CrossReference {
 public:
  virtual ~CrossReference() = default;
  virtual std::optional<XrefEntry> find(const std::string& entity, const std::string& system,
                                        const std::string& localId) = 0;
  virtual std::optional<XrefEntry> findByRemote(const std::string& entity, const std::string& system,
                                                const std::string& remoteId) = 0;
  virtual std::vector<XrefEntry> forKey(const std::string& entity, const std::string& localId) = 0;
  virtual void upsert(const XrefEntry& entry) = 0;
  // Forgets what this flow delivered (not where), so unchanged records are sent again.
  virtual std::size_t forgetContentHashes(const std::string& flow) = 0;
};

class RunLog {
 public:
  virtual ~RunLog() = default;
  // The caller holds the flow's run claim, so a run of the flow still marked
  // running ended without recording it (its store failed, its process died):
  // it is marked interrupted in the same transaction.
  virtual Id start(const std::string& flow, const std::string& trigger, Millis now) = 0;
  // The pull phase ended; the run finishes once its queued records are all final.
  virtual void pullEnded(Id run, const std::string& errorSummary, Millis now) = 0;
  virtual std::optional<Run> get(Id run) = 0;
  virtual std::vector<Run> list(const std::string& flow, std::size_t limit, std::size_t offset) = 0;
  // Runs left "running" by a process that died, marked interrupted at
  // start-up: those of flows whose run claim has lapsed or was released (a
  // live claim is another process pulling now).
  virtual std::size_t interruptUnfinished(Millis now) = 0;
};

// One pull of a flow at a time across every process sharing the store (a
// daemon, `hub flow run`, other nodes): a claim row with its holder and
// expiry. The holder renews it while it pulls; a holder that stopped renewing
// (it died) loses it once it expired. Page commits are fenced by it
// (PageCommit::claim_owner), so a holder that lost its claim cannot move the
// cursor under the new one.
class RunClaims {
 public:
  virtual ~RunClaims() = default;
  // Takes the claim for `owner` until now + ttl, renews it when `owner` holds
  // it, or takes it over when it expired. Refused while another holds it.
  virtual ClaimResult claim(const std::string& flow, const std::string& owner, Millis now, Millis ttl) = 0;
  // Extends the claim `owner` still holds (expired or not) to now + ttl; false
  // when it is gone or another took it over, even if that one released it since.
  virtual bool renew(const std::string& flow, const std::string& owner, Millis now, Millis ttl) = 0;
  virtual void release(const std::string& flow, const std::string& owner) = 0;
  virtual std::vector<RunClaim> list() = 0;
};

// The nodes sharing the store and the duties one of them holds at a time
// (firing schedules): a lease row per duty with its holder and expiry, renewed
// by the holder well before it expires and taken over once it has.
class Cluster {
 public:
  virtual ~Cluster() = default;
  // Takes the duty for `node` until now + ttl, renews it when `node` holds it,
  // or takes it over when it expired. Refused while another holds it.
  virtual LeadershipResult lead(const std::string& duty, const std::string& node, Millis now, Millis ttl) = 0;
  virtual void resign(const std::string& duty, const std::string& node) = 0;
  virtual std::optional<Leadership> leader(const std::string& duty, Millis now) = 0;
  // The node is alive now; one not heard from since `aliveSince` is not listed.
  virtual void heartbeat(const NodeInfo& node, Millis now) = 0;
  virtual std::vector<NodeInfo> nodes(Millis aliveSince) = 0;
  virtual void leave(const std::string& node) = 0;
};

class AuditLog {
 public:
  virtual ~AuditLog() = default;
  virtual void append(const std::string& actor, const std::string& action, const std::string& subject,
                      const std::string& detailJson, Millis now) = 0;
  virtual std::vector<AuditEntry> list(const std::string& subjectPrefix, std::size_t limit, std::size_t offset) = 0;
};

class ApiTokens {
 public:
  virtual ~ApiTokens() = default;
  virtual Id create(const std::string& name, const std::string& role, const std::string& tokenHash, Millis now) = 0;
  virtual std::optional<ApiToken> findActive(const std::string& tokenHash) = 0;
  virtual bool revoke(Id id, Millis now) = 0;
  virtual std::vector<ApiToken> list() = 0;
  virtual void touch(Id id, Millis now) = 0;
};

// What the backend's own consistency check found; nothing when healthy.
struct IntegrityReport {
  std::vector<std::string> problems;
  bool ok() const { return problems.empty(); }
};

class Store {
 public:
  virtual ~Store() = default;
  virtual FlowStates& flows() = 0;
  virtual RecordQueue& queue() = 0;
  virtual DeadLetters& deadLetters() = 0;
  virtual CrossReference& xref() = 0;
  virtual RunLog& runs() = 0;
  virtual RunClaims& claims() = 0;
  virtual Cluster& cluster() = 0;
  virtual AuditLog& audit() = 0;
  virtual ApiTokens& tokens() = 0;
  virtual Tables& tables() = 0;  // whole tables, for `hub store copy`

  // The file or server, fit for logs and messages (never a password).
  virtual std::string location() const = 0;
  virtual int schemaVersion() = 0;
  virtual IntegrityReport integrityCheck() = 0;
  virtual void close() = 0;  // checkpoints and releases the file, or the connections
};

struct StoreOptions {
  std::string driver = "sqlite";
  std::string path;  // sqlite
  bool synchronous_full = true;
  Millis busy_timeout = 5000;
  std::string url;  // postgresql: libpq URI or key=value string
  std::string password;
  std::size_t pool = 8;
  Millis statement_timeout = 30000;
  Millis connect_timeout = 10000;
  // An empty store is always given the current schema; one at an older
  // version is migrated only when this is set (`hub store migrate`), and
  // refused otherwise, so an upgrade is a step an admin takes on purpose.
  bool upgrade = false;
};

// SQLite at `path` with the defaults: tools and tests.
inline StoreOptions sqliteAt(std::string path, Millis busyTimeout = 5000) {
  StoreOptions o;
  o.path = std::move(path);
  o.busy_timeout = busyTimeout;
  return o;
}

// Opens the store and checks its schema (see StoreOptions::upgrade). Throws
// StoreFault with a message naming the file (or server) when the schema does
// not fit, StoreUnavailable when the server cannot be reached now.
std::unique_ptr<Store> openStore(const StoreOptions& options);
// The schema version this build writes.
int latestSchemaVersion(const std::string& driver);

}  // namespace hub::store
