#pragma once
// Value types that cross the store boundary. Payloads are JSON text: the store
// never parses them.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hub/core/time.h"

namespace hub::store {

using Id = std::int64_t;

// pending -> leased -> delivered | skipped | pending (retry) | parked | awaiting | dead;
// awaiting -> leased (a confirmation check) -> delivered | awaiting | dead;
// superseded when a newer version of the same key arrives before delivery.
enum class RecordState { Pending, Leased, Parked, Delivered, Skipped, Dead, Superseded, Awaiting };
const char* toString(RecordState s);
std::optional<RecordState> parseRecordState(const std::string& s);

struct IncomingRecord {
  std::string key;
  Millis updated_at = 0;
  std::string remote_id;    // the record's id in the source system, recorded in the xref
  std::string payload;      // JSON text
  std::string source_hash;  // hash of the canonical payload
  std::string problem;      // the source could not decode it: dead-lettered at intake
};

struct PageCommit {
  std::string flow;
  Id run_id = 0;
  std::string entity;         // canonical entity (xref namespace)
  std::string source_system;  // connector instance the records came from
  std::vector<std::string> targets;
  std::vector<IncomingRecord> records;
  std::optional<std::string> cursor;  // committed together with the records
  std::string origin = "pull";        // pull | webhook | replay
  std::string delivery_id;            // webhook id: a second commit with the same id changes nothing
  // The run claim this commit depends on (pulls): renewed to now + claim_ttl
  // in the same transaction, and nothing is committed when `claim_owner` no
  // longer holds it.
  std::string claim_owner;
  Millis claim_ttl = 0;
  Millis now = 0;
};

struct IntakeResult {
  std::size_t queued = 0;     // rows created (one per record and target)
  std::size_t unchanged = 0;  // records whose content was already seen for their key
  bool duplicate_delivery = false;
  bool claim_lost = false;    // another process took the flow's run claim over: nothing was committed
  std::size_t received = 0;   // records the page carried (set by Engine::acceptPushed for webhook answers)
};

struct QueueItem {
  Id id = 0;
  RecordState state = RecordState::Pending;
  Millis finished_at = 0;
  std::string last_error;
  std::string remote_id;
  std::string flow, target, entity, key;
  std::string payload;
  std::string source_hash;
  int attempts = 0;           // including the current lease
  bool ambiguous = false;     // an earlier attempt may have reached the target unseen
  std::string history;        // JSON array of attempts
  // Set while the target has accepted the record and its confirmation is
  // outstanding: since when (the lease is then a confirmation check, not an attempt).
  Millis awaiting_since = 0;
  std::string mapped_hash;    // what was sent, for the xref once confirmed
  Id run_id = 0;
  Millis enqueued_at = 0;
  std::string origin;
};

struct LeaseRequest {
  std::string flow, target;
  std::size_t limit = 50;
  std::string owner;
  Millis now = 0;
  Millis ttl = 60000;
};

// Await: accepted by the target, confirmation outstanding; checked again at next_attempt_at.
enum class Verdict { Delivered, Skipped, Retry, Park, Dead, Await };

struct Failure {
  std::string stage;       // pull | map | push | confirm
  std::string error_type;  // http_500, timeout, mapping, validation, ...
  int http_status = 0;
  std::string message;
  std::string response_excerpt;
};

// Identifies the record a parked record waits for; delivering (or pulling)
// that record releases it.
std::string parkRef(const std::string& entity, const std::string& system, const std::string& localId);

struct ItemOutcome {
  Id id = 0;
  Verdict verdict = Verdict::Delivered;
  std::string remote_id, remote_number;  // Delivered / Await
  std::string mapped_hash;               // Delivered / Skipped / Await
  std::string mapped_payload;            // kept for dead letters and traces
  std::string mapping_version;
  Failure failure;                        // Retry / Park / Dead
  Millis next_attempt_at = 0;            // Retry / Await (the next confirmation check)
  bool ambiguous = false;                 // Retry: the attempt may have taken effect
  std::string park_ref;                   // Park: the missing reference
  std::string attempt_detail;             // JSON object appended to the item's history
};

struct Completion {
  std::string flow, target;
  std::string owner;          // the lease holder; outcomes of leases lost to expiry are ignored
  std::string entity;         // xref namespace
  std::string target_system;  // connector instance delivered to
  std::vector<ItemOutcome> outcomes;
  Millis now = 0;
};

// Records still on their way, per flow target.
struct QueueCounts {
  std::string flow, target;
  std::int64_t pending = 0, leased = 0, parked = 0;
  std::int64_t awaiting = 0;  // accepted by the target, confirmation outstanding
  std::optional<Millis> oldest_pending;
  // Counts `n` rows in `state` (one of the active states), enqueued first at `oldest`.
  void add(const std::string& state, std::int64_t n, Millis oldest);
};

enum class ReplayStatus { Queued, NotOpen, Superseded };
struct ReplayResult {
  ReplayStatus status = ReplayStatus::NotOpen;
  Id queue_id = 0;      // Queued: the new queue row
  Id newer_queue_id = 0;  // Superseded: the newer version that made the replay stale
};

struct XrefEntry {
  std::string entity, system, local_id;
  std::string remote_id, remote_number;
  std::string content_hash;
  std::string flow;
  Millis updated_at = 0;
};

struct DeadLetter {
  Id id = 0;
  Id queue_id = 0;
  std::string flow, target, entity, key;
  Failure failure;
  int attempts = 0;
  std::string history;         // JSON array
  std::string source_payload;  // JSON text
  std::string mapped_payload;
  std::string mapping_version;
  Millis first_failed_at = 0, created_at = 0;
  std::string status = "open";  // open | replayed | discarded
  Millis resolved_at = 0;
  std::string resolved_by, resolution;
};

// A replay of a record whose confirmation never came may find the target
// processed it after all: its first attempt is told it is ambiguous, so the
// sink looks it up before sending it again.
bool replayIsAmbiguous(const DeadLetter& letter);

struct DeadLetterFilter {
  std::string flow, entity, key, error_text, status = "open";
  std::vector<Id> ids;
  Millis since = 0;
  std::size_t limit = 100, offset = 0;
};

struct Run {
  Id id = 0;
  std::string flow, trigger, status;  // running | pulled | finished | failed
  Millis started_at = 0, pulled_at = 0, ended_at = 0;
  std::int64_t pulled = 0, unchanged = 0, queued = 0, skipped = 0, delivered = 0, retried = 0, dead_lettered = 0,
               parked = 0, superseded = 0;
  std::string error_summary;
};

struct RunClaim {
  std::string flow, owner;
  Millis claimed_at = 0, expires_at = 0;
};

struct ClaimResult {
  bool held = false;  // the caller holds the claim now
  RunClaim current;   // the claim as it stands (the other holder when refused)
};

struct Leadership {
  std::string duty, node;
  Millis acquired_at = 0, expires_at = 0;
};

struct LeadershipResult {
  bool held = false;   // the caller holds the duty now
  Leadership current;  // as it stands (the other holder when refused)
};

struct NodeInfo {
  std::string node;  // host:pid:suffix, as the engine names its leases
  std::string host;
  std::int64_t pid = 0;
  std::string version;
  Millis started_at = 0, last_seen = 0;
};

struct AuditEntry {
  Id id = 0;
  Millis at = 0;
  std::string actor, action, subject;
  std::string detail;  // JSON object
};

struct ApiToken {
  Id id = 0;
  std::string name, role, token_hash;
  Millis created_at = 0, revoked_at = 0, last_used_at = 0;
};

struct FlowState {
  std::string flow;
  std::optional<std::string> cursor;
  bool paused = false;
  Millis updated_at = 0;
};

}  // namespace hub::store
