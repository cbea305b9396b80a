#pragma once
// A Clock the scheduler can also sleep on. Production sleeps on the system
// clock; tests use ManualClock, whose time moves only when told, so schedule
// tests never sleep real time.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

#include "hub/core/time.h"

namespace hub::sched {

class WaitClock : public Clock {
 public:
  // Called with `lock` held (it guards `cv`). Returns once now() >= deadline,
  // when `cv` is notified, or spuriously; callers re-check their state.
  virtual void waitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& cv, Millis deadline) = 0;
};

class SystemWaitClock final : public WaitClock {
 public:
  Millis now() const override { return nowMillis(); }
  void waitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& cv, Millis deadline) override;
  static SystemWaitClock& instance();
};

class ManualClock final : public WaitClock {
 public:
  explicit ManualClock(Millis start) : now_(start) {}

  Millis now() const override;
  void waitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& cv, Millis deadline) override;

  // Moves time and wakes every sleeper. Must not race with destroying one.
  void advance(Millis by);
  void set(Millis t);
  // Blocks (real time, up to `timeout`) until a sleeper has gone back to
  // sleep after seeing the latest time: everything due by now has run.
  bool waitForSleeper(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // The same for `n` sleeping threads (several schedulers on one clock).
  bool waitForSleepers(std::size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // The earliest deadline a sleeper waits for, if any sleeps with one.
  std::optional<Millis> earliestDeadline() const;

 private:
  struct Sleeper {
    std::condition_variable* cv;
    std::mutex* mutex;
    Millis deadline;
    std::uint64_t seen;  // generation of the time it saw before sleeping
  };
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  Millis now_;
  std::uint64_t generation_ = 0;
  std::vector<Sleeper> sleepers_;
};

}  // namespace hub::sched
