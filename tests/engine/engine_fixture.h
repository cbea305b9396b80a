#pragma once
// A real engine on a real SQLite file, moving records between in-memory
// systems; flows are declared in YAML like an admin would.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <thread>

#include "hub/config/hub_config.h"
#include "hub/engine/engine.h"
#include "tests/doubles/memory_system.h"
#include "tests/support/temp_dir.h"

namespace hub::test {

inline bool eventually(const std::function<bool()>& condition, int timeoutMs = 20000) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
  while (std::chrono::steady_clock::now() < until) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return condition();
}

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    src = MemorySystem::named("src-" + name);
    dst = MemorySystem::named("dst-" + name);
    src->reset();
    dst->reset();
    srcName = "src-" + name;
    dstName = "dst-" + name;
  }
  void TearDown() override {
    if (engine) engine->stop(5000);
  }

  // `flows` is the YAML list under `flows:`; connectors src and dst are declared.
  void start(const std::string& flows, int workers = 2) {
    const std::string yaml = "store:\n  path: " + dir.file("hub.db") + "\nmapping_dir: " + dir.file("mappings") +
                             "\nconnectors:\n  - {name: src, type: memory, system: " + srcName +
                             "}\n  - {name: dst, type: memory, system: " + dstName + "}\nflows:\n" + flows;
    auto loaded = config::parseConfig(yaml, "hub.yaml", dir.path().string(), testRegistry());
    ASSERT_TRUE(loaded) << formatAll(loaded.error());
    auto scape = engine::Landscape::build(*loaded, testRegistry());
    ASSERT_TRUE(scape) << formatAll(scape.error());
    landscape = *scape;
    store = store::openStore(store::sqliteAt(dir.file("hub.db"), busyTimeout));
    engine::EngineOptions o;
    o.workers = workers;
    o.poll_interval = 20;
    o.lease_ttl = 5000;
    o.sweep_interval = sweepInterval;
    engine = std::make_unique<engine::Engine>(*store, landscape, o, SystemClock::instance(), observer);
    engine->start();
  }
  void mapping(const std::string& file, const std::string& yaml) { dir.write("mappings/" + file, yaml); }

  engine::PullSummary run(const std::string& flow) {
    auto s = engine->runNow(flow, "manual");
    EXPECT_TRUE(s.has_value());
    return s.value_or(engine::PullSummary{});
  }
  // Waits until nothing of `flow` is pending, in flight or parked... unless parked is allowed.
  bool settled(const std::string& flow, bool allowParked = false, int timeoutMs = 20000) {
    return eventually(
        [&] {
          for (const auto& c : store->queue().counts(flow))
            if (c.pending + c.leased > 0 || (!allowParked && c.parked > 0)) return false;
          return true;
        },
        timeoutMs);
  }
  std::size_t openDeadLetters(const std::string& flow = {}) {
    store::DeadLetterFilter f;
    f.flow = flow;
    return static_cast<std::size_t>(store->deadLetters().count(f));
  }

  TempDir dir;
  Millis busyTimeout = 5000;   // how long the store waits for a lock held elsewhere
  Millis sweepInterval = 50;
  engine::EngineObserver* observer = nullptr;
  std::shared_ptr<MemorySystem> src, dst;
  std::string srcName, dstName;
  std::shared_ptr<const engine::Landscape> landscape;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<engine::Engine> engine;
};

inline const char* kOrdersFlow = R"(  - name: orders
    entity: order
    source: {connector: src, entity: orders, page_size: 100, overlap: 5m}
    targets: [{connector: dst, entity: orders}]
    batch_size: 50
    retry: {base: 10ms, factor: 2, cap: 80ms, max_attempts: 4, jitter: 0}
)";

}  // namespace hub::test
