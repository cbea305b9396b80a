// Stopping the engine while pushes wait for a slow target: the workers are
// joined by the deadline (their calls are aborted, not abandoned on detached
// threads), the records of the cut-short batches stay leased with no outcome
// written, and once their lease lapses they are delivered, the repeat
// absorbed by the target's idempotency key.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "hub/config/hub_config.h"
#include "hub/engine/engine.h"
#include "tests/doubles/rest_system.h"
#include "tests/support/temp_dir.h"

namespace hub::test {
namespace {

constexpr int kSlowAnswerMs = 4000;

class ShutdownTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 0; i < 10; ++i)
      shop.put("SO-" + std::to_string(i), formatIsoMillis(1767225600000 + i * 1000), {{"qty", i}});
    const std::string yaml =
        "store:\n  path: " + dir.file("hub.db") +
        "\nconnectors:\n"
        "  - {name: shop, type: rest, base_url: '" + shop.baseUrl() + "'}\n"
        "  - {name: erp, type: rest, base_url: '" + erp.baseUrl() + "', timeout: 20s}\n"
        "flows:\n"
        "  - name: orders\n    entity: order\n"
        "    source: {connector: shop, entity: orders,\n"
        "             options: {path: /orders, records: data, paging: offset, updated_since_param: updated_since}}\n"
        "    targets: [{connector: erp, entity: orders, options: {path: /orders/batch, batch: array, wrap: records}}]\n"
        "    batch_size: 5\n";
    loaded = *config::parseConfig(yaml, "hub.yaml", dir.path().string(), connector::builtinConnectors());
    store = store::openStore(store::sqliteAt(dir.file("hub.db")));
  }
  std::unique_ptr<engine::Engine> engineOn(Millis leaseTtl) {
    auto scape = engine::Landscape::build(loaded, connector::builtinConnectors());
    EXPECT_TRUE(scape);
    engine::EngineOptions o;
    o.workers = 2;
    o.poll_interval = 10;
    o.lease_ttl = leaseTtl;
    return std::make_unique<engine::Engine>(*store, *scape, o);
  }
  bool eventually(const std::function<bool()>& condition, int seconds = 30) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (!condition() && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return condition();
  }
  std::int64_t leased() {
    std::int64_t n = 0;
    for (const auto& c : store->queue().counts("orders")) n += c.leased;
    return n;
  }

  TempDir dir;
  RestSystem shop{7}, erp{8};
  config::LoadedConfig loaded;
  std::unique_ptr<store::Store> store;
};

TEST_F(ShutdownTest, PushesOutlastingTheDeadlineAreAbortedAndTheirRecordsStayLeased) {
  erp.setFaults({0, 0, 100, 0, kSlowAnswerMs});  // every push lands, its answer comes late
  auto engine = engineOn(1000);
  engine->start();
  ASSERT_TRUE(engine->runNow("orders", "manual"));
  ASSERT_TRUE(eventually([&] { return erp.calls() == 2 && leased() == 10; })) << "both batches in flight";

  const auto before = std::chrono::steady_clock::now();
  EXPECT_FALSE(engine->stop(500)) << "work had to be cut short";
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - before);
  EXPECT_LT(took.count(), kSlowAnswerMs) << "stop() waited for the answers instead of aborting the calls";
  engine.reset();

  EXPECT_EQ(leased(), 10) << "no outcome was written for an aborted push";
  for (const auto& item : store->queue().history("order", "SO-0")) EXPECT_EQ(item.history, "[]");
  EXPECT_EQ(store->deadLetters().count({}), 0);

  erp.setFaults({});
  auto next = engineOn(1000);
  next->start();
  ASSERT_TRUE(eventually([&] {
    for (const auto& c : store->queue().counts("orders"))
      if (c.pending + c.leased > 0) return false;
    return true;
  })) << "the leases lapsed and the records were delivered";
  next->stop(1000);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(erp.creationsOf("SO-" + std::to_string(i)), 1u);
  EXPECT_EQ(erp.absorbed(), 10u) << "the repeats were absorbed by the idempotency key";
}

TEST_F(ShutdownTest, AnIdleEngineStopsCleanly) {
  auto engine = engineOn(1000);
  engine->start();
  EXPECT_TRUE(engine->stop(500));
}

}  // namespace
}  // namespace hub::test
