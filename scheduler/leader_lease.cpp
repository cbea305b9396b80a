#include "scheduler/leader_lease.h"

#include <exception>

#include "hub/core/log.h"

namespace hub::sched {

LeaderLease::LeaderLease(LeaderLeaseHooks hooks, Millis ttl, WaitClock& clock)
    : hooks_(std::move(hooks)), ttl_(std::max<Millis>(30, ttl)), clock_(clock) {}

LeaderLease::~LeaderLease() { stop(); }

void LeaderLease::start() {
  std::lock_guard guard(mutex_);
  if (started_) return;
  started_ = true;
  stopping_ = false;
  thread_ = std::thread([this] { loop(); });
}

void LeaderLease::stop() {
  {
    std::lock_guard guard(mutex_);
    if (!started_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  bool wasLeading = false;
  {
    std::lock_guard guard(mutex_);
    started_ = false;
    wasLeading = held_;
    held_ = false;
    validUntil_ = 0;
  }
  if (wasLeading) {
    try {
      if (hooks_.resign) hooks_.resign();
    } catch (const std::exception& e) {
      log::warn("leadership_resign_failed", {{"error", e.what()}});
    }
    if (hooks_.changed) hooks_.changed(false);
  }
}

bool LeaderLease::leading() const {
  std::lock_guard guard(mutex_);
  return held_ && clock_.now() < validUntil_;
}

void LeaderLease::attempt() {
  const Millis at = clock_.now();
  bool ok = false;
  try {
    ok = hooks_.hold && hooks_.hold(at, ttl_);
  } catch (const std::exception& e) {
    log::warn("leadership_renewal_failed", {{"error", e.what()}});
  }
  bool changedTo = false, changed = false;
  {
    std::lock_guard guard(mutex_);
    // A renewal that failed keeps the old validity: it runs out by itself.
    const bool before = held_ && clock_.now() < validUntil_;
    if (ok) validUntil_ = at + ttl_ * 2 / 3;
    held_ = ok || (held_ && clock_.now() < validUntil_);
    const bool after = held_ && clock_.now() < validUntil_;
    changed = before != after;
    changedTo = after;
  }
  if (changed) {
    log::info(changedTo ? "leadership_acquired" : "leadership_lost", {{"ttl_ms", ttl_}});
    if (hooks_.changed) hooks_.changed(changedTo);
  }
}

void LeaderLease::loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    attempt();
    lock.lock();
    if (stopping_) break;
    clock_.waitUntil(lock, wake_, clock_.now() + ttl_ / 3);
  }
}

}  // namespace hub::sched
