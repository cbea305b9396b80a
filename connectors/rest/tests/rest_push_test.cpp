#include <gtest/gtest.h>

#include "connectors/rest/rest_push.h"
#include "connectors/spi/errors.h"

namespace hub::connector::rest {
namespace {

using nlohmann::json;

const Settings kSettings = parseSettings({{"base_url", "https://erp.example.com"}});

OutboundRecord outbound(const std::string& key, json doc, std::string remote = {}) {
  OutboundRecord r;
  r.key = key;
  r.idempotency_key = "idem-" + key;
  r.document = std::move(doc);
  r.known_remote_id = std::move(remote);
  return r;
}

http::HttpResponse answer(int status, const std::string& body, std::vector<std::pair<std::string, std::string>> h = {}) {
  http::HttpResponse r;
  r.status = status;
  r.body = body;
  r.headers = std::move(h);
  return r;
}

std::string headerOf(const http::HttpRequest& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return "<absent>";
}

TEST(RestPush, SingleRecordIsPostedWithItsIdempotencyKey) {
  const auto o = parseSinkOptions({{"path", "/customers"}});
  const auto req = encodeRecord(kSettings, o, outbound("C-1", {{"name", "华东经销商"}}));
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.url, "https://erp.example.com/customers");
  EXPECT_EQ(headerOf(req, "Idempotency-Key"), "idem-C-1");
  EXPECT_EQ(json::parse(req.body)["name"], "华东经销商");
}

TEST(RestPush, KnownRemoteIdUsesTheUpdatePath) {
  const auto o = parseSinkOptions({{"path", "/customers"}, {"update_path", "/customers/{id}"}});
  const auto req = encodeRecord(kSettings, o, outbound("C-1", json::object(), "id 9"));
  EXPECT_EQ(req.method, "PUT");
  EXPECT_EQ(req.url, "https://erp.example.com/customers/id%209");
}

TEST(RestPush, KeyPlaceholderIsFilledInThePath) {
  const auto o = parseSinkOptions({{"path", "/customers/{key}"}, {"method", "PUT"}});
  EXPECT_EQ(encodeRecord(kSettings, o, outbound("C-1", json::object())).url, "https://erp.example.com/customers/C-1");
}

TEST(RestPush, CreatedAnswerIsDeliveredWithTheRemoteIdAndNumber) {
  const auto o = parseSinkOptions({{"path", "/c"}, {"id_field", "data.id"}, {"number_field", "data.no"}});
  const auto out = decodeRecord(o, outbound("C-1", {}), answer(201, R"({"data":{"id":77,"no":"SO-1"}})"), 0);
  EXPECT_EQ(out.disposition, Disposition::Delivered);
  EXPECT_EQ(out.remote_id, "77");
  EXPECT_EQ(out.remote_number, "SO-1");
}

TEST(RestPush, RemoteIdFallsBackToTheLocationHeader) {
  const auto o = parseSinkOptions({{"path", "/c"}});
  const auto out = decodeRecord(o, outbound("C-1", {}), answer(201, "", {{"Location", "/c/abc"}}), 0);
  EXPECT_EQ(out.remote_id, "abc");
}

TEST(RestPush, ValidationErrorIsPermanentInTheTargetsWords) {
  const auto o = parseSinkOptions({{"path", "/c"}});
  const auto out =
      decodeRecord(o, outbound("C-1", {}), answer(422, R"({"error":{"message":"tax number invalid"}})"), 0);
  EXPECT_EQ(out.disposition, Disposition::Permanent);
  EXPECT_EQ(out.message, "tax number invalid");
  EXPECT_EQ(out.http_status, 422);
  EXPECT_NE(out.response_excerpt.find("tax number"), std::string::npos);
}

TEST(RestPush, ServiceUnavailableRetriesAfterTheAskedDelay) {
  const auto o = parseSinkOptions({{"path", "/c"}});
  const auto out = decodeRecord(o, outbound("C-1", {}), answer(503, "busy", {{"Retry-After", "30"}}), 0);
  EXPECT_EQ(out.disposition, Disposition::Retry);
  EXPECT_EQ(out.retry_after, 30000);
  EXPECT_EQ(out.error_type, "http_503");
}

TEST(RestPush, BatchIsOneArrayWithPerItemIdempotencyKeys) {
  const auto o = parseSinkOptions({{"path", "/c/batch"}, {"batch", "array"}, {"wrap", "records"}});
  std::vector<OutboundRecord> batch = {outbound("A", {{"n", 1}}), outbound("B", {{"n", 2}})};
  const auto req = encodeBatch(kSettings, o, batch);
  const json body = json::parse(req.body);
  ASSERT_EQ(body["records"].size(), 2u);
  EXPECT_EQ(body["records"][1]["idempotency_key"], "idem-B");
  EXPECT_EQ(req.url, "https://erp.example.com/c/batch");
}

TEST(RestPush, BatchResultsMapToOutcomesByPosition) {
  const auto o = parseSinkOptions({{"path", "/c"}, {"batch", "array"}});
  std::vector<OutboundRecord> batch = {outbound("A", {}), outbound("B", {}), outbound("C", {}), outbound("D", {})};
  const auto out = decodeBatch(o, batch,
                               answer(207, R"({"results":[{"status":"created","id":"1"},
                                  {"status":"rejected","error":{"message":"no name"}},
                                  {"status":503},{"status":"unchanged","id":"4"}]})"),
                               0);
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[0].disposition, Disposition::Delivered);
  EXPECT_EQ(out[0].remote_id, "1");
  EXPECT_EQ(out[1].disposition, Disposition::Permanent);
  EXPECT_EQ(out[1].message, "no name");
  EXPECT_EQ(out[2].disposition, Disposition::Retry);
  EXPECT_EQ(out[3].disposition, Disposition::Delivered);
}

TEST(RestPush, BatchAnswerWithoutResultsIsAmbiguous) {
  const auto o = parseSinkOptions({{"path", "/c"}, {"batch", "array"}});
  std::vector<OutboundRecord> batch = {outbound("A", {})};
  try {
    decodeBatch(o, batch, answer(200, "OK"), 0);
    FAIL() << "no error";
  } catch (const RetryableError& e) {
    EXPECT_TRUE(e.ambiguous);
  }
}

TEST(RestPush, BatchRejectedWholeIsPermanent) {
  const auto o = parseSinkOptions({{"path", "/c"}, {"batch", "array"}});
  std::vector<OutboundRecord> batch = {outbound("A", {})};
  EXPECT_THROW(decodeBatch(o, batch, answer(400, R"({"error":"bad json"})"), 0), PermanentError);
}

TEST(RestPush, UpdatePathIsRefusedInArrayMode) {
  EXPECT_THROW(parseSinkOptions({{"path", "/c"}, {"batch", "array"}, {"update_path", "/c/{id}"}}), PermanentError);
}

}  // namespace
}  // namespace hub::connector::rest
