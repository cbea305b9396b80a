// An instance's rate_limit holds for everything the hub sends it, however
// many workers and flows share the instance: in no window of one second do
// more than per_second + burst calls arrive at the counting server, for
// pushes (four workers on one lane) and pulls (four flows at once).
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "hub/config/hub_config.h"
#include "hub/engine/engine.h"
#include "tests/doubles/rest_system.h"
#include "tests/support/temp_dir.h"

namespace hub::test {
namespace {

constexpr int kPerSecond = 10;
constexpr int kBurst = 3;

std::string stamp(int second) { return formatIsoMillis(1767225600000 + static_cast<Millis>(second) * 1000); }

// The most calls that arrived within any window [t, t + 1 s).
std::size_t busiestSecond(std::vector<std::int64_t> times) {
  std::sort(times.begin(), times.end());
  std::size_t most = 0;
  for (std::size_t i = 0, j = 0; i < times.size(); ++i) {
    while (j < times.size() && times[j] < times[i] + 1000) ++j;
    most = std::max(most, j - i);
  }
  return most;
}

class RateLimitTest : public ::testing::Test {
 protected:
  // `erp` is limited; `shop` is not. `flows` is the YAML list under flows:.
  void start(const std::string& flows) {
    const std::string yaml = "store:\n  path: " + dir.file("hub.db") +
                             "\nconnectors:\n"
                             "  - {name: erp, type: rest, base_url: '" + erp.baseUrl() + "',\n"
                             "     rate_limit: {per_second: " + std::to_string(kPerSecond) +
                             ", burst: " + std::to_string(kBurst) + "}}\n"
                             "  - {name: shop, type: rest, base_url: '" + shop.baseUrl() + "'}\n"
                             "flows:\n" + flows;
    auto loaded = config::parseConfig(yaml, "hub.yaml", dir.path().string(), connector::builtinConnectors());
    ASSERT_TRUE(loaded) << formatAll(loaded.error());
    auto scape = engine::Landscape::build(*loaded, connector::builtinConnectors());
    ASSERT_TRUE(scape) << formatAll(scape.error());
    store = store::openStore(store::sqliteAt(dir.file("hub.db")));
    engine::EngineOptions o;
    o.workers = 4;
    o.lane_concurrency = 4;
    o.poll_interval = 10;
    engine = std::make_unique<engine::Engine>(*store, *scape, o);
    engine->start();
  }
  void TearDown() override {
    if (engine) engine->stop(5000);
  }
  static std::string flow(const std::string& name, const std::string& from, const std::string& to, int pageSize,
                          int batchSize) {
    return "  - name: " + name + "\n    entity: order\n    source:\n      connector: " + from +
           "\n      entity: orders\n      page_size: " + std::to_string(pageSize) +
           "\n      options: {path: /orders, records: data, paging: offset, updated_since_param: updated_since}\n"
           "    targets:\n      - {connector: " + to + ", entity: " + name +
           ", options: {path: /orders/batch, batch: array, wrap: records}}\n    batch_size: " +
           std::to_string(batchSize) + "\n";
  }
  bool eventually(const std::function<bool()>& condition) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!condition() && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    return condition();
  }

  TempDir dir;
  RestSystem erp{5}, shop{6};
  std::unique_ptr<store::Store> store;
  std::unique_ptr<engine::Engine> engine;
};

TEST_F(RateLimitTest, FourWorkersPushingToOneInstanceStayWithinTheLimit) {
  for (int i = 0; i < 40; ++i) shop.put("SO-" + std::to_string(i), stamp(i), {{"qty", i}});
  start(flow("orders", "shop", "erp", 100, 1));
  ASSERT_TRUE(engine->runNow("orders", "manual"));
  ASSERT_TRUE(eventually([&] { return erp.storedCount() == 40; })) << erp.storedCount() << " of 40 delivered";
  const auto times = erp.callTimes();
  ASSERT_GE(times.size(), 40u);
  EXPECT_LE(busiestSecond(times), static_cast<std::size_t>(kPerSecond + kBurst));
}

TEST_F(RateLimitTest, FourFlowsPullingFromOneInstanceStayWithinTheLimit) {
  for (int i = 0; i < 8; ++i) erp.put("SO-" + std::to_string(i), stamp(i), {{"qty", i}});
  std::string flows;
  for (const char* name : {"a", "b", "c", "d"}) flows += flow(name, "erp", "shop", 1, 50);
  start(flows);
  for (const char* name : {"a", "b", "c", "d"})
    ASSERT_EQ(engine->trigger(name, "test").result, engine::TriggerResult::Started);
  ASSERT_TRUE(eventually([&] { return engine->activeRuns() == 0; }));
  for (const char* name : {"a", "b", "c", "d"}) {
    const auto runs = store->runs().list(name, 1, 0);
    ASSERT_EQ(runs.size(), 1u);
    EXPECT_EQ(runs[0].pulled, 8) << name << ": " << runs[0].error_summary;
  }
  const auto times = erp.callTimes();
  ASSERT_GE(times.size(), 32u) << "one call per page of every flow";
  EXPECT_LE(busiestSecond(times), static_cast<std::size_t>(kPerSecond + kBurst));
}

}  // namespace
}  // namespace hub::test
