// End to end over real loopback HTTP: a REST source and a REST sink, the
// `rest` connector on both sides, the engine in between on a real SQLite file.
#include <gtest/gtest.h>

#include <thread>

#include "hub/config/hub_config.h"
#include "hub/engine/dead_letter_ops.h"
#include "hub/engine/engine.h"
#include "tests/doubles/rest_system.h"
#include "tests/support/temp_dir.h"

namespace hub::test {
namespace {

bool eventually(const std::function<bool()>& condition, int timeoutMs) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
  while (std::chrono::steady_clock::now() < until) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return condition();
}

std::string stamp(int second) {
  return formatIsoMillis(1767225600000 + static_cast<Millis>(second) * 1000);  // 2026-01-01T00:00:00Z + s
}

class RestFlowTest : public ::testing::Test {
 protected:
  void start(const std::string& retry = "{base: 20ms, cap: 1s, max_attempts: 40, jitter: 0.1}") {
    const std::string yaml = "store:\n  path: " + dir.file("hub.db") +
                             "\nconnectors:\n"
                             "  - {name: shop, type: rest, base_url: '" + source.baseUrl() + "'}\n"
                             "  - {name: erp, type: rest, base_url: '" + sink.baseUrl() + "', timeout: 300ms,\n"
                             "     circuit_breaker: {failures: 5, open_for: 100ms}}\n"
                             "flows:\n"
                             "  - name: orders\n"
                             "    entity: order\n"
                             "    source:\n"
                             "      connector: shop\n"
                             "      entity: orders\n"
                             "      page_size: 500\n"
                             "      options: {path: /orders, records: data, paging: offset, updated_since_param: updated_since}\n"
                             "    targets:\n"
                             "      - connector: erp\n"
                             "        entity: orders\n"
                             "        options: {path: /orders/batch, batch: array, wrap: records, max_batch: 100}\n"
                             "    batch_size: 100\n"
                             "    retry: " + retry + "\n";
    auto loaded = config::parseConfig(yaml, "hub.yaml", dir.path().string(), connector::builtinConnectors());
    ASSERT_TRUE(loaded) << formatAll(loaded.error());
    auto scape = engine::Landscape::build(*loaded, connector::builtinConnectors());
    ASSERT_TRUE(scape) << formatAll(scape.error());
    store = store::openStore(store::sqliteAt(dir.file("hub.db")));
    engine::EngineOptions o;
    o.workers = 2;
    o.poll_interval = 20;
    engine = std::make_unique<engine::Engine>(*store, *scape, o);
    engine->start();
  }
  void TearDown() override {
    if (engine) engine->stop(5000);
  }
  bool settled(int timeoutMs = 120000) {
    return eventually(
        [&] {
          for (const auto& c : store->queue().counts("orders"))
            if (c.pending + c.leased + c.parked > 0) return false;
          return true;
        },
        timeoutMs);
  }
  std::vector<store::Id> openLetters() {
    std::vector<store::Id> ids;
    for (const auto& d : store->deadLetters().list({})) ids.push_back(d.id);
    return ids;
  }

  TempDir dir;
  RestSystem source{1}, sink{2};
  std::unique_ptr<store::Store> store;
  std::unique_ptr<engine::Engine> engine;
};

TEST_F(RestFlowTest, TenThousandRecordsArriveOnceEachAndOnlyChangesFollow) {
  for (int i = 0; i < 10000; ++i)
    source.put("SO-" + std::to_string(100000 + i), stamp(i / 50), {{"dealer", "D-" + std::to_string(i % 300)}, {"qty", i % 17}});
  start();
  auto first = engine->runNow("orders", "manual");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->pulled, 10000u);
  ASSERT_TRUE(settled());
  EXPECT_EQ(sink.storedCount(), 10000u);
  EXPECT_EQ(sink.created(), 10000u) << "each (key, content) written exactly once";
  EXPECT_EQ(sink.absorbed(), 0u);

  const auto callsBefore = sink.calls();
  auto second = engine->runNow("orders", "manual");
  ASSERT_TRUE(settled());
  EXPECT_EQ(second->queued, 0u);
  EXPECT_EQ(sink.calls(), callsBefore) << "a second run delivers nothing";

  for (int i = 0; i < 10000; i += 100)
    source.put("SO-" + std::to_string(100000 + i), stamp(300 + i / 100), {{"dealer", "D-changed"}, {"qty", 99}});
  auto third = engine->runNow("orders", "manual");
  ASSERT_TRUE(settled());
  EXPECT_EQ(third->queued, 100u);
  EXPECT_EQ(sink.created(), 10100u) << "exactly the 100 changed records were delivered";
  EXPECT_EQ(sink.stored().at("SO-100100")["dealer"], "D-changed");
}

TEST_F(RestFlowTest, FlakySinkEndsWithEveryRecordDeliveredAndThePermanentOneDeadLettered) {
  for (int i = 0; i < 1000; ++i) source.put("SO-" + std::to_string(i), stamp(i / 10), {{"qty", i}});
  sink.setFaults({30, 10, 5, 0, 500});
  sink.rejectKeys({"SO-77"});
  start();
  engine->runNow("orders", "manual");
  ASSERT_TRUE(settled());
  EXPECT_EQ(sink.storedCount(), 999u);
  const auto letters = store->deadLetters().list({});
  ASSERT_EQ(letters.size(), 1u) << "only the business error is dead-lettered";
  EXPECT_EQ(letters[0].key, "SO-77");
  // Earlier attempts may have failed with the whole batch (500, 429); the
  // business rejection itself came once and was the last attempt.
  const auto history = nlohmann::json::parse(letters[0].history);
  int rejections = 0;
  for (const auto& a : history) rejections += a.value("error_type", "") == "rejected";
  EXPECT_EQ(rejections, 1) << history.dump();
  EXPECT_EQ(history.back()["error_type"], "rejected");
  EXPECT_NE(letters[0].failure.message.find("credit limit"), std::string::npos);
  for (int i = 0; i < 1000; ++i) {
    if (i == 77) continue;
    ASSERT_EQ(sink.creationsOf("SO-" + std::to_string(i)), 1u) << i;
  }

  // Support fixes the cause in the target and replays.
  sink.setFaults({});
  sink.rejectKeys({});
  engine::replayDeadLetters(*store, openLetters(), "support", std::nullopt, nowMillis());
  engine->wake();
  ASSERT_TRUE(settled());
  EXPECT_EQ(sink.storedCount(), 1000u);
  EXPECT_TRUE(openLetters().empty());
}

TEST_F(RestFlowTest, AmbiguousAnswersAreAbsorbedByTheIdempotencyKey) {
  for (int i = 0; i < 500; ++i) source.put("SO-" + std::to_string(i), stamp(i), {{"qty", i}});
  sink.setFaults({0, 0, 10, 10, 500});
  start();
  engine->runNow("orders", "manual");
  ASSERT_TRUE(settled());
  EXPECT_EQ(sink.storedCount(), 500u);
  for (int i = 0; i < 500; ++i) ASSERT_EQ(sink.creationsOf("SO-" + std::to_string(i)), 1u) << i;
  EXPECT_GT(sink.absorbed(), 0u) << "repeats after lost answers were absorbed, not applied twice";
}

TEST_F(RestFlowTest, SinkThatNeverRecoversExhaustsRetriesAndReplayDeliversOnce) {
  for (int i = 0; i < 50; ++i) source.put("SO-" + std::to_string(i), stamp(i), {{"qty", i}});
  sink.setFaults({100, 0, 0, 0, 0});
  start("{base: 5ms, cap: 20ms, max_attempts: 5, jitter: 0}");
  engine->runNow("orders", "manual");
  ASSERT_TRUE(settled());
  ASSERT_EQ(openLetters().size(), 50u);
  for (const auto& d : store->deadLetters().list({})) EXPECT_EQ(d.attempts, 5);
  sink.setFaults({});
  engine::replayDeadLetters(*store, openLetters(), "support", std::nullopt, nowMillis());
  engine->wake();
  ASSERT_TRUE(settled());
  EXPECT_EQ(sink.created(), 50u);
  const auto again = engine::replayDeadLetters(*store, {1, 2, 3}, "support", std::nullopt, nowMillis());
  for (const auto& r : again) EXPECT_EQ(r.result.status, store::ReplayStatus::NotOpen);
  EXPECT_EQ(store->audit().list("dead_letter/", 1000, 0).size(), 50u);
}

}  // namespace
}  // namespace hub::test
