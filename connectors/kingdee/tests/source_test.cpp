// Incremental pulls through ExecuteBillQuery against the simulator.
#include <map>
#include <set>

#include "connectors/kingdee/tests/kingdee_fixture.h"

namespace hub::connector::kingdee {
namespace {

using nlohmann::json;

constexpr Millis kT = 1714527000000;  // 2024-05-01 09:30:00 in Shanghai

class KingdeeSourceTest : public KingdeeLoopback {};

std::multiset<std::string> keysOf(const std::vector<Record>& records) {
  std::multiset<std::string> out;
  for (const auto& r : records) out.insert(r.key);
  return out;
}

TEST_F(KingdeeSourceTest, PagesThroughMoreThanOnePage) {
  const auto keys = seedCustomers(25, kT);
  auto source = connect()->openSource("BD_Customer", json::object());
  int pages = 0;
  const auto got = pullAll(*source, 0, 10, &pages);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(keysOf(got), std::multiset<std::string>(keys.begin(), keys.end()));
}

TEST_F(KingdeeSourceTest, EqualModifyDatesAcrossPageBoundariesAreNeitherSkippedNorRepeated) {
  const auto keys = seedCustomers(30, kT);  // one timestamp for all
  auto source = connect()->openSource("BD_Customer", json::object());
  const auto got = pullAll(*source, kT, 7);
  EXPECT_EQ(got.size(), 30u);
  EXPECT_EQ(keysOf(got), std::multiset<std::string>(keys.begin(), keys.end()));
}

TEST_F(KingdeeSourceTest, SinceIsInclusiveToTheMillisecond) {
  seedCustomers(1, kT - 1, 1);
  seedCustomers(1, kT, 2);
  seedCustomers(1, kT + 1, 3);
  auto source = connect()->openSource("BD_Customer", json::object());
  const auto got = pullAll(*source, kT, 10);
  EXPECT_EQ(keysOf(got), (std::multiset<std::string>{"C0002", "C0003"}));
  for (const auto& r : got) EXPECT_GE(r.updated_at, kT);
}

TEST_F(KingdeeSourceTest, UpdatedAtIsUtcConvertedFromServerLocalTime) {
  seedCustomers(1, kT);
  auto source = connect()->openSource("BD_Customer", json::object());
  const auto got = pullAll(*source, 0, 10);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].updated_at, kT);
  EXPECT_EQ(got[0].payload["FModifyDate"], "2024-05-01T09:30:00");
  EXPECT_FALSE(got[0].remote_id.empty());
}

TEST_F(KingdeeSourceTest, LateRowWithAnOlderTimestampIsFoundInsideTheOverlapWindow) {
  seedCustomers(5, kT);
  auto source = connect()->openSource("BD_Customer", json::object());
  const auto first = pullAll(*source, 0, 10);
  const Millis watermark = first.back().updated_at;
  seedCustomers(1, kT - 60000, 100);  // committed late, stamped a minute earlier
  const auto again = pullAll(*source, watermark - 300000, 10);
  EXPECT_EQ(keysOf(again).count("C0100"), 1u);
}

TEST_F(KingdeeSourceTest, RowChangedDuringAScanDoesNotPushAnotherOutOfIt) {
  // With StartRow offsets a row edited mid-scan moves to the end and the row
  // behind it slides into the page already read: skipped for good.
  const auto keys = seedCustomers(10, kT);
  auto source = connect()->openSource("BD_Customer", json::object());
  Page page = source->pull({0, "", 4});
  std::vector<Record> got = page.records;
  simulator.book().touch("BD_Customer", keys[1], kT + 5000);
  ScanRequest req{0, page.resume, 4};
  while (!page.done) {
    page = source->pull(req);
    got.insert(got.end(), page.records.begin(), page.records.end());
    req.resume = page.resume;
  }
  const auto seen = keysOf(got);
  for (const auto& k : keys) EXPECT_GE(seen.count(k), 1u) << k;
}

TEST_F(KingdeeSourceTest, ExtraFilterNarrowsThePull) {
  seedCustomers(4, kT);
  auto source = connect()->openSource("BD_Customer", {{"filter", "FNumber in ('C0002','C0004')"}});
  EXPECT_EQ(keysOf(pullAll(*source, 0, 10)), (std::multiset<std::string>{"C0002", "C0004"}));
}

TEST_F(KingdeeSourceTest, FieldKeysOptionChoosesThePayload) {
  seedCustomers(1, kT);
  auto source = connect()->openSource("BD_Customer", {{"field_keys", {"FName"}}});
  const auto got = pullAll(*source, 0, 10);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].payload["FName"], "客户C0001");
  EXPECT_FALSE(got[0].payload.contains("FTel"));
}

TEST_F(KingdeeSourceTest, BillsWithLinesArriveWholeAcrossPages) {
  seedBaseData();
  for (int b = 0; b < 6; ++b) {
    json lines = json::array();
    for (int l = 0; l <= b % 3; ++l) lines.push_back({{"FMaterialID", {{"FNumber", "MAT1"}}}, {"FRealQty", 10 + l}});
    simulator.book().insert("SAL_OUTSTOCK", {{"FDate", "2024-05-01"}, {"FStockOrgId", {{"FNumber", "100"}}},
                                             {"FCustomerID", {{"FNumber", "C001"}}}, {"FEntity", lines}},
                            kT);
  }
  auto source = connect()->openSource("SAL_OUTSTOCK", json::object());
  const auto got = pullAll(*source, 0, 3);
  ASSERT_EQ(got.size(), 6u);
  std::set<std::string> numbers;
  for (std::size_t b = 0; b < got.size(); ++b) {
    numbers.insert(got[b].key);
    EXPECT_EQ(got[b].payload["FEntity"].size(), b % 3 + 1) << got[b].key;
    EXPECT_EQ(got[b].payload["FCustomerID.FNumber"], "C001");
  }
  EXPECT_EQ(numbers.size(), 6u);
}

TEST_F(KingdeeSourceTest, BillDatesArriveInKingdeesFormatWhateverFormWasSaved) {
  seedBaseData();
  simulator.book().insert("SAL_OUTSTOCK", {{"FDate", "2024-05-01 00:00:00"}, {"FStockOrgId", {{"FNumber", "100"}}},
                                           {"FCustomerID", {{"FNumber", "C001"}}},
                                           {"FEntity", json::array({{{"FMaterialID", {{"FNumber", "MAT1"}}}, {"FRealQty", 1}}})}},
                          kT);
  const auto got = pullAll(*connect()->openSource("SAL_OUTSTOCK", json::object()), 0, 10);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].payload["FDate"], "2024-05-01T00:00:00");
}

TEST_F(KingdeeSourceTest, ABillWithMoreLinesThanAPageStillArrivesWhole) {
  seedBaseData();
  json lines = json::array();
  for (int l = 0; l < 7; ++l) lines.push_back({{"FMaterialID", {{"FNumber", "MAT1"}}}, {"FRealQty", l + 1}});
  simulator.book().insert("SAL_OUTSTOCK", {{"FDate", "2024-05-01"}, {"FStockOrgId", {{"FNumber", "100"}}},
                                           {"FCustomerID", {{"FNumber", "C001"}}}, {"FEntity", lines}}, kT);
  auto source = connect()->openSource("SAL_OUTSTOCK", json::object());
  const auto got = pullAll(*source, 0, 2);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].payload["FEntity"].size(), 7u);
}

TEST_F(KingdeeSourceTest, InventoryRowsAreKeyedByMaterialWarehouseAndLot) {
  seedBaseData();
  for (const char* wh : {"CK001", "CK002"})
    simulator.book().insert("STK_Inventory", {{"FMaterialId", {{"FNumber", "MAT1"}}}, {"FStockId", {{"FNumber", wh}}},
                                              {"FLot", {{"FNumber", "L20240501"}}}, {"FBaseQty", 12}}, kT);
  auto source = connect()->openSource("STK_Inventory", json::object());
  const auto got = pullAll(*source, kT, 1);
  EXPECT_EQ(keysOf(got), (std::multiset<std::string>{"MAT1|CK001|L20240501", "MAT1|CK002|L20240501"}));
  EXPECT_EQ(got[0].payload["FBaseQty"], 12);
}

TEST_F(KingdeeSourceTest, GeneratedLandscapeLoadsAndPullsCompletely) {
  sim::LandscapeSize size;
  size.customers = 40;
  size.materials = 20;
  size.outbound_bills = 30;
  size.invoices = 12;
  simulator.loadSeed(sim::generateLandscape(size));
  auto conn = connect();
  for (const char* form : {"BD_Customer", "BD_MATERIAL", "STK_Inventory", "SAL_OUTSTOCK", "IV_SALESIC", "IV_SALESOC"}) {
    auto source = conn->openSource(form, json::object());
    EXPECT_EQ(pullAll(*source, 0, 7).size(), simulator.book().count(form)) << form;
  }
}

TEST_F(KingdeeSourceTest, EveryCallIsObservedUnderAStableLabel) {
  seedCustomers(1, kT);
  auto source = connect()->openSource("BD_Customer", json::object());
  pullAll(*source, 0, 10);
  std::set<std::string> labels;
  for (const auto& o : observed) labels.insert(o.endpoint);
  EXPECT_EQ(labels, (std::set<std::string>{"Kingdee.ValidateUser", "Kingdee.ExecuteBillQuery"}));
}

}  // namespace
}  // namespace hub::connector::kingdee
