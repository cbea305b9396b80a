#pragma once
// The DMS core's open API (connectors/dms/README.md) on loopback, for tests
// and the example landscape: bearer tokens (static, or issued by
// /api/v1/auth/token and revocable), keyset-paged lists, idempotent batch
// upserts with per-record results, order status write-back, signed change
// webhooks, faults on request, and a ledger of every write.
//
//   DmsSimulator sim;                    // token "dms-sim-token", client hub / dms-sim-secret
//   sim.start();                         // port 0 = any free port
//   sim.seed(generateDealerData({}));
//   sim.inject({FaultKind::Ambiguous, "batch"});
//   sim.ledger();                        // who wrote what, with which effect
//
// Admin endpoints (no auth, outside /api): POST /__sim/faults {kind, operation,
// entity, times, status, retry_after, delay_ms}; POST /__sim/faults/mix
// {seed, faults:[{probability, kind, ...}]}; DELETE /__sim/faults;
// POST /__sim/reject {entity, keys:[...]};
// POST /__sim/tokens/expire; POST /__sim/seed {entity:[records]};
// POST /__sim/orders {count}: dealers place new orders; GET /__sim/ledger;
// GET /__sim/requests; GET /__sim/webhooks; GET /__sim/stats.
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "connectors/dms/sim/dms_faults.h"
#include "connectors/dms/sim/dms_store.h"
#include "connectors/dms/sim/webhook_sender.h"
#include "connectors/sim/sim_http_server.h"

namespace hub::connector::dms::sim {

// One API call as the simulator saw it: the oracle for "no retry of a key
// sooner than its Retry-After" and for counting attempts per idempotency key.
struct RequestLogEntry {
  long long seq = 0;
  Millis at = 0;
  std::string method;
  std::string operation;  // list | get | batch | status | token | "" (unknown path)
  std::string entity;
  int status = 0;         // answered status; 0 = dropped without an answer
  std::string fault;      // the injected fault's kind name, "" when none
  std::vector<std::string> idempotency_keys;  // of the records in a batch, or the status call's header
};

struct SimulatorOptions {
  std::string host = "127.0.0.1";
  int port = 0;
  std::vector<std::string> api_tokens = {"dms-sim-token"};  // static bearer tokens
  std::string client_id = "hub";
  std::string client_secret = "dms-sim-secret";
  Millis token_ttl = 3600000;        // issued tokens
  std::size_t max_limit = 500;       // list page ceiling
  std::size_t max_batch = 100;       // records per batch upsert
  Millis timeout_fault_delay = 3000; // how late a Timeout fault answers unless told
  std::optional<WebhookTarget> webhook;
  std::uint64_t seed = 1;            // for placeOrders
};

class DmsSimulator {
 public:
  explicit DmsSimulator(SimulatorOptions options = {});
  ~DmsSimulator();

  void start();
  void stop();
  int port() const;
  std::string baseUrl() const;  // http://host:port (the API is under /api/v1)
  const SimulatorOptions& options() const { return options_; }

  // Data. seed() takes the generateDealerData() shape; records keep their updated_at.
  void seed(const nlohmann::json& data);
  nlohmann::json put(const std::string& entity, nlohmann::json record, Millis updatedAt);
  bool touch(const std::string& entity, const std::string& key, Millis updatedAt);
  std::optional<nlohmann::json> find(const std::string& entity, const std::string& key) const;
  std::size_t count(const std::string& entity) const;
  // Dealers place `n` new orders now (each a change webhook); their numbers.
  std::vector<std::string> placeOrders(int n);

  // Faults.
  void inject(Fault fault);
  // Writes of these keys are always refused with a 422 business error (R4).
  void rejectKeys(const std::string& entity, const std::vector<std::string>& keys);
  void setFaultMix(std::vector<std::pair<double, Fault>> mix, std::uint64_t seed);
  void clearFaults();
  void expireTokens();  // issued tokens stop working; the next call with one answers 401 token_expired
  std::size_t faultsApplied() const;

  // The oracle.
  std::vector<LedgerEntry> ledger() const;
  std::size_t created(const std::string& entity, const std::string& key) const;
  std::size_t requests() const;
  std::vector<RequestLogEntry> requestLog() const;

  // Webhooks (none unless configured).
  void setWebhook(WebhookTarget target);
  std::vector<WebhookAttempt> webhookAttempts() const;
  std::size_t webhooksPending() const;  // events queued or being sent
  bool waitForWebhooks(Millis timeout);

 private:
  hub::sim::SimResponse handle(const hub::sim::SimRequest& req);
  hub::sim::SimResponse answer(const hub::sim::SimRequest& req, RequestLogEntry& entry);
  hub::sim::SimResponse admin(const hub::sim::SimRequest& req);
  hub::sim::SimResponse api(const hub::sim::SimRequest& req, const std::string& operation, const EntityInfo* entity,
                            const std::vector<std::string>& segments);
  hub::sim::SimResponse issueToken(const hub::sim::SimRequest& req);
  std::optional<hub::sim::SimResponse> refuse(const hub::sim::SimRequest& req, bool forceExpired);
  void publish(const std::vector<Change>& changes);

  SimulatorOptions options_;
  DmsStore store_;
  FaultPlan faults_;
  mutable std::mutex mutex_;
  std::set<std::string> issued_;   // live issued tokens
  std::set<std::string> revoked_;
  long long token_counter_ = 0;
  long long order_counter_ = 0;
  std::vector<RequestLogEntry> requestLog_;
  std::unique_ptr<WebhookSender> webhooks_;
  std::unique_ptr<hub::sim::SimHttpServer> server_;
};

}  // namespace hub::connector::dms::sim
