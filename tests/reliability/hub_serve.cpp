#include "tests/reliability/hub_serve.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <thread>

#include "hub/store/store.h"
#include "tests/support/paths.h"

namespace hub::test {

std::unique_ptr<ChildProcess> startHubServe(const std::string& config, std::map<std::string, std::string> env) {
  return std::make_unique<ChildProcess>(std::vector<std::string>{hubBinary(), "serve", "--config", config},
                                        std::move(env));
}

void stopHubServe(ChildProcess& hub) {
  ASSERT_TRUE(hub.waitForLine("hub listening on")) << hub.stderrText();
  hub.signal(SIGTERM);
  EXPECT_EQ(hub.wait(std::chrono::seconds(10)), 0) << hub.stderrText();
}

void crashAtFailPoint(const std::string& config, const std::string& name, int hit, const std::string& why) {
  auto hub = startHubServe(config, {{"HUB_FAILPOINT", name + ":crash@" + std::to_string(hit)}});
  ASSERT_EQ(hub->wait(std::chrono::seconds(60)), 128 + SIGKILL)
      << why << ": fail point " << name << " never fired\n" << hub->stderrText();
}

void killAtRandomMoments(const std::string& config, int rounds, std::mt19937& rng, int fromMs, int toMs,
                         const std::string& why) {
  for (int round = 0; round < rounds; ++round) {
    auto hub = startHubServe(config);
    std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(fromMs, toMs)(rng)));
    hub->kill9();
    ASSERT_EQ(hub->wait(), 128 + SIGKILL) << why << ", round " << round << "\n" << hub->stderrText();
  }
}

void expectStoreSettled(store::Store& store, const std::string& flow) {
  EXPECT_TRUE(store.integrityCheck().ok());
  for (const auto& c : store.queue().counts(flow)) {
    EXPECT_EQ(c.pending + c.leased + c.parked, 0) << c.target;
  }
}

void expectStoreSettled(const std::string& dbPath, const std::string& flow) {
  auto store = store::openStore(store::sqliteAt(dbPath));
  expectStoreSettled(*store, flow);
}

std::string ordersHubYaml(const std::string& dir, const std::string& sourceUrl, const std::string& sinkUrl,
                          const OrdersHub& hub) {
  const std::string path = dir + "/hub.yaml";
  std::ofstream(path) << "server:\n  listen: 127.0.0.1:0\n  shutdown_deadline: " << hub.shutdown_deadline << "\n"
                         "store:\n" << (hub.store.empty() ? "  path: " + dir + "/hub.db\n" : hub.store) <<
                         "cluster:\n  leader_ttl: " << hub.leader_ttl << "\n"
                         "engine:\n  workers: " << hub.workers << "\n  lease_ttl: " << hub.lease_ttl << "\n  poll_interval: 50ms\n"
                         "log:\n  level: warn\n"
                         "connectors:\n"
                         "  - {name: shop, type: rest, base_url: '" << sourceUrl << "'}\n"
                         "  - {name: erp, type: rest, base_url: '" << sinkUrl << "', timeout: " << hub.sink_timeout << ",\n"
                         "     circuit_breaker: {open_for: 200ms}}\n"
                         "flows:\n"
                         "  - name: orders\n"
                         "    entity: order\n"
                         "    source:\n"
                         "      connector: shop\n"
                         "      entity: orders\n"
                         "      page_size: " << hub.page_size << "\n"
                         "      options: {path: /orders, records: data, paging: offset, updated_since_param: updated_since}\n"
                         "    targets:\n"
                         "      - {connector: erp, entity: orders, options: {path: /orders/batch, batch: array, wrap: records}}\n"
                         "    batch_size: 50\n"
                         "    retry: {base: 20ms, cap: 500ms, max_attempts: 50}\n"
                      << hub.triggers;
  return path;
}

}  // namespace hub::test
