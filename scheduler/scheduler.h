#pragma once
// The scheduler thread: fires each ScheduledTrigger at its next time, applies
// the flow's misfire policy after downtime, and takes schedule changes while
// running (hot reload). It only calls hooks; the engine decides what a fire
// does (start a run through a RunGate, or ignore a paused flow).
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "scheduler/schedule.h"
#include "scheduler/wait_clock.h"

namespace hub::sched {

struct SchedulerHooks {
  // A trigger is due; `scheduledFor` is its fire time (for a misfire, the
  // first one missed). Runs on the scheduler thread: hand off, do not block.
  std::function<void(const std::string& flow, std::size_t index, Millis scheduledFor)> fire;
  // Persistence (the store's schedule_fires); both optional.
  std::function<std::optional<Millis>(const std::string& flow, std::size_t index)> lastFire;
  std::function<void(const std::string& flow, std::size_t index, Millis at)> recordFire;
  // Several nodes on one store (both optional): only while `leading` answers
  // true does this scheduler fire, and each fire is first claimed (a unique
  // row per tick, which also records `recordAt` as the last fire, so
  // recordFire is not called): false means another node fired that tick.
  std::function<bool()> leading;
  std::function<bool(const std::string& flow, std::size_t index, Millis scheduledFor, Millis recordAt)> claim;
};

struct SchedulerOptions {
  // A fire found due later than this is a misfire (downtime, suspend,
  // clock step) and follows the flow's policy instead of firing as usual.
  Millis misfire_grace = 60000;
  std::optional<std::uint64_t> jitter_seed;  // repeatable interval jitter in tests
  // How often a scheduler that does not lead looks whether it leads now
  // (leadershipChanged() wakes it at once).
  Millis follower_poll = 1000;
};

struct Upcoming {
  std::string flow;
  std::size_t index = 0;
  std::string schedule;       // Schedule::describe()
  std::optional<Millis> due;  // nothing: never fires again
};

class Scheduler {
 public:
  explicit Scheduler(SchedulerHooks hooks, WaitClock& clock = SystemWaitClock::instance(),
                     SchedulerOptions options = {});
  ~Scheduler();  // stops the thread
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Computes first fire times from lastFire (so misfires are caught) and
  // starts the thread.
  void start();
  void stop();

  // Hot reload: the full set of triggers. Unchanged ones keep their next
  // time; new or changed ones start from now (lastFire is not consulted, so
  // editing a schedule never counts as a misfire); missing ones are dropped.
  void replaceAll(std::vector<ScheduledTrigger> triggers);
  // Same, limited to one flow (empty list = the flow has no schedules).
  void replaceFlow(const std::string& flow, std::vector<ScheduledTrigger> triggers);

  std::vector<Upcoming> upcoming() const;  // by flow, then trigger index
  // Leadership moved (LeaderLease's hook): on becoming leader the next times
  // are computed again from the store's last fires, so ticks missed while
  // another node led (or none did) follow the misfire policy.
  void leadershipChanged();

 private:
  using Key = std::pair<std::string, std::size_t>;
  struct Entry {
    ScheduledTrigger trigger;
    std::optional<Millis> due;
  };
  struct Action {
    Key key;
    Millis scheduled_for;
    Millis record;  // what recordFire stores: the next time is computed from it
  };
  void merge(std::vector<ScheduledTrigger> triggers, const std::string* onlyFlow);
  // Next times from the store's last fires (outside the lock: the store may be slow).
  void resync();
  void fire(const Action& a);
  std::vector<Action> collectDue(Millis now);
  void loop();

  SchedulerHooks hooks_;
  WaitClock& clock_;
  SchedulerOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::map<Key, Entry> entries_;
  JitterSource jitter_;
  bool started_ = false, stopping_ = false;
  bool following_ = false;  // did not lead when last looked
  std::thread thread_;
};

}  // namespace hub::sched
