#include "hub/engine/retry_policy.h"

#include <algorithm>
#include <cmath>

namespace hub::engine {

Millis RetryPolicy::nominal(int failedAttempt) const {
  const double d = static_cast<double>(s_.base) * std::pow(s_.factor, std::max(0, failedAttempt - 1));
  return static_cast<Millis>(std::min(d, static_cast<double>(s_.cap)));
}

Millis RetryPolicy::delay(int failedAttempt, std::optional<Millis> retryAfter, std::mt19937_64& rng) const {
  const double d = static_cast<double>(nominal(failedAttempt));
  double low = d, high = d;
  if (s_.jitter >= 1.0) {
    low = 0;
  } else if (s_.jitter > 0) {
    low = d * (1 - s_.jitter);
    high = d * (1 + s_.jitter);
  }
  Millis chosen = static_cast<Millis>(std::uniform_real_distribution<double>(low, std::nextafter(high, high + 1))(rng));
  if (retryAfter && *retryAfter > chosen) chosen = *retryAfter;
  return chosen;
}

}  // namespace hub::engine
