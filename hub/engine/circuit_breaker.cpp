#include "hub/engine/circuit_breaker.h"

#include <algorithm>
#include <cmath>

namespace hub::engine {

Millis CircuitBreaker::admit(Millis now) {
  std::lock_guard lock(mutex_);
  if (failures_ < threshold_) return 0;
  if (now < openUntil_) return openUntil_;
  if (probing_) return now + std::max<Millis>(openFor_ / 10, 100);  // one probe at a time
  probing_ = true;
  return 0;
}

void CircuitBreaker::succeeded() {
  std::lock_guard lock(mutex_);
  failures_ = 0;
  probing_ = false;
}

void CircuitBreaker::failed(Millis now) {
  std::lock_guard lock(mutex_);
  ++failures_;
  probing_ = false;
  if (failures_ >= threshold_) openUntil_ = now + openFor_;
}

CircuitBreaker::State CircuitBreaker::state(Millis now) const {
  std::lock_guard lock(mutex_);
  if (failures_ < threshold_) return State::Closed;
  return now < openUntil_ ? State::Open : State::HalfOpen;
}

const char* CircuitBreaker::name(State s) {
  switch (s) {
    case State::Closed: return "closed";
    case State::Open: return "open";
    case State::HalfOpen: return "half_open";
  }
  return "closed";
}

Millis RateLimiter::take(Millis now) {
  if (rate_ <= 0) return 0;
  std::lock_guard lock(mutex_);
  if (!last_) last_ = now;
  if (now > *last_) {
    tokens_ = std::min(burst_, tokens_ + static_cast<double>(now - *last_) * rate_ / 1000.0);
    last_ = now;
  }
  // The bucket may go below zero: each negative token is a call already
  // promised a later slot, and the next caller queues behind it.
  tokens_ -= 1;
  if (tokens_ >= 0) return 0;
  return static_cast<Millis>(std::ceil(-tokens_ * 1000.0 / rate_));
}

}  // namespace hub::engine
