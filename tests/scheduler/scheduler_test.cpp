// The scheduler thread against a ManualClock: time moves only when a test
// says so, and waitForSleeper() returns once everything due has fired.
#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <stdexcept>

#include "hub/core/log.h"
#include "scheduler/run_gate.h"
#include "scheduler/scheduler.h"

namespace hub::sched {
namespace {

Millis at(const char* iso) { return *parseIsoInstant(iso); }

struct Fired {
  std::string flow;
  std::size_t index;
  Millis scheduled_for;
  bool operator==(const Fired&) const = default;
};

// Hooks that remember what the scheduler did; `last` plays the store.
struct Recorder {
  std::mutex mutex;
  std::vector<Fired> fires;
  std::map<std::pair<std::string, std::size_t>, Millis> last, recorded;
  std::function<void(const Fired&)> onFire;

  SchedulerHooks hooks() {
    return {[this](const std::string& f, std::size_t i, Millis t) {
              std::function<void(const Fired&)> extra;
              {
                std::lock_guard g(mutex);
                fires.push_back({f, i, t});
                extra = onFire;
              }
              if (extra) extra({f, i, t});
            },
            [this](const std::string& f, std::size_t i) -> std::optional<Millis> {
              std::lock_guard g(mutex);
              const auto it = last.find({f, i});
              return it == last.end() ? std::nullopt : std::optional(it->second);
            },
            [this](const std::string& f, std::size_t i, Millis t) {
              std::lock_guard g(mutex);
              recorded[{f, i}] = t;
            },
            {},
            {}};
  }
  std::vector<Fired> fired() {
    std::lock_guard g(mutex);
    return fires;
  }
};

ScheduledTrigger cron(const std::string& flow, std::size_t index, const char* expr, Misfire misfire = Misfire::RunOnce,
                      const char* zone = "UTC") {
  return {flow, index, Schedule::cron(*CronExpr::parse(expr), *Zone::find(zone)), misfire};
}

ScheduledTrigger every(const std::string& flow, std::size_t index, Millis interval, Millis jitter = 0) {
  return {flow, index, Schedule::every(interval, jitter), Misfire::RunOnce};
}

class SchedulerTest : public ::testing::Test {
 protected:
  void startWith(std::vector<ScheduledTrigger> triggers, SchedulerOptions options = {}) {
    scheduler = std::make_unique<Scheduler>(recorder.hooks(), clock, options);
    scheduler->replaceAll(std::move(triggers));
    scheduler->start();
    settle();
  }
  void settle() { ASSERT_TRUE(clock.waitForSleeper()) << "scheduler did not go back to sleep"; }
  // After a change that only notifies the thread: a zero step in time makes
  // settle() wait for the thread to pass through its loop again.
  void resettle() {
    clock.advance(0);
    settle();
  }
  void advanceTo(const char* iso) {
    clock.set(at(iso));
    settle();
  }

  ManualClock clock{at("2026-01-01T10:00:00Z")};
  Recorder recorder;
  std::unique_ptr<Scheduler> scheduler;
};

TEST_F(SchedulerTest, SleepsUntilTheNextFireTime) {
  startWith({cron("orders", 0, "*/5 * * * *")});
  EXPECT_EQ(clock.earliestDeadline(), at("2026-01-01T10:05:00Z"));
  EXPECT_TRUE(recorder.fired().empty());
}

TEST_F(SchedulerTest, DoesNotFireASecondEarly) {
  startWith({cron("orders", 0, "*/5 * * * *")});
  advanceTo("2026-01-01T10:04:59Z");
  EXPECT_TRUE(recorder.fired().empty());
}

TEST_F(SchedulerTest, FiresAtTheTimeAndRecordsIt) {
  startWith({cron("orders", 2, "*/5 * * * *")});
  advanceTo("2026-01-01T10:05:00Z");
  EXPECT_EQ(recorder.fired(), (std::vector<Fired>{{"orders", 2, at("2026-01-01T10:05:00Z")}}));
  EXPECT_EQ((recorder.recorded[{"orders", 2}]), at("2026-01-01T10:05:00Z"));
  EXPECT_EQ(clock.earliestDeadline(), at("2026-01-01T10:10:00Z"));
}

TEST_F(SchedulerTest, TriggersDueTogetherAllFire) {
  startWith({cron("orders", 0, "0 11 * * *"), cron("stock", 0, "0 * * * *")});
  advanceTo("2026-01-01T11:00:00Z");
  EXPECT_EQ(recorder.fired().size(), 2u);
}

TEST_F(SchedulerTest, NewTriggerWaitsForItsFirstRegularTime) {
  startWith({cron("orders", 0, "0 2 * * *")});
  EXPECT_TRUE(recorder.fired().empty());
  EXPECT_EQ(clock.earliestDeadline(), at("2026-01-02T02:00:00Z"));
}

TEST_F(SchedulerTest, MisfireRunOnceFiresOnceAfterDowntime) {
  recorder.last[{"orders", 0}] = at("2025-12-28T02:00:00Z");  // down for four fire times
  startWith({cron("orders", 0, "0 2 * * *", Misfire::RunOnce)});
  EXPECT_EQ(recorder.fired(), (std::vector<Fired>{{"orders", 0, at("2025-12-29T02:00:00Z")}}));
  EXPECT_EQ((recorder.recorded[{"orders", 0}]), at("2026-01-01T10:00:00Z"));
  EXPECT_EQ(clock.earliestDeadline(), at("2026-01-02T02:00:00Z"));
}

TEST_F(SchedulerTest, MisfireSkipWaitsForTheNextRegularTime) {
  recorder.last[{"orders", 0}] = at("2025-12-28T02:00:00Z");
  startWith({cron("orders", 0, "0 2 * * *", Misfire::Skip)});
  EXPECT_TRUE(recorder.fired().empty());
  EXPECT_TRUE(recorder.recorded.empty());
  EXPECT_EQ(clock.earliestDeadline(), at("2026-01-02T02:00:00Z"));
}

TEST_F(SchedulerTest, MisfireIsLogged) {
  std::vector<std::string> lines;
  log::setSink([&](std::string_view line) { lines.emplace_back(line); });
  recorder.last[{"orders", 0}] = at("2025-12-28T02:00:00Z");
  startWith({cron("orders", 0, "0 2 * * *", Misfire::Skip)});
  log::resetSink();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("schedule_misfire"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("\"policy\":\"skip\""), std::string::npos) << lines[0];
}

TEST_F(SchedulerTest, NoMisfireWhenTheLastFireIsCurrent) {
  recorder.last[{"orders", 0}] = at("2026-01-01T02:00:00Z");
  startWith({cron("orders", 0, "0 2 * * *")});
  EXPECT_TRUE(recorder.fired().empty());
  EXPECT_EQ(clock.earliestDeadline(), at("2026-01-02T02:00:00Z"));
}

TEST_F(SchedulerTest, RestartWithinTheGraceFiresAsUsual) {
  clock.set(at("2026-01-01T02:00:30Z"));
  recorder.last[{"orders", 0}] = at("2025-12-31T02:00:00Z");
  startWith({cron("orders", 0, "0 2 * * *", Misfire::Skip)});
  EXPECT_EQ(recorder.fired(), (std::vector<Fired>{{"orders", 0, at("2026-01-01T02:00:00Z")}}));
  EXPECT_EQ((recorder.recorded[{"orders", 0}]), at("2026-01-01T02:00:00Z"));
}

TEST_F(SchedulerTest, ClockJumpWhileRunningIsAMisfire) {
  startWith({cron("orders", 0, "0 * * * *", Misfire::RunOnce)});
  advanceTo("2026-01-04T10:30:00Z");  // suspended for three days
  EXPECT_EQ(recorder.fired(), (std::vector<Fired>{{"orders", 0, at("2026-01-01T11:00:00Z")}}));
  EXPECT_EQ(clock.earliestDeadline(), at("2026-01-04T11:00:00Z"));
}

TEST_F(SchedulerTest, LateWakeOfAFastScheduleFiresOnce) {
  startWith({cron("orders", 0, "* * * * * *")});  // every second
  advanceTo("2026-01-01T10:00:05Z");
  EXPECT_EQ(recorder.fired(), (std::vector<Fired>{{"orders", 0, at("2026-01-01T10:00:01Z")}}));
  EXPECT_EQ(clock.earliestDeadline(), at("2026-01-01T10:00:06Z"));
}

TEST_F(SchedulerTest, IntervalCountsFromTheLastFire) {
  recorder.last[{"sync", 0}] = at("2026-01-01T09:59:30Z");
  startWith({every("sync", 0, 60000)});
  EXPECT_EQ(clock.earliestDeadline(), at("2026-01-01T10:00:30Z"));
  advanceTo("2026-01-01T10:00:30Z");
  EXPECT_EQ(recorder.fired().size(), 1u);
  EXPECT_EQ(clock.earliestDeadline(), at("2026-01-01T10:01:30Z"));
}

TEST_F(SchedulerTest, IntervalJitterRepeatsWithTheSameSeed) {
  SchedulerOptions seeded;
  seeded.jitter_seed = 7;
  startWith({every("sync", 0, 60000, 10000)}, seeded);
  const Millis first = *clock.earliestDeadline();
  EXPECT_GE(first, at("2026-01-01T10:01:00Z"));
  EXPECT_LE(first, at("2026-01-01T10:01:10Z"));
  scheduler.reset();
  ManualClock other(at("2026-01-01T10:00:00Z"));
  Scheduler again(recorder.hooks(), other, seeded);
  again.replaceAll({every("sync", 0, 60000, 10000)});
  again.start();
  ASSERT_TRUE(other.waitForSleeper());
  EXPECT_EQ(other.earliestDeadline(), first);
}

TEST_F(SchedulerTest, HotReloadKeepsAnUnchangedTriggersTime) {
  SchedulerOptions seeded;
  seeded.jitter_seed = 1;
  startWith({every("sync", 0, 60000, 30000)}, seeded);
  const auto before = scheduler->upcoming();
  clock.set(at("2026-01-01T10:00:20Z"));
  scheduler->replaceAll({every("sync", 0, 60000, 30000)});
  resettle();
  EXPECT_EQ(scheduler->upcoming()[0].due, before[0].due);
}

TEST_F(SchedulerTest, HotReloadReschedulesAChangedTriggerFromNow) {
  recorder.last[{"orders", 0}] = at("2026-01-01T02:00:00Z");
  startWith({cron("orders", 0, "0 2 * * *")});
  scheduler->replaceAll({cron("orders", 0, "0 3 * * *")});  // 03:00 today already passed
  resettle();
  EXPECT_TRUE(recorder.fired().empty());
  EXPECT_EQ(clock.earliestDeadline(), at("2026-01-02T03:00:00Z"));
}

TEST_F(SchedulerTest, HotReloadDropsRemovedTriggers) {
  startWith({cron("orders", 0, "*/5 * * * *"), cron("stock", 0, "0 * * * *")});
  scheduler->replaceAll({cron("stock", 0, "0 * * * *")});
  advanceTo("2026-01-01T11:00:00Z");
  EXPECT_EQ(recorder.fired(), (std::vector<Fired>{{"stock", 0, at("2026-01-01T11:00:00Z")}}));
}

TEST_F(SchedulerTest, ReplaceFlowLeavesOtherFlowsAlone) {
  startWith({cron("orders", 0, "*/5 * * * *"), cron("stock", 0, "0 * * * *")});
  scheduler->replaceFlow("orders", {});
  const auto up = scheduler->upcoming();
  ASSERT_EQ(up.size(), 1u);
  EXPECT_EQ(up[0].flow, "stock");
  EXPECT_EQ(up[0].schedule, "0 * * * * (UTC)");
  EXPECT_EQ(up[0].due, at("2026-01-01T11:00:00Z"));
}

TEST_F(SchedulerTest, FailingFireIsNotRecordedAndDoesNotStopTheThread) {
  recorder.onFire = [](const Fired& f) {
    if (f.scheduled_for == at("2026-01-01T10:05:00Z")) throw std::runtime_error("store is down");
  };
  log::setSink([](std::string_view) {});
  startWith({cron("orders", 0, "*/5 * * * *")});
  advanceTo("2026-01-01T10:05:00Z");
  EXPECT_TRUE(recorder.recorded.empty());
  advanceTo("2026-01-01T10:10:00Z");
  log::resetSink();
  EXPECT_EQ(recorder.fired().size(), 2u);
  EXPECT_EQ((recorder.recorded[{"orders", 0}]), at("2026-01-01T10:10:00Z"));
}

TEST_F(SchedulerTest, SpringForwardGapFiresWhenTheGapEnds) {
  clock.set(at("2026-03-08T00:00:00-05:00"));
  startWith({cron("orders", 0, "30 2 * * *", Misfire::RunOnce, "America/New_York")});
  EXPECT_EQ(clock.earliestDeadline(), at("2026-03-08T03:00:00-04:00"));
}

// Overlap: the engine asks a RunGate from its fire hook; a run outlasting
// the interval between fires is skipped or queued by policy.
TEST_F(SchedulerTest, OverlappingFireIsSkippedWhileTheRunLasts) {
  RunGate gate;
  std::vector<Admission> seen;
  recorder.onFire = [&](const Fired& f) { seen.push_back(gate.tryStart(f.flow)); };
  startWith({cron("orders", 0, "* * * * *")});
  advanceTo("2026-01-01T10:01:00Z");  // the run starts and is still going...
  advanceTo("2026-01-01T10:02:00Z");  // ...when the next minute comes
  gate.finished("orders");
  advanceTo("2026-01-01T10:03:00Z");
  EXPECT_EQ(seen, (std::vector<Admission>{Admission::Started, Admission::Skipped, Admission::Started}));
}

TEST_F(SchedulerTest, OverlappingFiresQueueOneRun) {
  RunGate gate;
  gate.setPolicy("orders", Overlap::Queue);
  std::vector<Admission> seen;
  recorder.onFire = [&](const Fired& f) { seen.push_back(gate.tryStart(f.flow)); };
  startWith({cron("orders", 0, "* * * * *")});
  advanceTo("2026-01-01T10:01:00Z");
  advanceTo("2026-01-01T10:02:00Z");
  advanceTo("2026-01-01T10:03:00Z");
  EXPECT_EQ(seen, (std::vector<Admission>{Admission::Started, Admission::Queued, Admission::Queued}));
  EXPECT_TRUE(gate.finished("orders"));   // the single queued run takes over
  EXPECT_FALSE(gate.finished("orders"));  // and nothing waits behind it
}

TEST_F(SchedulerTest, StopEndsTheThread) {
  startWith({cron("orders", 0, "* * * * *")});
  scheduler->stop();
  clock.set(at("2026-01-01T10:05:00Z"));
  EXPECT_FALSE(clock.waitForSleeper(std::chrono::milliseconds(20)));
  EXPECT_TRUE(recorder.fired().empty());
}

TEST(SystemWaitClockTest, WakesAtTheDeadline) {
  std::mutex m;
  std::condition_variable cv;
  std::unique_lock lock(m);
  auto& clock = SystemWaitClock::instance();
  const Millis deadline = clock.now() + 5;
  while (clock.now() < deadline) clock.waitUntil(lock, cv, deadline);
  EXPECT_GE(clock.now(), deadline);
}

}  // namespace
}  // namespace hub::sched
