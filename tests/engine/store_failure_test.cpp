// A store that cannot write (here: another connection holds the database's
// write lock, as another process or a backup would) fails the step it was
// asked for, never the process. A run whose page cannot be committed fails,
// is counted, and the next run resumes from the last committed cursor;
// nothing is lost or doubled.
#include <sqlite3.h>

#include <atomic>

#include "tests/engine/engine_fixture.h"

namespace hub::test {
namespace {

// The database's write lock, held by a connection of its own.
class WriteLock {
 public:
  explicit WriteLock(const std::string& path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) ADD_FAILURE() << "cannot open " << path;
    sqlite3_busy_timeout(db_, 10000);  // waits for the hub's own write in progress, then holds the lock
  }
  ~WriteLock() {
    release();
    sqlite3_close(db_);
  }
  void take() { held_ = sqlite3_exec(db_, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr) == SQLITE_OK; }
  void release() {
    if (held_.exchange(false)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  bool held() const { return held_; }

 private:
  sqlite3* db_ = nullptr;
  std::atomic<bool> held_{false};
};

struct StoreFailureCount final : engine::EngineObserver {
  void storeFailed(const std::string& operation) override {
    std::lock_guard lock(mutex);
    operations.push_back(operation);
  }
  void runPulled(const std::string&, store::Id, bool ok) override {
    if (!ok) ++failedRuns;
  }
  std::size_t count(const std::string& operation) {
    std::lock_guard lock(mutex);
    return static_cast<std::size_t>(std::count(operations.begin(), operations.end(), operation));
  }
  std::mutex mutex;
  std::vector<std::string> operations;
  std::atomic<int> failedRuns{0};
};

class StoreFailureTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    busyTimeout = 100;
    observer = &counts;
    for (int i = 0; i < 30; ++i)
      src->put("SO-" + std::to_string(100 + i), 1700000000000 + i * 1000, {{"id", "SO-" + std::to_string(100 + i)}});
  }
  void startOrders() {
    start(R"(  - name: orders
    entity: order
    source: {connector: src, entity: orders, page_size: 10, overlap: 0s}
    targets: [{connector: dst, entity: orders}]
    retry: {base: 10ms, jitter: 0}
)");
  }
  StoreFailureCount counts;
};

TEST_F(StoreFailureTest, APageThatCannotBeCommittedFailsTheRunAndTheNextResumesFromTheCommittedCursor) {
  startOrders();
  WriteLock lock(dir.file("hub.db"));
  src->onPull([&](std::size_t pull) {
    if (pull == 3) lock.take();  // pages 1 and 2 are committed; page 3 is not
  });
  const auto first = engine->runNow("orders", "manual");
  ASSERT_TRUE(first.has_value()) << "the run ran and failed; the engine did not die";
  EXPECT_TRUE(lock.held());
  EXPECT_EQ(first->pages, 2u);
  EXPECT_NE(first->error.find("store"), std::string::npos) << first->error;
  EXPECT_GE(counts.count("pull"), 1u);
  EXPECT_EQ(counts.failedRuns.load(), 1);

  lock.release();
  src->onPull(nullptr);
  const auto second = engine->runNow("orders", "manual");
  ASSERT_TRUE(second.has_value());
  EXPECT_TRUE(second->error.empty()) << second->error;
  EXPECT_EQ(second->pulled, 10u) << "only the page that was not committed is read again";
  ASSERT_TRUE(settled("orders"));
  EXPECT_EQ(dst->stored().size(), 30u);
  EXPECT_EQ(dst->created(), 30u) << "nothing doubled";
  const auto earlier = store->runs().get(first->run);
  ASSERT_TRUE(earlier);
  EXPECT_NE(earlier->status, "running") << "a later run closes a run that could not record its end";
}

TEST_F(StoreFailureTest, ARunThatCannotBeginIsRefusedAndCountedAndTheEngineKeepsServing) {
  startOrders();
  WriteLock lock(dir.file("hub.db"));
  lock.take();
  ASSERT_TRUE(lock.held());
  const auto refused = engine->trigger("orders", "schedule");
  EXPECT_EQ(refused.result, engine::TriggerResult::Failed);
  EXPECT_NE(refused.detail.find("store"), std::string::npos) << refused.detail;
  EXPECT_EQ(counts.count("run_start"), 1u);
  lock.release();
  const auto later = engine->trigger("orders", "schedule");
  EXPECT_EQ(later.result, engine::TriggerResult::Started) << later.detail;
  ASSERT_TRUE(eventually([&] { return engine->activeRuns() == 0; }));
  ASSERT_TRUE(settled("orders"));
  EXPECT_EQ(dst->created(), 30u);
}

TEST_F(StoreFailureTest, AnOutcomeThatCannotBeRecordedLeavesTheBatchLeasedAndItIsDeliveredOnce) {
  startOrders();
  WriteLock lock(dir.file("hub.db"));
  std::atomic<bool> locked{false};
  dst->setFault([&](const connector::OutboundRecord&, std::size_t) -> std::optional<connector::Outcome> {
    if (!locked.exchange(true)) lock.take();  // the push lands; its outcome cannot be written
    return std::nullopt;
  });
  ASSERT_TRUE(engine->runNow("orders", "manual"));
  ASSERT_TRUE(eventually([&] { return counts.count("delivery") > 0; })) << "the workers met the lock";
  lock.release();
  // The lock may also have failed the pull's last page; the next run (the
  // schedule's, in a daemon) pulls it from the committed cursor.
  ASSERT_TRUE(eventually([&] { return engine->activeRuns() == 0; }));
  ASSERT_TRUE(engine->runNow("orders", "manual"));
  ASSERT_TRUE(settled("orders"));
  EXPECT_EQ(dst->created(), 30u) << "the batch sent again after its lease is absorbed, not doubled";
  EXPECT_GE(dst->deduped(), 1u);
}

}  // namespace
}  // namespace hub::test
