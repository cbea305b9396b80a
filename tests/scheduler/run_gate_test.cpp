// The per-flow run gate the engine consults for every trigger.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "scheduler/run_gate.h"

namespace hub::sched {
namespace {

TEST(RunGate, FirstTriggerStarts) {
  RunGate gate;
  EXPECT_EQ(gate.tryStart("orders"), Admission::Started);
  EXPECT_TRUE(gate.running("orders"));
}

TEST(RunGate, SkipPolicyRefusesWhileRunning) {
  RunGate gate;
  gate.tryStart("orders");
  EXPECT_EQ(gate.tryStart("orders"), Admission::Skipped);
  EXPECT_FALSE(gate.queued("orders"));
}

TEST(RunGate, FlowsDoNotBlockEachOther) {
  RunGate gate;
  gate.tryStart("orders");
  EXPECT_EQ(gate.tryStart("stock"), Admission::Started);
}

TEST(RunGate, FinishedFreesTheSlot) {
  RunGate gate;
  gate.tryStart("orders");
  EXPECT_FALSE(gate.finished("orders"));
  EXPECT_FALSE(gate.running("orders"));
  EXPECT_EQ(gate.tryStart("orders"), Admission::Started);
}

TEST(RunGate, QueuePolicyQueuesOneRunThatTakesTheSlot) {
  RunGate gate;
  gate.setPolicy("orders", Overlap::Queue);
  gate.tryStart("orders");
  EXPECT_EQ(gate.tryStart("orders"), Admission::Queued);
  EXPECT_TRUE(gate.finished("orders"));  // start the queued run now
  EXPECT_TRUE(gate.running("orders"));
  EXPECT_FALSE(gate.queued("orders"));
  EXPECT_FALSE(gate.finished("orders"));
  EXPECT_FALSE(gate.running("orders"));
}

TEST(RunGate, QueuedTriggersFoldIntoOneRun) {
  RunGate gate;
  gate.setPolicy("orders", Overlap::Queue);
  gate.tryStart("orders");
  gate.tryStart("orders");
  EXPECT_EQ(gate.tryStart("orders"), Admission::Queued);
  EXPECT_TRUE(gate.finished("orders"));
  EXPECT_FALSE(gate.finished("orders"));  // only one run was waiting
}

TEST(RunGate, DroppingTheQueuedRunEndsWithTheCurrentOne) {
  RunGate gate;
  gate.setPolicy("orders", Overlap::Queue);
  gate.tryStart("orders");
  gate.tryStart("orders");
  EXPECT_TRUE(gate.dropQueued("orders"));
  EXPECT_FALSE(gate.finished("orders"));
  EXPECT_FALSE(gate.dropQueued("orders"));
}

TEST(RunGate, FinishedOnAnIdleFlowDoesNothing) {
  RunGate gate;
  EXPECT_FALSE(gate.finished("never-ran"));
  EXPECT_EQ(gate.tryStart("never-ran"), Admission::Started);
}

TEST(RunGate, PolicyWordsFromConfig) {
  EXPECT_EQ(parseOverlap("skip"), Overlap::Skip);
  EXPECT_EQ(parseOverlap("queue"), Overlap::Queue);
  EXPECT_FALSE(parseOverlap("parallel"));
}

TEST(RunGate, ConcurrentTriggersStartExactlyOneRun) {
  RunGate gate;
  std::atomic<int> started{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&] {
      if (gate.tryStart("orders") == Admission::Started) ++started;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(started.load(), 1);
}

}  // namespace
}  // namespace hub::sched
