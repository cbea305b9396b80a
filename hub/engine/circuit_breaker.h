#pragma once
// Per target endpoint: after `threshold` consecutive failed calls the circuit
// opens and no call is made for `open_for`; then one probe call is let
// through (half-open): success closes the circuit, failure opens it again.
#include <mutex>
#include <optional>
#include <string>

#include "hub/core/time.h"

namespace hub::engine {

class CircuitBreaker {
 public:
  enum class State { Closed, Open, HalfOpen };
  CircuitBreaker(int threshold = 5, Millis openFor = 30000) : threshold_(threshold), openFor_(openFor) {}

  // 0 when a call may go now (and, half-open, reserves the probe); otherwise
  // the instant to ask again.
  Millis admit(Millis now);
  void succeeded();
  void failed(Millis now);
  State state(Millis now) const;
  static const char* name(State s);

 private:
  mutable std::mutex mutex_;
  int threshold_;
  Millis openFor_;
  int failures_ = 0;
  Millis openUntil_ = 0;
  bool probing_ = false;
};

// Token bucket per connector instance: `rate` calls per second, bursts up to
// `burst`. Every take() reserves a token, even one that is only due later, so
// callers that wait and then call never exceed the rate together: in any
// window of one second at most rate + burst calls go out.
class RateLimiter {
 public:
  RateLimiter(double rate = 0, double burst = 1) : rate_(rate), burst_(burst < 1 ? 1 : burst), tokens_(burst_) {}
  // Reserves the next call: 0 when it may go now, otherwise how long the
  // caller must wait before making it. `now` is read from a steady clock:
  // only the intervals between calls matter.
  Millis take(Millis now);
  bool unlimited() const { return rate_ <= 0; }

 private:
  std::mutex mutex_;
  double rate_, burst_, tokens_;
  std::optional<Millis> last_;  // of the last refill; none before the first call
};

}  // namespace hub::engine
