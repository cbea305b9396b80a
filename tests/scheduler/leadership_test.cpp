// Several schedulers on one store: only the leader fires, each tick is
// claimed once, a new leader catches up from the store's last fire, and the
// leader lease renews itself and lapses on its own when it cannot.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>

#include "scheduler/leader_lease.h"
#include "scheduler/scheduler.h"

namespace hub::sched {
namespace {

constexpr Millis kStart = 1767261600000;  // 2026-01-01T10:00:00Z

// Plays the store: last fires and claimed ticks, shared by every scheduler.
struct SharedStore {
  std::mutex mutex;
  std::map<std::size_t, Millis> last;
  std::set<Millis> claimed;
  std::vector<std::pair<std::string, Millis>> fires;  // (node, scheduled_for)
};

SchedulerHooks nodeHooks(SharedStore& store, const std::string& node, std::atomic<bool>& leading) {
  SchedulerHooks h;
  h.fire = [&store, node](const std::string&, std::size_t, Millis at) {
    std::lock_guard g(store.mutex);
    store.fires.emplace_back(node, at);
  };
  h.lastFire = [&store](const std::string&, std::size_t i) -> std::optional<Millis> {
    std::lock_guard g(store.mutex);
    const auto it = store.last.find(i);
    return it == store.last.end() ? std::nullopt : std::optional(it->second);
  };
  h.leading = [&leading] { return leading.load(); };
  h.claim = [&store](const std::string&, std::size_t i, Millis scheduledFor, Millis recordAt) {
    std::lock_guard g(store.mutex);
    if (!store.claimed.insert(scheduledFor).second) return false;
    store.last[i] = recordAt;
    return true;
  };
  return h;
}

class LeadershipTest : public ::testing::Test {
 protected:
  std::unique_ptr<Scheduler> node(const std::string& name, std::atomic<bool>& leading) {
    SchedulerOptions o;
    o.follower_poll = 100;
    auto s = std::make_unique<Scheduler>(nodeHooks(store, name, leading), clock, o);
    s->replaceAll({{"orders", 0, Schedule::every(200), Misfire::RunOnce}});
    s->start();
    ++nodes;
    EXPECT_TRUE(clock.waitForSleepers(nodes)) << "node " << name << " did not settle";
    return s;
  }
  // Moves time and waits until every node's scheduler went back to sleep.
  void step(Millis by) {
    clock.advance(by);
    ASSERT_TRUE(clock.waitForSleepers(nodes));
  }
  std::vector<std::pair<std::string, Millis>> fires() {
    std::lock_guard g(store.mutex);
    return store.fires;
  }

  ManualClock clock{kStart};
  SharedStore store;
  std::size_t nodes = 0;
};

TEST_F(LeadershipTest, AFollowerDoesNotFire) {
  std::atomic<bool> leading{false};
  auto follower = node("b", leading);
  for (int i = 0; i < 5; ++i) step(200);
  EXPECT_TRUE(fires().empty());
}

TEST_F(LeadershipTest, TheLeaderFiresEveryTick) {
  std::atomic<bool> leading{true};
  auto leader = node("a", leading);
  for (int i = 0; i < 5; ++i) step(200);
  EXPECT_EQ(fires().size(), 5u);
}

TEST_F(LeadershipTest, TwoLeadersAtOnceFireEachTickOnce) {
  std::atomic<bool> a{true}, b{true};
  auto first = node("a", a);
  auto second = node("b", b);
  for (int i = 0; i < 10; ++i) step(200);
  std::set<Millis> ticks;
  for (const auto& [who, at] : fires()) EXPECT_TRUE(ticks.insert(at).second) << "tick " << at << " fired twice";
  EXPECT_EQ(ticks.size(), 10u);
}

TEST_F(LeadershipTest, ANewLeaderContinuesFromTheLastFireAndCatchesUpOnce) {
  std::atomic<bool> a{true}, b{false};
  auto first = node("a", a);
  auto second = node("b", b);
  for (int i = 0; i < 3; ++i) step(200);
  a = false;  // the leader dies; for five ticks nobody leads
  for (int i = 0; i < 5; ++i) step(200);
  b = true;
  second->leadershipChanged();
  step(0);
  step(0);
  const auto all = fires();
  ASSERT_EQ(all.size(), 4u) << "three by a, then one catch-up by b for the missed ticks (run_once)";
  EXPECT_EQ(all[3].first, "b");
  EXPECT_EQ(all[3].second, kStart + 800) << "the first tick after a's last fire";
  step(200);
  EXPECT_EQ(fires().size(), 5u) << "and on schedule from there";
}

TEST(LeaderLeaseTest, TakesTheLeaseAtStartAndRenewsItEveryThirdOfTheTtl) {
  ManualClock clock{kStart};
  std::mutex m;
  std::vector<Millis> holds;
  LeaderLease lease({[&](Millis now, Millis) {
                       std::lock_guard g(m);
                       holds.push_back(now);
                       return true;
                     },
                     {}, {}},
                    3000, clock);
  lease.start();
  ASSERT_TRUE(clock.waitForSleeper());
  EXPECT_TRUE(lease.leading());
  clock.advance(1000);
  ASSERT_TRUE(clock.waitForSleeper());
  lease.stop();
  std::lock_guard g(m);
  EXPECT_EQ(holds, (std::vector<Millis>{kStart, kStart + 1000}));
}

TEST(LeaderLeaseTest, ANodeThatCannotRenewStopsLeadingBeforeOthersMayTakeOver) {
  ManualClock clock{kStart};
  std::atomic<bool> storeUp{true};
  LeaderLease lease({[&](Millis, Millis) {
                       if (!storeUp) throw std::runtime_error("store unavailable");
                       return true;
                     },
                     {}, {}},
                    3000, clock);
  lease.start();
  ASSERT_TRUE(clock.waitForSleeper());
  storeUp = false;
  clock.advance(1000);
  ASSERT_TRUE(clock.waitForSleeper());
  EXPECT_TRUE(lease.leading()) << "one failed renewal: still within its own validity";
  clock.advance(1000);
  ASSERT_TRUE(clock.waitForSleeper());
  EXPECT_FALSE(lease.leading()) << "two thirds of the TTL after the last renewal, before the store's expiry";
  lease.stop();
}

TEST(LeaderLeaseTest, AnotherHolderMeansFollowing) {
  ManualClock clock{kStart};
  LeaderLease lease({[](Millis, Millis) { return false; }, {}, {}}, 3000, clock);
  lease.start();
  ASSERT_TRUE(clock.waitForSleeper());
  EXPECT_FALSE(lease.leading());
  lease.stop();
}

TEST(LeaderLeaseTest, StoppingTheLeaderResignsAndSaysSo) {
  ManualClock clock{kStart};
  bool resigned = false;
  std::vector<bool> changes;
  LeaderLease lease({[](Millis, Millis) { return true; }, [&] { resigned = true; },
                     [&](bool leading) { changes.push_back(leading); }},
                    3000, clock);
  lease.start();
  ASSERT_TRUE(clock.waitForSleeper());
  lease.stop();
  EXPECT_TRUE(resigned);
  EXPECT_EQ(changes, (std::vector<bool>{true, false}));
  EXPECT_FALSE(lease.leading());
}

}  // namespace
}  // namespace hub::sched
