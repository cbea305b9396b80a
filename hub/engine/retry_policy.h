#pragma once
// When to try a failed delivery again: exponential backoff, capped, with
// jitter, and never sooner than the target's Retry-After.
#include <optional>
#include <random>

#include "hub/core/time.h"

namespace hub::engine {

struct RetryPolicy {
  Millis base = 1000;
  double factor = 2.0;
  Millis cap = 600000;
  int max_attempts = 10;
  // 1.0 = full jitter: uniform in [0, d]. 0.1 = d ± 10 %. 0 = exactly d.
  double jitter = 1.0;

  // The delay before attempt `failedAttempt + 1`, given the target's wish.
  Millis delay(int failedAttempt, std::optional<Millis> retryAfter, std::mt19937_64& rng) const;
  // The undithered delay: min(cap, base * factor^(failedAttempt-1)).
  Millis nominal(int failedAttempt) const;
  bool exhausted(int attempts) const { return attempts >= max_attempts; }
};

}  // namespace hub::engine
