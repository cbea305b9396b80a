// Issue 9, defect 6: one pull of a flow at a time, whichever process asks.
// `hub serve` fires the flow every second while `hub flow run` is started
// three at a time beside it (the CLI asks the daemon through the endpoint it
// publishes), and separately three `hub flow run` processes race on one store
// with no daemon (each runs its own engine; the store's run claim lets one
// pull). The runs table is the oracle for overlap: no run of the flow starts
// before the previous one finished pulling. The sink's ledger is the oracle
// for loss and doubling.
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "hub/core/time.h"
#include "hub/store/store.h"
#include "tests/doubles/rest_system.h"
#include "tests/reliability/hub_serve.h"
#include "tests/support/paths.h"
#include "tests/support/temp_dir.h"

namespace hub::test {
namespace {

std::string key(int i) { return "SO-" + std::to_string(300000 + i); }
std::string stamp(int second) { return formatIsoMillis(1767225600000 + static_cast<Millis>(second) * 1000); }

class ConcurrentRunTest : public ::testing::Test {
 protected:
  void add(int n) {
    for (int i = 0; i < n; ++i, ++records) source.put(key(records), stamp(records / 50), {{"qty", records % 7}});
  }
  // Small pages: a pull takes long enough for racing runs to meet.
  std::string config() { return ordersHubYaml(dir.path().string(), source.baseUrl(), sink.baseUrl(), fiftyPerPage()); }
  OrdersHub fiftyPerPage() {
    OrdersHub hub = ordersTriggeredBy(triggers);
    hub.page_size = 50;
    return hub;
  }

  // Three `hub flow run orders` at once; each ran the flow or said why not.
  std::vector<std::string> runThreeAtOnce() {
    const std::string file = config();  // written once: the three read it at the same time
    std::vector<std::unique_ptr<ChildProcess>> cli;
    for (int i = 0; i < 3; ++i)
      cli.push_back(std::make_unique<ChildProcess>(
          std::vector<std::string>{hubBinary(), "flow", "run", "orders", "--config", file, "--timeout", "60s"}));
    std::vector<std::string> outputs;
    for (auto& c : cli) {
      const auto code = c->wait(std::chrono::seconds(90));
      const std::string out = c->stdoutText() + c->stderrText();
      EXPECT_TRUE(code == 0 || (code == 1 && out.find("was not run") != std::string::npos))
          << "exit " << (code ? std::to_string(*code) : "none") << ": " << out;
      outputs.push_back(out);
    }
    return outputs;
  }

  void expectEveryRecordOnce() {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (sink.storedCount() < static_cast<std::size_t>(records) && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ASSERT_EQ(sink.storedCount(), static_cast<std::size_t>(records));
    for (int i = 0; i < records; ++i) ASSERT_EQ(sink.creationsOf(key(i)), 1u) << key(i) << " created twice";
  }

  // Runs of the flow, oldest first: each began after the previous one ended its pull.
  void expectRunsNeverOverlapped() {
    auto store = store::openStore(store::sqliteAt(dir.file("hub.db")));
    auto runs = store->runs().list("orders", 10000, 0);
    std::sort(runs.begin(), runs.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    ASSERT_GE(runs.size(), 2u);
    for (std::size_t i = 1; i < runs.size(); ++i) {
      const auto& before = runs[i - 1];
      // The end of its pull; a run that failed pulling has only its end.
      const Millis ended = before.pulled_at ? before.pulled_at : before.ended_at;
      ASSERT_GT(ended, 0) << "run " << before.id << " never ended its pull";
      EXPECT_GE(runs[i].started_at, ended) << "run " << runs[i].id << " began while run " << before.id << " pulled";
    }
    ::testing::Test::RecordProperty("runs", static_cast<int>(runs.size()));
  }

  TempDir dir;
  RestSystem source{3}, sink{4};
  int records = 0;
  std::string triggers;
};

TEST_F(ConcurrentRunTest, FlowRunsBesideAServeThatFiresEverySecondNeverOverlapAndDeliverEachRecordOnce) {
  triggers = "    triggers:\n      - interval: 1s\n";
  auto hub = startHubServe(config());
  ASSERT_TRUE(hub->waitForLine("hub listening on")) << hub->stderrText();
  int askedTheDaemon = 0;
  for (int round = 0; round < 3; ++round) {
    add(1500);
    for (const auto& out : runThreeAtOnce())
      if (out.find("run by the hub serving this store") != std::string::npos) ++askedTheDaemon;
  }
  EXPECT_EQ(askedTheDaemon, 9) << "every hub flow run went through the daemon";
  ASSERT_NO_FATAL_FAILURE(expectEveryRecordOnce());
  stopHubServe(*hub);
  expectRunsNeverOverlapped();
  expectStoreSettled(dir.file("hub.db"), "orders");
}

TEST_F(ConcurrentRunTest, FlowRunsRacingWithoutADaemonPullOneAtATimeAndDeliverEachRecordOnce) {
  add(3000);
  int ran = 0;
  for (const auto& out : runThreeAtOnce())
    if (out.find("was not run") == std::string::npos) ++ran;
  EXPECT_GE(ran, 1);
  // What a refused run left for later is pulled by the next one.
  add(500);
  runThreeAtOnce();
  ASSERT_NO_FATAL_FAILURE(expectEveryRecordOnce());
  expectRunsNeverOverlapped();
  expectStoreSettled(dir.file("hub.db"), "orders");
}

}  // namespace
}  // namespace hub::test
