// Leadership, nodes and claimed schedule ticks: what lets several hubs share
// one store with each schedule fired once.
#include <atomic>
#include <thread>

#include "tests/store/store_fixture.h"

namespace hub::test {
namespace {

class ClusterTest : public StoreTest {
 protected:
  store::Cluster& cluster() { return store->cluster(); }
};

TEST_P(ClusterTest, AFreeDutyIsTakenUntilNowPlusTheTtl) {
  const auto r = cluster().lead("scheduler", "n1", now, 2000);
  EXPECT_TRUE(r.held);
  EXPECT_EQ(r.current.node, "n1");
  EXPECT_EQ(r.current.expires_at, now + 2000);
  EXPECT_EQ(cluster().leader("scheduler", now)->node, "n1");
}

TEST_P(ClusterTest, AnotherNodeIsRefusedWhileTheLeaseRunsAndToldWhoHoldsIt) {
  cluster().lead("scheduler", "n1", now, 2000);
  const auto r = cluster().lead("scheduler", "n2", now + 1999, 2000);
  EXPECT_FALSE(r.held);
  EXPECT_EQ(r.current.node, "n1");
}

TEST_P(ClusterTest, RenewingKeepsTheTimeLeadershipWasAcquired) {
  cluster().lead("scheduler", "n1", now, 2000);
  const auto r = cluster().lead("scheduler", "n1", now + 700, 2000);
  EXPECT_TRUE(r.held);
  EXPECT_EQ(r.current.acquired_at, now);
  EXPECT_EQ(r.current.expires_at, now + 2700);
}

TEST_P(ClusterTest, AnExpiredLeaseIsTakenOverAndTheFormerLeaderNoLongerHoldsIt) {
  cluster().lead("scheduler", "n1", now, 2000);
  EXPECT_TRUE(cluster().lead("scheduler", "n2", now + 2000, 2000).held);
  EXPECT_FALSE(cluster().lead("scheduler", "n1", now + 2100, 2000).held);
  EXPECT_EQ(cluster().leader("scheduler", now + 2100)->node, "n2");
}

TEST_P(ClusterTest, AnExpiredLeaseNamesNoLeader) {
  cluster().lead("scheduler", "n1", now, 2000);
  EXPECT_FALSE(cluster().leader("scheduler", now + 2000).has_value());
}

TEST_P(ClusterTest, ResigningFreesTheDutyAtOnce) {
  cluster().lead("scheduler", "n1", now, 60000);
  cluster().resign("scheduler", "n1");
  EXPECT_TRUE(cluster().lead("scheduler", "n2", now + 1, 2000).held);
}

TEST_P(ClusterTest, OnlyOneOfManyNodesRacingForAFreeDutyGetsIt) {
  std::vector<std::unique_ptr<store::Store>> handles;
  for (int i = 0; i < 4; ++i) handles.push_back(openAnother());
  std::atomic<int> leaders{0};
  std::vector<std::thread> nodes;
  for (int i = 0; i < 4; ++i)
    nodes.emplace_back([&, i] {
      for (int tick = 0; tick < 20; ++tick)
        if (handles[i]->cluster().lead("race" + std::to_string(tick), "n" + std::to_string(i), now, 60000).held)
          ++leaders;
    });
  for (auto& t : nodes) t.join();
  EXPECT_EQ(leaders.load(), 20) << "each of the 20 duties has exactly one leader";
}

TEST_P(ClusterTest, EachTickOfAScheduleIsClaimedOnce) {
  EXPECT_TRUE(store->flows().claimFire("orders", 0, now, now, "n1", now));
  EXPECT_FALSE(store->flows().claimFire("orders", 0, now, now, "n2", now + 5)) << "the same tick on another node";
  EXPECT_TRUE(store->flows().claimFire("orders", 0, now + 200, now + 200, "n2", now + 200));
  EXPECT_TRUE(store->flows().claimFire("orders", 1, now, now, "n2", now)) << "another trigger of the flow";
}

TEST_P(ClusterTest, AClaimedTickIsTheFlowsLastFire) {
  store->flows().claimFire("orders", 0, now, now + 30, "n1", now + 30);
  EXPECT_EQ(store->flows().lastFire("orders", 0), now + 30);
  store->flows().claimFire("orders", 0, now, now + 90, "n2", now + 90);
  EXPECT_EQ(store->flows().lastFire("orders", 0), now + 30) << "a refused claim records nothing";
}

TEST_P(ClusterTest, NodesRacingForTheSameTicksFireEachOnce) {
  std::vector<std::unique_ptr<store::Store>> handles;
  for (int i = 0; i < 3; ++i) handles.push_back(openAnother());
  std::atomic<int> fired{0};
  std::vector<std::thread> nodes;
  for (int i = 0; i < 3; ++i)
    nodes.emplace_back([&, i] {
      for (int tick = 0; tick < 50; ++tick)
        if (handles[i]->flows().claimFire("orders", 0, now + tick * 200, now, "n" + std::to_string(i), now)) ++fired;
    });
  for (auto& t : nodes) t.join();
  EXPECT_EQ(fired.load(), 50);
}

TEST_P(ClusterTest, OldClaimedTicksArePurgedWithFinishedRows) {
  store->flows().claimFire("orders", 0, now, now, "n1", now);
  store->queue().purgeFinished(now + 1);
  EXPECT_TRUE(store->flows().claimFire("orders", 0, now, now, "n1", now + 2)) << "the purged tick row is gone";
}

TEST_P(ClusterTest, NodesHeardFromRecentlyAreListed) {
  cluster().heartbeat({"h1:10:a", "h1", 10, "1.0", now, 0}, now);
  cluster().heartbeat({"h2:20:b", "h2", 20, "1.0", now, 0}, now + 5000);
  const auto alive = cluster().nodes(now + 1000);
  ASSERT_EQ(alive.size(), 1u);
  EXPECT_EQ(alive[0].node, "h2:20:b");
  EXPECT_EQ(alive[0].pid, 20);
  EXPECT_EQ(alive[0].last_seen, now + 5000);
}

TEST_P(ClusterTest, ALeavingNodeIsForgottenWithItsLeadership) {
  cluster().heartbeat({"h1:10:a", "h1", 10, "1.0", now, 0}, now);
  cluster().lead("scheduler", "h1:10:a", now, 60000);
  cluster().leave("h1:10:a");
  EXPECT_TRUE(cluster().nodes(0).empty());
  EXPECT_FALSE(cluster().leader("scheduler", now).has_value());
}

INSTANTIATE_STORE_CONTRACT(ClusterTest);

}  // namespace
}  // namespace hub::test
