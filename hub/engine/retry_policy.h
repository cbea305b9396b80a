#pragma once
// When to try a failed delivery again: exponential backoff, capped, with
// jitter, and never sooner than the target's Retry-After. The numbers are the
// flow's `retry` settings as loaded (defaults and ranges: hubSpec()).
#include <optional>
#include <random>

#include "hub/config/hub_config.h"
#include "hub/core/time.h"

namespace hub::engine {

class RetryPolicy {
 public:
  RetryPolicy() = default;  // never retries: a Flow gets its policy from its configuration
  explicit RetryPolicy(const config::RetrySettings& settings) : s_(settings) {}

  // The delay before attempt `failedAttempt + 1`, given the target's wish.
  // jitter 1.0 = full jitter: uniform in [0, d]; 0.1 = d ± 10 %; 0 = exactly d.
  Millis delay(int failedAttempt, std::optional<Millis> retryAfter, std::mt19937_64& rng) const;
  // The undithered delay: min(cap, base * factor^(failedAttempt-1)).
  Millis nominal(int failedAttempt) const;
  bool exhausted(int attempts) const { return attempts >= s_.max_attempts; }

 private:
  config::RetrySettings s_;
};

}  // namespace hub::engine
