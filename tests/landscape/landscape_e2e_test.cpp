// The example landscape end to end, as real processes over loopback: from
// empty, every flow converges; a second pass writes nothing; an order the
// shipped mapping cannot map is dead-lettered, and replayed after the fix.
#include <csignal>
#include <thread>

#include "tests/landscape/landscape_fixture.h"
#include "tests/support/http_client.h"

namespace hub::test::landscape {
namespace {

std::string text(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

// Runs of every flow that started after `since` and have finished; nullopt while one is missing.
std::optional<std::vector<store::Run>> finishedRunsAfter(store::Store& s, const std::vector<std::string>& flows,
                                                         Millis since) {
  std::vector<store::Run> out;
  for (const auto& flow : flows) {
    bool found = false;
    for (const auto& r : s.runs().list(flow, 20, 0))
      if (r.started_at > since && r.status == "finished" && r.trigger != "webhook" && !found) {
        out.push_back(r);
        found = true;
      }
    if (!found) return std::nullopt;
  }
  return out;
}

json brokenOrder(int i) {
  const std::string no = "SO2099010100" + std::to_string(100 + i);
  return {{"idempotency_key", "test-" + no},
          {"data",
           {{"order_no", no},
            {"dealer_code", "C00001"},
            {"order_date", "2099-01-01"},
            {"status", "submitted"},
            {"currency", "CNY"},
            {"warehouse", "CK001"},
            {"lines", {{{"line_no", 1}, {"sku", "MAT00001"}, {"unit", "TRAY"}, {"qty", 2}, {"price", 100},
                        {"tax_rate", 13}, {"amount", 200}, {"shipped_qty", 0}}}},
            {"total_amount", 200}}}};
}

TEST_F(LandscapeTest, FromEmptyEveryFlowConvergesWithCrossReferencesBothWays) {
  ASSERT_EQ(awaitConvergence(), "") << hubServe->stderrText();
  EXPECT_EQ(openDeadLetters(), 0);

  const Snapshot s = snapshot();
  EXPECT_EQ(s.kd_customers.size(), 30u);
  EXPECT_EQ(s.kd_orders.size(), s.dms_orders.size()) << "every DMS order is a Kingdee sales order, and no more";
  for (const auto& [orderNo, dmsOrder] : s.dms_orders) {
    const auto toKingdee = store->xref().find("sales_order", "kingdee", orderNo);
    const auto inDms = store->xref().find("sales_order", "dms", orderNo);
    ASSERT_TRUE(toKingdee && inDms) << orderNo;
    EXPECT_EQ(toKingdee->remote_id, text(s.kd_orders.at(orderNo)["FID"])) << orderNo;
    EXPECT_EQ(inDms->remote_id, dmsOrder.value("id", "")) << orderNo;
    const auto back = store->xref().findByRemote("sales_order", "kingdee", toKingdee->remote_id);
    ASSERT_TRUE(back) << orderNo;
    EXPECT_EQ(back->local_id, orderNo);
  }
  for (const auto& [number, kdCustomer] : s.kd_customers) {
    const auto inKingdee = store->xref().find("customer", "kingdee", number);
    const auto inDms = store->xref().find("customer", "dms", number);
    ASSERT_TRUE(inKingdee && inDms) << number;
    EXPECT_EQ(inKingdee->remote_id, text(kdCustomer["FCUSTID"]));
    EXPECT_EQ(inDms->remote_id, s.dms_customers.at(number).value("id", ""));
  }
}

TEST_F(LandscapeTest, ASecondPassOfEveryFlowWritesNothing) {
  ASSERT_EQ(awaitConvergence(), "") << hubServe->stderrText();
  const auto dmsWrites = dmsAdmin("stats").value("ledger", -1);
  const auto kingdeeCalls = kingdeeAdmin("stats")["calls"];
  const Millis mark = nowMillis();

  std::optional<std::vector<store::Run>> second;
  for (int i = 0; i < 400 && !second; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    second = finishedRunsAfter(*store, flows, mark);
  }
  ASSERT_TRUE(second) << "every flow runs again on its schedule";
  for (const auto& run : *second) {
    EXPECT_GT(run.pulled, 0) << run.flow << " pulled its overlap window again";
    EXPECT_EQ(run.queued, 0) << run.flow << ": nothing changed, nothing queued";
  }
  EXPECT_EQ(dmsAdmin("stats").value("ledger", -2), dmsWrites) << "no new write at the DMS";
  const auto after = kingdeeAdmin("stats")["calls"];
  for (const char* op : {"Save", "BatchSave", "Submit", "Audit"})
    EXPECT_EQ(after.value(op, 0), kingdeeCalls.value(op, 0)) << "no new " << op << " at Kingdee";
}

TEST_F(LandscapeTest, FiveOrdersWithAnUnmappedUnitAreDeadLetteredAndDeliveredByReplayAfterTheFix) {
  ASSERT_EQ(awaitConvergence(), "") << hubServe->stderrText();
  json batch = {{"records", json::array()}};
  std::set<std::string> broken;
  for (int i = 1; i <= 5; ++i) {
    batch["records"].push_back(brokenOrder(i));
    broken.insert(brokenOrder(i)["data"]["order_no"].get<std::string>());
  }
  dmsPost("/api/v1/orders/batch", batch);  // the DMS announces them by webhook

  auto parkedWriteBacks = [&] {
    for (const auto& c : store->queue().counts("orders"))
      if (c.target == "dms-erp-bill-no") return c.parked;
    return std::int64_t{0};
  };
  for (int i = 0; i < 400 && (openDeadLetters() < 5 || parkedWriteBacks() < 5 || dmsAdmin("stats")["webhooks_pending"] != 0); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(parkedWriteBacks(), 5) << "the write-back of the five waits for their Kingdee bill numbers";
  const auto letters = store->deadLetters().list({});
  ASSERT_EQ(letters.size(), 5u) << "exactly the five orders are dead-lettered";
  for (const auto& d : letters) {
    EXPECT_TRUE(broken.count(d.key)) << d.key;
    EXPECT_EQ(d.flow, "orders");
    EXPECT_EQ(d.target, "kingdee-sales-orders");
    EXPECT_NE(d.failure.message.find("TRAY"), std::string::npos) << d.failure.message;
  }
  int announced = 0;
  for (const auto& a : dmsAdmin("webhooks"))
    announced += a.value("type", "") == "order.created" && a.value("status", 0) == 202;
  EXPECT_EQ(announced, 5) << "the orders came by signed webhook";

  // Support adds the unit to the value table and reloads the hub.
  const std::string file = mappingPath("dms_order_to_kingdee");
  std::string yaml = readFile(file);
  const std::string table = "  units:\n";
  ASSERT_NE(yaml.find(table), std::string::npos);
  yaml.insert(yaml.find(table) + table.size(), "    TRAY: TUO           # 托盘\n");
  dir.write("mappings/dms_order_to_kingdee.yaml", yaml);
  const Cli token = hub({"token", "create", "--role", "admin", "--name", "landscape-test"});
  ASSERT_EQ(token.code, 0) << token.err;
  const std::string bearer = token.out.substr(0, token.out.find('\n'));
  const auto reload = httpRequest("POST", hubUrl + "/api/v1/config/reload", "{}",
                                  {{"Authorization", "Bearer " + bearer}, {"Content-Type", "application/json"}});
  ASSERT_EQ(reload.status, 200) << reload.body;

  const Cli replay = hub({"dlq", "replay", "--matching", "--flow", "orders", "--error", "TRAY"});
  EXPECT_EQ(replay.code, 0) << replay.out << replay.err;
  // The running hub may be the one delivering them ("5 leased" when the CLI stops watching).
  const auto summary = replay.out.find("replayed 5:");
  ASSERT_NE(summary, std::string::npos) << replay.out;
  EXPECT_EQ(replay.out.find("dead", summary), std::string::npos) << replay.out;
  ASSERT_EQ(awaitConvergence(), "") << "the parked write-backs follow the Kingdee bills";
  EXPECT_EQ(openDeadLetters(), 0);
  const Snapshot s = snapshot();
  for (const auto& no : broken) {
    ASSERT_TRUE(s.kd_orders.count(no)) << no;
    EXPECT_EQ(text(s.kd_orders.at(no)["FSaleOrderEntry"][0]["FUnitID"]["FNumber"]), "TUO");
    EXPECT_EQ(s.dms_orders.at(no).value("erp_bill_no", ""), no);
  }
}

// The same landscape served by two hubs sharing one PostgreSQL database
// (`deploy/landscape.sh --nodes 2 --store postgresql`): it converges exactly as
// on SQLite, with nothing dead-lettered and every order once in Kingdee.
class TwoNodeLandscapeTest : public LandscapeTest {
 protected:
  void SetUp() override {
    HUB_REQUIRE_POSTGRESQL();
    database = std::make_unique<pg::Database>();
    nodes = 2;
    LandscapeTest::SetUp();
  }
};

TEST_F(TwoNodeLandscapeTest, FromEmptyEveryFlowConvergesOnPostgresqlWithTwoHubs) {
  ASSERT_EQ(awaitConvergence(), "") << hubServe->stderrText() << moreNodes[0]->stderrText();
  EXPECT_EQ(openDeadLetters(), 0);
  const Snapshot s = snapshot();
  EXPECT_EQ(s.kd_orders.size(), s.dms_orders.size()) << "every DMS order is a Kingdee sales order, and no more";
  for (const auto& [orderNo, dmsOrder] : s.dms_orders)
    EXPECT_TRUE(store->xref().find("sales_order", "kingdee", orderNo)) << orderNo;
  EXPECT_EQ(store->cluster().nodes(nowMillis() - 2000).size(), 2u);
  EXPECT_TRUE(store->cluster().leader("schedules", nowMillis()).has_value());
}

}  // namespace
}  // namespace hub::test::landscape
