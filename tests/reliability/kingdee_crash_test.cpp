// R2: a target without idempotency keys. Orders from a JSON Lines inbox become
// sales orders (SAL_SaleOrder) at a real `hub-sim kingdee` process. The hub, a
// real `hub serve` process, dies ten times at `after_sink_ack_before_outcome_commit`
// (Kingdee saved the bills, the hub never recorded it) and a few more times by
// SIGKILL at seeded moments. After it converges, Kingdee holds exactly one bill
// per order number: every bill saved unseen was found by its external number
// (the bill number) before it could be created again, and its FID and number
// are in the hub's xref. Like Kingdee, the simulator refuses a second bill with
// a number it holds, so a look-up that missed would show as a dead letter.
#include <gtest/gtest.h>
#include <signal.h>

#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "hub/store/store.h"
#include "tests/reliability/hub_serve.h"
#include "tests/support/http_client.h"
#include "tests/support/paths.h"
#include "tests/support/temp_dir.h"

namespace hub::test {
namespace {

using nlohmann::json;

constexpr const char* kFailPoint = "after_sink_ack_before_outcome_commit";

std::string orderNo(int i) { return "DMS-SO-" + std::to_string(700000 + i); }

std::string text(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

class KingdeeCrashTest : public ::testing::Test {
 protected:
  static constexpr int kOrders = 500;
  static constexpr int kFailPointKills = 10;

  void SetUp() override {
    // Base data the orders refer to; no other sales order exists.
    const auto data = dir.write("kingdee.json", json{{"BD_Customer", {{{"FNumber", "CUST-R2"}, {"FName", "R2 经销商"},
                                                                       {"FCreateOrgId", {{"FNumber", "100"}}}}}},
                                                     {"BD_MATERIAL", {{{"FNumber", "MAT-R2"}, {"FName", "R2 物料"},
                                                                       {"FCreateOrgId", {{"FNumber", "100"}}}}}}}
                                                    .dump());
    kingdee = std::make_unique<ChildProcess>(
        std::vector<std::string>{hubSimBinary(), "kingdee", "--port", "0", "--data", data});
    const auto url = kingdee->waitForLine("http://");
    ASSERT_TRUE(url) << kingdee->stderrText();
    kingdeeUrl = *url;
    kingdeeRoot = kingdeeUrl.substr(0, kingdeeUrl.find('/', kingdeeUrl.find("//") + 2));

    std::string lines;
    for (int i = 0; i < kOrders; ++i)
      lines += json{{"order_no", orderNo(i)}, {"order_date", "2026-01-0" + std::to_string(1 + i % 9)},
                    {"lines", {{{"sku", "MAT-R2"}, {"qty", 1 + i % 13}}}}}.dump() + "\n";
    dir.write("files/inbox/orders-0001.jsonl", lines);
    dir.write("maps/r2_sales_order.yaml",
              "name: r2_sales_order\n"
              "version: \"r2-1\"\n"
              "source: {system: inbox, entity: orders}\n"
              "target: {system: kingdee, entity: SAL_SaleOrder}\n"
              "fields:\n"
              "  FBillNo: {expr: order_no, required: true}\n"
              "  FDate: {expr: order_date, type: date, required: true}\n"
              "  FCustId.FNumber: {value: CUST-R2}\n"
              "  FSaleOrgId.FNumber: {value: \"100\"}\n"
              "  FSaleOrderEntry:\n"
              "    for_each: lines\n"
              "    required: true\n"
              "    fields:\n"
              "      FMaterialId.FNumber: {expr: sku, required: true}\n"
              "      FQty: {expr: qty, type: \"decimal(18,4)\", required: true}\n");
    config = dir.write("hub.yaml",
                       "server:\n  listen: 127.0.0.1:0\n  shutdown_deadline: 3s\n"
                       "store:\n  path: " + dir.file("hub.db") + "\n"
                       "engine:\n  workers: 2\n  lease_ttl: 30s\n  poll_interval: 50ms\n"
                       "mapping_dir: " + dir.file("maps") + "\n"
                       "log:\n  level: warn\n"
                       "connectors:\n"
                       "  - {name: inbox, type: file, directory: " + dir.file("files") + "}\n"
                       "  - {name: kingdee, type: kingdee, base_url: '" + kingdeeUrl + "', acct_id: 65a1b2c3d4e5f6,\n"
                       "     username: dms_api, password: 'Kingdee@2024', timeout: 2s, circuit_breaker: {open_for: 200ms},\n"
                       // Ten batches a second, so a hub killed soon after its start leaves work for the next one.
                       "     rate_limit: {per_second: 10}}\n"
                       "flows:\n"
                       "  - name: orders\n"
                       "    entity: sales_order\n"
                       "    source: {connector: inbox, entity: orders, page_size: 100, options: {key: order_no}}\n"
                       "    targets:\n"
                       "      - {name: kingdee-orders, connector: kingdee, entity: SAL_SaleOrder, mapping: r2_sales_order}\n"
                       "    batch_size: 10\n"
                       "    retry: {base: 20ms, cap: 500ms, max_attempts: 50}\n"
                       "    triggers:\n"
                       "      - interval: 300ms\n");
  }

  void TearDown() override {
    if (kingdee) kingdee->signal(SIGTERM), kingdee->wait(std::chrono::seconds(10));
  }

  json simAdmin(const std::string& path) {
    const auto r = httpRequest("GET", kingdeeRoot + "/__sim/" + path);
    EXPECT_EQ(r.status, 200) << path << ": " << r.body;
    return json::parse(r.body, nullptr, false);
  }
  int savedOrders() { return simAdmin("stats")["objects"].value("SAL_SaleOrder", -1); }
  // Bills a look-up by external number found: the sink's look-ups are the only
  // queries of SAL_SaleOrder here, so these are the rows Kingdee answered them.
  int billsFoundByLookUp() { return simAdmin("stats")["query_rows"].value("SAL_SaleOrder", 0); }

  // Runs a hub without faults until Kingdee holds every order and the hub has
  // nothing left to do, then stops it.
  void converge(const std::string& why) {
    auto hub = startHubServe(config);
    auto store = store::openStore(store::sqliteAt(dir.file("hub.db")));
    auto settled = [&] {
      if (savedOrders() < kOrders) return false;
      for (const auto& c : store->queue().counts("orders"))
        if (c.pending + c.leased + c.parked > 0) return false;
      return true;
    };
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!settled() && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_TRUE(settled()) << why << ": not settled\n" << hub->stderrText();
    stopHubServe(*hub);
  }

  TempDir dir;
  std::unique_ptr<ChildProcess> kingdee;
  std::string kingdeeUrl, kingdeeRoot, config;
};

TEST_F(KingdeeCrashTest, BillsSavedUnseenBeforeCrashesAreFoundByNumberNeverCreatedTwice) {
#ifndef HUB_ENABLE_FAILPOINTS
  GTEST_SKIP() << "fail points are compiled only in test builds (-DHUB_FAILPOINTS=ON)";
#endif
  const std::uint32_t seedValue = 20260212;
  const std::string why = "seed " + std::to_string(seedValue);
  SCOPED_TRACE(why);
  std::mt19937 rng(seedValue);
  {
    ChildProcess check({hubBinary(), "config", "check", config});
    ASSERT_EQ(check.wait(), 0) << check.stdoutText() << check.stderrText();
  }
  // Each hub delivers a batch or two, then dies right after Kingdee answered
  // the next save; a SIGKILL at a random moment follows every third one.
  for (int kill = 0; kill < kFailPointKills; ++kill) {
    const int hit = std::uniform_int_distribution<int>(2, 3)(rng);
    ASSERT_NO_FATAL_FAILURE(crashAtFailPoint(config, kFailPoint, hit, why + ", kill " + std::to_string(kill)));
    if (kill % 3 == 2) {
      ASSERT_NO_FATAL_FAILURE(killAtRandomMoments(config, 1, rng, 50, 400, why));
    }
  }
  const int savedBeforeRecovery = savedOrders();
  ASSERT_NO_FATAL_FAILURE(converge(why));

  // Kingdee: exactly one bill per order number, and nothing else.
  std::map<std::string, std::vector<json>> bills;
  for (const auto& bill : simAdmin("objects/SAL_SaleOrder")) bills[text(bill["FBillNo"])].push_back(bill);
  EXPECT_EQ(bills.size(), static_cast<std::size_t>(kOrders));
  // The hub: every order delivered once, no dead letter, the found FID and number in the xref.
  auto store = store::openStore(store::sqliteAt(dir.file("hub.db")));
  store::DeadLetterFilter everyDeadLetter;
  everyDeadLetter.status = "all";
  EXPECT_EQ(store->deadLetters().count(everyDeadLetter), 0);
  for (int i = 0; i < kOrders; ++i) {
    const auto& bill = bills[orderNo(i)];
    ASSERT_EQ(bill.size(), 1u) << orderNo(i) << " has " << bill.size() << " bills";
    const auto rows = store->queue().history("sales_order", orderNo(i));
    ASSERT_EQ(rows.size(), 1u) << orderNo(i);
    EXPECT_EQ(std::string(store::toString(rows[0].state)), "delivered") << orderNo(i) << ": " << rows[0].last_error;
    const auto xref = store->xref().find("sales_order", "kingdee", orderNo(i));
    ASSERT_TRUE(xref) << orderNo(i) << " has no xref entry";
    EXPECT_EQ(xref->remote_id, text(bill[0]["FID"])) << orderNo(i);
    EXPECT_EQ(xref->remote_number, orderNo(i));
  }
  expectStoreSettled(dir.file("hub.db"), "orders");

  // The R2 path ran: bills saved before a fail-point kill were found by number,
  // at least one for each kill.
  const int found = billsFoundByLookUp();
  EXPECT_GT(found, 0);
  EXPECT_GE(found, kFailPointKills);
  ::testing::Test::RecordProperty("bills_found_by_lookup", found);
  std::printf("kingdee crash test (%s): %d of %d orders saved before the last restart, %d bills found by look-up\n",
              why.c_str(), savedBeforeRecovery, kOrders, found);
}

}  // namespace
}  // namespace hub::test
