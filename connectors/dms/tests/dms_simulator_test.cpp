// The DMS simulator's API behaviour, driven through the dms connector and raw HTTP.
#include <set>

#include "connectors/dms/tests/dms_fixture.h"
#include "tests/support/http_client.h"

namespace hub::test {
namespace {

using nlohmann::json;
using connector::Disposition;

HttpResult call(const std::string& method, const std::string& url, const json& body = nullptr,
                std::map<std::string, std::string> headers = {{"Authorization", "Bearer dms-sim-token"}}) {
  return httpRequest(method, url, body.is_null() ? "" : body.dump(), headers);
}

using DmsSimulatorTest = DmsFixture;

TEST_F(DmsSimulatorTest, ReplayedIdempotencyKeyAnswersTheFirstResultWithoutASecondWrite) {
  auto sink = connect()->openSink("customers", {});
  std::vector<connector::OutboundRecord> batch = {outbound("C00001", customer("C00001"))};
  const auto first = sink->push(batch);
  const auto again = sink->push(batch);
  ASSERT_EQ(first.at(0).disposition, Disposition::Delivered);
  EXPECT_EQ(again.at(0).remote_id, first[0].remote_id);
  EXPECT_EQ(sim->created("customers", "C00001"), 1u);
  EXPECT_EQ(effects("deduped"), 1u);
}

TEST_F(DmsSimulatorTest, AnotherPayloadUnderAUsedKeyIsAConflict) {
  const std::string url = sim->baseUrl() + "/api/v1/customers/batch";
  call("POST", url, {{"records", {{{"idempotency_key", "k1"}, {"data", customer("C00001")}}}}});
  const auto res = call("POST", url, {{"records", {{{"idempotency_key", "k1"}, {"data", customer("C00001", "另一家")}}}}});
  const json result = json::parse(res.body)["results"][0];
  EXPECT_EQ(result["status"], 409);
  EXPECT_EQ(result["code"], "idempotency_key_reused");
  EXPECT_EQ(sim->find("customers", "C00001")->value("name", ""), "成都鑫源商贸有限公司");
}

TEST_F(DmsSimulatorTest, SameContentUnderANewKeyIsUnchangedAndKeepsItsTime) {
  auto sink = connect()->openSink("customers", {});
  std::vector<connector::OutboundRecord> batch = {outbound("C00001", customer("C00001"))};
  sink->push(batch);
  const auto before = sim->find("customers", "C00001")->value("updated_at", "");
  batch[0].idempotency_key = "idem-second";
  sink->push(batch);
  EXPECT_EQ(effects("unchanged"), 1u);
  EXPECT_EQ(sim->find("customers", "C00001")->value("updated_at", ""), before);
}

TEST_F(DmsSimulatorTest, CursorPagingAcrossEqualTimestampsReturnsEveryRecordOnce) {
  for (int i = 0; i < 250; ++i) sim->put("customers", customer("C" + std::to_string(10000 + i)), 1700000000000);
  auto source = connect()->openSource("customers", {});
  std::multiset<std::string> seen;
  connector::ScanRequest req{0, "", 100};
  int pages = 0;
  for (; pages < 10; ++pages) {
    const auto page = source->pull(req);
    for (const auto& r : page.records) seen.insert(r.key);
    if (page.done) break;
    req.resume = page.resume;
  }
  EXPECT_EQ(pages, 2);  // third page (50) ends the scan
  EXPECT_EQ(seen.size(), 250u);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 250u);
}

TEST_F(DmsSimulatorTest, RecordChangedDuringAScanComesAgainAtTheEnd) {
  for (int i = 0; i < 6; ++i) sim->put("customers", customer("C" + std::to_string(10000 + i)), 1700000000000 + i);
  auto source = connect()->openSource("customers", {});
  auto page = source->pull({0, "", 3});
  sim->touch("customers", page.records[0].key, 1700000009000);
  std::vector<std::string> rest;
  for (connector::ScanRequest req{0, page.resume, 3};;) {
    page = source->pull(req);
    for (const auto& r : page.records) rest.push_back(r.key);
    if (page.done) break;
    req.resume = page.resume;
  }
  ASSERT_EQ(rest.size(), 4u);
  EXPECT_EQ(rest.back(), "C10000");
}

TEST_F(DmsSimulatorTest, UpdatedAfterIsInclusive) {
  sim->put("customers", customer("C00001"), 1700000000000);
  sim->put("customers", customer("C00002"), 1699999999999);
  const auto page = connect()->openSource("customers", {})->pull({1700000000000, "", 10});
  ASSERT_EQ(page.records.size(), 1u);
  EXPECT_EQ(page.records[0].key, "C00001");
}

TEST_F(DmsSimulatorTest, OrderWithAnUnknownDealerIsRejectedNamingTheField) {
  sim->put("products", {{"sku", "MAT00001"}, {"name", "米"}, {"base_unit", "PCS"}}, 1700000000000);
  std::vector<connector::OutboundRecord> batch = {outbound(
      "SO1", {{"order_no", "SO1"}, {"dealer_code", "C09999"}, {"lines", {{{"sku", "MAT00001"}, {"qty", 1}}}}})};
  const auto out = connect()->openSink("orders", {})->push(batch);
  EXPECT_EQ(out.at(0).disposition, Disposition::Permanent);
  EXPECT_NE(out[0].message.find("dealer_code: no customers record 'C09999'"), std::string::npos) << out[0].message;
  EXPECT_EQ(effects("rejected"), 1u);
}

TEST_F(DmsSimulatorTest, ShipmentsAccumulateIntoShippedQuantitiesAndStatus) {
  seedOrder("SO20250101000001");
  auto sink = connect()->openSink("order_status", {});
  auto ship = [&](const std::string& id, const json& lines, const std::string& idem) {
    json shipment = {{"shipment_no", id}, {"carrier", "顺丰速运"}, {"tracking_no", "SF1234567890"}, {"lines", lines}};
    json doc = {{"order_no", "SO20250101000001"}, {"erp_bill_no", "XSDD000123"}, {"shipments", json::array({shipment})}};
    std::vector<connector::OutboundRecord> batch = {outbound("SO20250101000001", doc, idem)};
    return sink->push(batch).at(0);
  };
  EXPECT_EQ(ship("XSCKD001", {{{"line_no", 1}, {"qty", 10}}}, "s1").disposition, Disposition::Delivered);
  EXPECT_EQ(sim->find("orders", "SO20250101000001")->value("status", ""), "partially_shipped");
  ship("XSCKD001", {{{"line_no", 1}, {"qty", 10}}}, "s1-again");  // the same outbound bill once more
  ship("XSCKD002", {{{"sku", "MAT00002"}, {"qty", 5}}}, "s2");
  const json order = *sim->find("orders", "SO20250101000001");
  EXPECT_EQ(order["lines"][0]["shipped_qty"], 10);
  EXPECT_EQ(order["lines"][1]["shipped_qty"], 5);
  EXPECT_EQ(order["status"], "shipped");
  EXPECT_EQ(order["erp_bill_no"], "XSDD000123");
}

TEST_F(DmsSimulatorTest, ShippingMoreThanOrderedIsRejected) {
  seedOrder("SO1");
  std::vector<connector::OutboundRecord> batch = {
      outbound("SO1", {{"shipments", {{{"shipment_no", "X1"}, {"lines", {{{"line_no", 2}, {"qty", 6}}}}}}}})};
  const auto out = connect()->openSink("order_status", {})->push(batch);
  EXPECT_EQ(out.at(0).disposition, Disposition::Permanent);
  EXPECT_EQ(out[0].error_type, "validation_failed");
  EXPECT_NE(out[0].message.find("over_shipment"), std::string::npos) << out[0].message;
}

TEST_F(DmsSimulatorTest, StatusOfAnUnknownOrderIsNotFound) {
  std::vector<connector::OutboundRecord> batch = {outbound("SO404", {{"erp_bill_no", "X"}})};
  const auto out = connect()->openSink("order_status", {})->push(batch);
  EXPECT_EQ(out.at(0).error_type, "not_found");
}

TEST_F(DmsSimulatorTest, MissingTokenAnswers401InTheErrorShape) {
  const auto res = httpRequest("GET", sim->baseUrl() + "/api/v1/customers");
  EXPECT_EQ(res.status, 401);
  EXPECT_EQ(json::parse(res.body)["error"]["code"], "unauthorized");
  ASSERT_TRUE(res.headers.count("www-authenticate"));
  EXPECT_NE(res.headers.at("www-authenticate").find("Bearer"), std::string::npos);
}

TEST_F(DmsSimulatorTest, ForeignCursorIsABadRequest) {
  const auto res = call("GET", sim->baseUrl() + "/api/v1/customers?cursor=bm90LW91cnM");
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(json::parse(res.body)["error"]["code"], "invalid_cursor");
}

TEST_F(DmsSimulatorTest, MoreThanAHundredRecordsInABatchIs413) {
  json records = json::array();
  for (int i = 0; i < 101; ++i) records.push_back({{"idempotency_key", std::to_string(i)}, {"data", customer("C" + std::to_string(i))}});
  EXPECT_EQ(call("POST", sim->baseUrl() + "/api/v1/customers/batch", {{"records", records}}).status, 413);
}

TEST_F(DmsSimulatorTest, RecordWithoutAnIdempotencyKeyIsRejected) {
  const auto res = call("POST", sim->baseUrl() + "/api/v1/customers/batch", {{"records", {{{"data", customer("C1")}}}}});
  EXPECT_EQ(json::parse(res.body)["results"][0]["code"], "idempotency_key_required");
  EXPECT_EQ(sim->count("customers"), 0u);
}

}  // namespace
}  // namespace hub::test
