#include <gtest/gtest.h>

#include "connectors/dms/dms_wire.h"
#include "connectors/spi/errors.h"

namespace hub::connector::dms {
namespace {

using nlohmann::json;

const EntityInfo& customers() { return *findEntity("customers"); }

http::HttpResponse answer(int status, const json& body, std::vector<std::pair<std::string, std::string>> h = {}) {
  http::HttpResponse r;
  r.status = status;
  r.body = body.is_string() ? body.get<std::string>() : body.dump();
  r.headers = std::move(h);
  return r;
}

OutboundRecord outbound(const std::string& key, json doc) {
  OutboundRecord r;
  r.key = key;
  r.idempotency_key = "idem-" + key;
  r.document = std::move(doc);
  return r;
}

TEST(DmsWire, ListAsksFromSinceWithALimit) {
  const auto req = listRequest("http://dms", customers(), {1700000000000, "", 50});
  EXPECT_EQ(req.url, "http://dms/api/v1/customers?limit=50&updated_after=2023-11-14T22%3A13%3A20.000Z");
}

TEST(DmsWire, ListContinuesFromTheResumeCursor) {
  const auto req = listRequest("http://dms", customers(), {0, R"({"cursor":"abc_-"})", 5000});
  EXPECT_EQ(req.url, "http://dms/api/v1/customers?limit=500&cursor=abc_-");
}

TEST(DmsWire, PageCarriesKeyTimeAndDmsId) {
  const auto page = decodeList(customers(), {0, "", 10},
                               answer(200, {{"data", {{{"id", "cus_000001"}, {"code", "C00001"},
                                                       {"updated_at", "2023-11-14T22:13:20.000Z"}}}},
                                            {"next_cursor", "n1"}}),
                               0);
  ASSERT_EQ(page.records.size(), 1u);
  EXPECT_EQ(page.records[0].key, "C00001");
  EXPECT_EQ(page.records[0].remote_id, "cus_000001");
  EXPECT_EQ(page.records[0].updated_at, 1700000000000);
  EXPECT_FALSE(page.done);
  EXPECT_EQ(page.resume, R"({"cursor":"n1"})");
}

TEST(DmsWire, NullNextCursorEndsTheScan) {
  EXPECT_TRUE(decodeList(customers(), {0, "", 10}, answer(200, {{"data", json::array()}, {"next_cursor", nullptr}}), 0).done);
}

TEST(DmsWire, StockKeyJoinsSkuWarehouseAndBatch) {
  const auto& stock = *findEntity("stock");
  EXPECT_EQ(businessKey(stock, {{"sku", "MAT00001"}, {"warehouse", "CK001"}, {"batch", "L1"}}), "MAT00001|CK001|L1");
  EXPECT_EQ(businessKey(stock, {{"sku", "MAT00001"}, {"warehouse", "CK001"}}), "MAT00001|CK001|");
  EXPECT_EQ(businessKey(stock, {{"sku", "MAT00001"}}), "");
}

TEST(DmsWire, ListErrorsAreTypedByTheDmsErrorCode) {
  try {
    decodeList(customers(), {0, "", 10},
               answer(429, {{"error", {{"code", "rate_limited"}, {"message", "slow"}}}}, {{"Retry-After", "2"}}), 0);
    FAIL() << "no error";
  } catch (const RetryableError& e) {
    EXPECT_EQ(e.error_type, "rate_limited");
    EXPECT_EQ(e.retry_after_ms, 2000);
  }
  EXPECT_THROW(decodeList(customers(), {0, "", 10}, answer(401, {{"error", {{"code", "unauthorized"}}}}), 0),
               PermanentError);
}

TEST(DmsWire, BatchCarriesAnIdempotencyKeyPerRecord) {
  std::vector<OutboundRecord> batch = {outbound("C1", {{"code", "C1"}}), outbound("C2", {{"code", "C2"}})};
  const auto req = batchRequest("http://dms", customers(), batch);
  EXPECT_EQ(req.url, "http://dms/api/v1/customers/batch");
  const json body = json::parse(req.body);
  EXPECT_EQ(body["records"][1], json({{"idempotency_key", "idem-C2"}, {"data", {{"code", "C2"}}}}));
}

TEST(DmsWire, BatchResultsBecomeOutcomesInOrder) {
  std::vector<OutboundRecord> batch = {outbound("A", {}), outbound("B", {}), outbound("C", {})};
  const auto out = decodeBatch(batch, answer(200, {{"results", {
      {{"result", "created"}, {"id", "cus_1"}, {"key", "A"}},
      {{"result", "rejected"}, {"status", 422}, {"code", "validation_failed"}, {"message", "the record is invalid"},
       {"errors", {{{"field", "name"}, {"code", "required"}, {"message", "name is required"}}}}},
      {{"result", "rejected"}, {"status", 409}, {"code", "idempotency_key_reused"}, {"message", "used"}}}}}), 0);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].disposition, Disposition::Delivered);
  EXPECT_EQ(out[0].remote_id, "cus_1");
  EXPECT_EQ(out[0].remote_number, "A");
  EXPECT_EQ(out[1].disposition, Disposition::Permanent);
  EXPECT_EQ(out[1].error_type, "validation_failed");
  EXPECT_NE(out[1].message.find("name: name is required"), std::string::npos);
  EXPECT_EQ(out[2].error_type, "idempotency_key_reused");
  EXPECT_EQ(out[2].http_status, 409);
}

TEST(DmsWire, UnreadableBatchAnswerIsAmbiguous) {
  std::vector<OutboundRecord> batch = {outbound("A", {})};
  try {
    decodeBatch(batch, answer(200, json("{\"results\": [")), 0);
    FAIL() << "no error";
  } catch (const RetryableError& e) {
    EXPECT_TRUE(e.ambiguous);
  }
}

TEST(DmsWire, StatusGoesToTheOrderNamedInTheDocument) {
  auto r = outbound("key", {{"order_no", "SO 1"}, {"erp_bill_no", "XSDD01"}});
  const auto req = statusRequest("http://dms", r);
  EXPECT_EQ(req.method, "PUT");
  EXPECT_EQ(req.url, "http://dms/api/v1/orders/SO%201/status");
  bool keyed = false;
  for (const auto& [k, v] : req.headers) keyed = keyed || (k == "Idempotency-Key" && v == "idem-key");
  EXPECT_TRUE(keyed);
}

TEST(DmsWire, StatusAnswersMapToOutcomes) {
  EXPECT_EQ(decodeStatus(answer(200, {{"id", "ord_1"}, {"order_no", "SO1"}}), 0).remote_id, "ord_1");
  const auto missing = decodeStatus(answer(404, {{"error", {{"code", "not_found"}, {"message", "no order SO9"}}}}), 0);
  EXPECT_EQ(missing.disposition, Disposition::Permanent);
  EXPECT_EQ(missing.error_type, "not_found");
  EXPECT_EQ(decodeStatus(answer(503, json("busy")), 0).disposition, Disposition::Retry);
}

TEST(DmsWire, WebhookEventOfTheEntityBecomesARecord) {
  const auto& orders = *findEntity("orders");
  const std::string body = R"({"id":"msg_1","type":"order.created","data":{"id":"ord_000001","order_no":"SO1","updated_at":"2023-11-14T22:13:20.000Z"}})";
  const auto records = decodeWebhook(orders, body);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].key, "SO1");
  EXPECT_EQ(records[0].remote_id, "ord_000001");
  EXPECT_TRUE(decodeWebhook(customers(), body).empty());
}

TEST(DmsWire, MalformedWebhookIsPermanent) {
  EXPECT_THROW(decodeWebhook(customers(), "not json"), PermanentError);
  EXPECT_THROW(decodeWebhook(customers(), R"({"type":"customer.updated"})"), PermanentError);
}

// Found by fuzz/json_records.cpp (inputs in fuzz/crashers/json_records): a
// member of another type than the API documents threw json::type_error out
// of the decoder.
TEST(DmsWire, MembersOfTheWrongTypeAreMalformedOrLeftOutNeverAnException) {
  EXPECT_THROW(decodeWebhook(customers(), R"({"type":5,"data":{}})"), PermanentError);
  EXPECT_THROW(decodeWebhook(customers(), R"({"type":null})"), PermanentError);
  const auto records = decodeWebhook(*findEntity("orders"), R"({"type":"order.updated","data":{"id":7,"order_no":"SO1"}})");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].key, "SO1");
  EXPECT_EQ(records[0].remote_id, "");
  const auto page = decodeList(customers(), {0, "", 10}, answer(200, {{"data", {{{"id", 1}, {"code", "C1"}}}}}), 0);
  ASSERT_EQ(page.records.size(), 1u);
  EXPECT_EQ(page.records[0].key, "C1");
  EXPECT_EQ(errorSummary(R"({"error":{"code":5,"message":["x"],"details":{"errors":[{"field":1}]}}})"), "error:  (record:  [])");
  EXPECT_EQ(decodeStatus(answer(200, {{"id", 1}, {"order_no", true}}), 0).remote_id, "");
  std::vector<OutboundRecord> batch = {outbound("A", {})};
  const auto out = decodeBatch(batch, answer(200, {{"results", {{{"result", "rejected"}, {"code", 1}, {"status", "x"}}}}}), 0);
  EXPECT_EQ(out[0].error_type, "validation");
  EXPECT_EQ(out[0].http_status, 422);
  try {
    decodeBatch(batch, answer(200, {{"results", {5}}}), 0);
    FAIL() << "no error";
  } catch (const RetryableError& e) {
    EXPECT_TRUE(e.ambiguous) << "a batch answer that cannot be read may have been applied";
  }
}

}  // namespace
}  // namespace hub::connector::dms
