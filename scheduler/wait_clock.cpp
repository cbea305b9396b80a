#include "scheduler/wait_clock.h"

#include <algorithm>

namespace hub::sched {

void SystemWaitClock::waitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& cv, Millis deadline) {
  // Waking at least once a minute keeps a wall-clock jump (NTP step, resume
  // from suspend) from leaving the scheduler asleep past its fire times.
  const Millis capped = std::min(deadline, now() + 60000);
  cv.wait_until(lock, std::chrono::system_clock::time_point(std::chrono::milliseconds(capped)));
}

SystemWaitClock& SystemWaitClock::instance() {
  static SystemWaitClock clock;
  return clock;
}

Millis ManualClock::now() const {
  std::lock_guard guard(mutex_);
  return now_;
}

void ManualClock::waitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& cv, Millis deadline) {
  {
    std::lock_guard guard(mutex_);
    if (now_ >= deadline) return;
    sleepers_.push_back({&cv, lock.mutex(), deadline, generation_});
  }
  changed_.notify_all();
  cv.wait(lock);
  std::lock_guard guard(mutex_);
  std::erase_if(sleepers_, [&](const Sleeper& s) { return s.cv == &cv; });
}

void ManualClock::advance(Millis by) { set(now() + by); }

void ManualClock::set(Millis t) {
  std::vector<Sleeper> toWake;
  {
    std::lock_guard guard(mutex_);
    now_ = t;
    ++generation_;
    toWake = sleepers_;
  }
  // Taking each sleeper's mutex first means it is either inside cv.wait (and
  // gets the notify) or has not yet checked the time (and will see the new one).
  for (const Sleeper& s : toWake) {
    { std::lock_guard guard(*s.mutex); }
    s.cv->notify_all();
  }
}

bool ManualClock::waitForSleeper(std::chrono::milliseconds timeout) { return waitForSleepers(1, timeout); }

bool ManualClock::waitForSleepers(std::size_t n, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] {
    return static_cast<std::size_t>(std::count_if(sleepers_.begin(), sleepers_.end(), [&](const Sleeper& s) {
             return s.seen == generation_;
           })) >= n;
  });
}

std::optional<Millis> ManualClock::earliestDeadline() const {
  std::lock_guard guard(mutex_);
  std::optional<Millis> out;
  for (const Sleeper& s : sleepers_) out = out ? std::min(*out, s.deadline) : s.deadline;
  return out;
}

}  // namespace hub::sched
