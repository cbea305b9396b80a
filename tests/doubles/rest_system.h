#pragma once
// A REST/JSON system on loopback for end-to-end tests, spoken to by the `rest`
// connector:
//   GET  /orders?updated_since=ISO&offset=N&limit=M  -> {"data":[...]} by (updated_at, id)
//   POST /orders/batch {"records":[{..., "idempotency_key"}]} -> {"results":[{"status","id"|"error"}]}
// The sink keeps the oracle's ledger: per idempotency key whether a write
// created data or was absorbed. Faults are drawn per call from a seeded RNG.
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "connectors/sim/sim_http_server.h"

namespace hub::test {

struct FaultMix {
  int http500 = 0;     // percent of calls answered 500
  int http429 = 0;     // percent answered 429 with Retry-After: 1
  int timeout = 0;     // percent committed, then answered after the client gave up
  int ambiguous = 0;   // percent committed, then the connection dropped without an answer
  int slow_ms = 600;   // how late a "timeout" answers
};

class RestSystem {
 public:
  explicit RestSystem(std::uint32_t seed = 1);
  ~RestSystem();
  std::string baseUrl() const;

  void put(const std::string& id, const std::string& updatedAtIso, nlohmann::json fields);
  void setFaults(FaultMix mix);
  void rejectKeys(std::set<std::string> keys);  // answered per record: rejected (a business error)
  // Each push stays in flight this long; a record id in two pushes in flight
  // at once counts as an overlap (competing workers must never do that).
  void holdPushes(int ms);
  std::size_t overlaps() const;

  std::size_t storedCount() const;
  std::map<std::string, nlohmann::json> stored() const;
  std::size_t created() const;         // writes that changed data
  std::size_t absorbed() const;        // repeats absorbed by the idempotency key
  std::size_t creationsOf(const std::string& id) const;
  std::size_t calls() const;
  std::size_t sourceCalls() const;
  // Arrival of every call (pulls and pushes), in steady-clock milliseconds.
  std::vector<std::int64_t> callTimes() const;

 private:
  sim::SimResponse handle(const sim::SimRequest& req);
  sim::SimResponse list(const sim::SimRequest& req);
  sim::SimResponse batch(const sim::SimRequest& req);
  mutable std::mutex mutex_;
  std::mt19937 rng_;
  FaultMix faults_;
  std::set<std::string> rejected_;
  std::map<std::pair<std::int64_t, std::string>, nlohmann::json> rows_;  // (updated_at ms, id)
  std::map<std::string, std::int64_t> rowTime_;
  std::map<std::string, nlohmann::json> stored_;
  std::map<std::string, std::string> keys_;  // idempotency key -> id
  std::map<std::string, std::size_t> creations_;
  std::size_t created_ = 0, absorbed_ = 0, calls_ = 0, sourceCalls_ = 0;
  int holdMs_ = 0;
  std::set<std::string> inFlight_;
  std::size_t overlaps_ = 0;
  std::vector<std::int64_t> callTimes_;
  std::unique_ptr<sim::SimHttpServer> server_;
};

}  // namespace hub::test
