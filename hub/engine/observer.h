#pragma once
// What the engine reports as it works, for metrics and logs. Every method has
// a no-op default so an observer implements only what it needs; calls come
// from engine threads and must be cheap and thread-safe.
#include <cstdint>
#include <string>

#include "connectors/spi/connector.h"
#include "hub/store/types.h"

namespace hub::engine {

class EngineObserver {
 public:
  virtual ~EngineObserver() = default;
  virtual void runStarted(const std::string& /*flow*/, store::Id /*run*/, const std::string& /*trigger*/) {}
  virtual void runPulled(const std::string& /*flow*/, store::Id /*run*/, bool /*ok*/) {}
  virtual void recordsPulled(const std::string& /*flow*/, std::size_t /*pulled*/, std::size_t /*unchanged*/) {}
  virtual void outcome(const std::string& /*flow*/, const std::string& /*target*/, store::Verdict /*verdict*/,
                       std::size_t /*count*/) {}
  virtual void retryScheduled(const std::string& /*flow*/, const std::string& /*target*/, Millis /*delay*/) {}
  virtual void breakerState(const std::string& /*connector*/, const std::string& /*target*/, int /*state*/) {}
  virtual void httpCall(const std::string& /*connector*/, const connector::HttpObservation& /*call*/) {}
  // A store operation failed (run_start, pull, run_end, delivery, sweep, intake, ...); the hub kept serving.
  virtual void storeFailed(const std::string& /*operation*/) {}
};

}  // namespace hub::engine
