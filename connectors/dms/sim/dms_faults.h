#pragma once
// Faults the DMS simulator injects on request, for the reliability scenarios
// (reliability-test-plan.md R3/R4): one-shot faults for the next N matching
// calls, and a seeded random mix ("45 % of calls fail: 15 % 500, 10 % 429 ...")
// drawn once per call so the percentages hold exactly in expectation.
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "hub/core/time.h"

namespace hub::connector::dms::sim {

enum class FaultKind {
  Latency,       // answer after delay_ms, normally
  ServerError,   // `status` (500/502/503/504) with a JSON error, nothing written
  RateLimited,   // 429 + Retry-After: retry_after_s, nothing written
  Timeout,       // written, then answered after delay_ms (past the client's timeout)
  Ambiguous,     // written, then the connection is closed without an answer
  ResetMidBody,  // written, then half the answer and the connection closes
  Malformed,     // written (for writes), then 200 with a body that is not JSON
  TokenExpired,  // 401 token_expired; issued tokens are revoked, static tokens refused once
};

struct Fault {
  Fault() = default;
  Fault(FaultKind k, std::string op = {}, std::string ent = {})  // NOLINT: {kind, "batch"} reads well
      : kind(k), operation(std::move(op)), entity(std::move(ent)) {}

  FaultKind kind = FaultKind::ServerError;
  std::string operation;   // "" any; list | get | batch | status | token
  std::string entity;      // "" any; customers ... invoices
  int times = 1;           // one-shot: matching calls it hits
  int status = 500;
  int retry_after_s = 1;
  Millis delay_ms = 0;     // Latency; Timeout (0 = the simulator's timeout_fault_delay)
};

// "latency", "server_error", "rate_limited", "timeout", "ambiguous",
// "reset_mid_body", "malformed_body", "token_expired"; throws std::invalid_argument.
FaultKind faultKindNamed(const std::string& name);
std::string faultKindName(FaultKind kind);

class FaultPlan {
 public:
  void inject(Fault fault);
  // Each call draws once: the first entry whose cumulative probability
  // exceeds the draw applies (probabilities add up to at most 1).
  void setMix(std::vector<std::pair<double, Fault>> mix, std::uint64_t seed);
  void clear();
  // The fault for this call, if any; one-shot faults first.
  std::optional<Fault> pick(const std::string& operation, const std::string& entity);
  std::size_t hits() const;  // faults applied so far

 private:
  static bool matches(const Fault& f, const std::string& operation, const std::string& entity);
  mutable std::mutex mutex_;
  std::vector<Fault> once_;
  std::vector<std::pair<double, Fault>> mix_;
  std::mt19937_64 rng_{1};
  std::size_t hits_ = 0;
};

}  // namespace hub::connector::dms::sim
