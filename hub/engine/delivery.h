#pragma once
// The push half: lease a batch of one flow target, map each record, skip what
// the target already has, push the rest with idempotency keys, and commit
// every outcome (with xref entries, dead letters and run counters) at once.
#include <random>
#include <string>

#include "hub/core/time.h"
#include "hub/engine/landscape.h"
#include "hub/store/store.h"

namespace hub::engine {

struct DeliveryContext {
  store::Store& store;
  const Clock& clock;
  EngineObserver* observer = nullptr;
  std::string owner;  // lease owner: host:pid:worker
  Millis lease_ttl = 60000;
  std::string timezone = "Asia/Shanghai";
  // Past the shutdown deadline the records whose push was cut short stay
  // leased instead of counting an attempt: they come back after the lease.
  const StopSignal* stop = nullptr;
};

struct BatchResult {
  std::size_t leased = 0;
  std::size_t limit = 0;   // the batch size asked for: leased == limit means more is likely waiting
  Millis blocked_until = 0;  // circuit open: do not try before this
  std::size_t left_leased = 0;  // cut short by the shutdown deadline
};

BatchResult deliverBatch(const Flow& flow, const Target& target, DeliveryContext& ctx, std::mt19937_64& rng);

// The confirmation half: asks the target how the records it accepted for
// later processing ended (Sink::confirm) and commits what it says — delivered,
// dead-lettered with its reason, or asked again after confirmation.interval;
// one unconfirmed past confirmation.timeout is dead-lettered. A check is not
// an attempt, and a failing check never counts against the circuit.
BatchResult confirmAwaiting(const Flow& flow, const Target& target, DeliveryContext& ctx);

// The mapped document of one record as delivery would produce it now (dry runs, previews).
mapping::MappingResult mapRecord(const Flow& flow, const Target& target, const nlohmann::json& record,
                                 store::Store& store, const Clock& clock, const std::string& timezone);

}  // namespace hub::engine
