// Wire formats without sockets: the query a page sends, rows → records, the
// Save/BatchSave body a batch becomes, and answers → per-record outcomes.
#include <gtest/gtest.h>

#include "connectors/kingdee/kingdee_query.h"
#include "connectors/kingdee/kingdee_sink.h"

namespace hub::connector::kingdee {
namespace {

using nlohmann::json;

QueryOptions customers() {
  QueryOptions o;
  o.form = *findForm("BD_Customer");
  o.form.header_keys = {"FName"};
  return o;
}

QueryOptions orders() {
  QueryOptions o;
  o.form = *findForm("SAL_SaleOrder");
  o.form.header_keys = {"FDate"};
  o.form.entry_keys = {"FSaleOrderEntry_FEntryID", "FQty"};
  return o;
}

const ServerZone kShanghai("Asia/Shanghai");

TEST(KingdeeQueryCodec, FirstPageFiltersOnSinceInServerTimeAndOrdersByModifyDateThenId) {
  const json q = encodeQuery(customers(), kShanghai, 1714527000000, {}, 100);
  EXPECT_EQ(q["FormId"], "BD_Customer");
  EXPECT_EQ(q["FieldKeys"], "FCUSTID,FNumber,FModifyDate,FName");
  EXPECT_EQ(q["FilterString"], "FModifyDate>='2024-05-01 09:30:00'");
  EXPECT_EQ(q["OrderString"], "FModifyDate ASC, FCUSTID ASC");
  EXPECT_EQ(q["StartRow"], 0);
  EXPECT_EQ(q["Limit"], 100);
}

TEST(KingdeeQueryCodec, SinceZeroMeansNoDateFilter) {
  EXPECT_EQ(encodeQuery(customers(), kShanghai, 0, {}, 10)["FilterString"], "");
}

TEST(KingdeeQueryCodec, LaterPagesContinueAfterTheLastRowsDateAndId) {
  QueryOptions o = customers();
  o.extra_filter = "FForbidStatus='A'";
  const json q = encodeQuery(o, kShanghai, 1714527000000, {"2024-05-01T10:00:00.5", 100007}, 50);
  EXPECT_EQ(q["FilterString"],
            "FModifyDate>='2024-05-01 09:30:00' and (FForbidStatus='A') and (FModifyDate>'2024-05-01 10:00:00.5' or "
            "(FModifyDate='2024-05-01 10:00:00.5' and FCUSTID>100007))");
}

TEST(KingdeeQueryCodec, StringIdsAreQuotedWithQuotesDoubled) {
  QueryOptions o;
  o.form = *findForm("STK_Inventory");
  const json q = encodeQuery(o, kShanghai, 0, {"2024-05-01T10:00:00", "a'b"}, 50);
  EXPECT_NE(q["FilterString"].get<std::string>().find("FID>'a''b'"), std::string::npos);
  EXPECT_NE(q["OrderString"].get<std::string>().find("FUpdateTime ASC"), std::string::npos);
}

TEST(KingdeeQueryCodec, ResumeRoundTripsAndEmptyMeansStart) {
  const ScanPosition p{"2024-05-01T10:00:00", 42};
  const ScanPosition back = decodeResume(encodeResume(p));
  EXPECT_EQ(back.modify, p.modify);
  EXPECT_EQ(back.id, 42);
  EXPECT_TRUE(decodeResume("").empty());
  EXPECT_TRUE(decodeResume("garbage").empty());
}

TEST(KingdeeQueryCodec, RowsBecomeRecordsKeyedByNumberWithFidAndUtcTime) {
  const json rows = json::parse(R"([[100001,"C001","2024-05-01T09:30:00","甲"],[100002,"C002","2024-05-01T09:30:01","乙"]])");
  const auto page = decodeRows(customers(), kShanghai, rows, 10, {});
  ASSERT_EQ(page.records.size(), 2u);
  EXPECT_EQ(page.records[0].key, "C001");
  EXPECT_EQ(page.records[0].remote_id, "100001");
  EXPECT_EQ(page.records[0].updated_at, 1714527000000);
  EXPECT_EQ(page.records[0].payload["FName"], "甲");
  EXPECT_TRUE(page.done);
  EXPECT_EQ(page.next.id, 100002);
}

TEST(KingdeeQueryCodec, AFullPageIsNotTheLast) {
  const json rows = json::parse(R"([[1,"C1","2024-05-01T09:30:00","a"],[2,"C2","2024-05-01T09:30:00","b"]])");
  EXPECT_FALSE(decodeRows(customers(), kShanghai, rows, 2, {}).done);
}

TEST(KingdeeQueryCodec, InventoryKeyIsMaterialWarehouseLot) {
  QueryOptions o;
  o.form = *findForm("STK_Inventory");
  o.form.header_keys = {"FBaseQty"};
  const json rows = json::parse(R"([["g1","MAT1","CK001",null,"2024-05-01T09:30:00",5]])");
  const auto page = decodeRows(o, kShanghai, rows, 10, {});
  ASSERT_EQ(page.records.size(), 1u);
  EXPECT_EQ(page.records[0].key, "MAT1|CK001|");
  EXPECT_EQ(page.records[0].payload["FBaseQty"], 5);
}

TEST(KingdeeQueryCodec, EntryRowsFoldIntoOneRecordPerBill) {
  const json rows = json::parse(R"([[1,"XSDD1","2024-05-01T09:30:00","2024-05-01",11,2],
                                    [1,"XSDD1","2024-05-01T09:30:00","2024-05-01",12,3],
                                    [2,"XSDD2","2024-05-01T09:31:00","2024-05-01",13,4]])");
  const auto page = decodeRows(orders(), kShanghai, rows, 10, {});
  ASSERT_EQ(page.records.size(), 2u);
  EXPECT_EQ(page.records[0].payload["FSaleOrderEntry"].size(), 2u);
  EXPECT_EQ(page.records[0].payload["FSaleOrderEntry"][1]["FQty"], 3);
  EXPECT_FALSE(page.records[0].payload.contains("FQty"));
}

TEST(KingdeeQueryCodec, AFullPageLeavesItsLastBillForTheNextPage) {
  const json rows = json::parse(R"([[1,"XSDD1","2024-05-01T09:30:00","d",11,2],
                                    [2,"XSDD2","2024-05-01T09:31:00","d",13,4]])");
  const auto page = decodeRows(orders(), kShanghai, rows, 2, {});
  ASSERT_EQ(page.records.size(), 1u);
  EXPECT_EQ(page.next.id, 1);
  EXPECT_FALSE(page.done);
}

TEST(KingdeeQueryCodec, OneBillFillingAPageAsksForABiggerPage) {
  const json rows = json::parse(R"([[1,"XSDD1","2024-05-01T09:30:00","d",11,2],[1,"XSDD1","2024-05-01T09:30:00","d",12,4]])");
  EXPECT_TRUE(decodeRows(orders(), kShanghai, rows, 2, {}).needs_bigger_page);
}

SinkOptions orderSink() {
  SinkOptions o;
  o.form = *findForm("SAL_SaleOrder");
  o.external_number_field = "F_DMS_OrderNo";
  return o;
}

OutboundRecord record(const std::string& key, json doc, std::string known = {}) {
  OutboundRecord r;
  r.key = key;
  r.document = std::move(doc);
  r.known_remote_id = std::move(known);
  return r;
}

TEST(KingdeeSinkCodec, OneRecordIsASaveModelWithTheExternalNumberFilledIn) {
  const std::vector<OutboundRecord> batch = {record("SO-1", {{"FDate", "2024-05-01"}})};
  const json data = encodeSave(orderSink(), batch);
  EXPECT_TRUE(data["Model"].is_object());
  EXPECT_EQ(data["Model"]["F_DMS_OrderNo"], "SO-1");
  EXPECT_EQ(data["IsAutoSubmitAndAudit"], false);
  EXPECT_EQ(data["IsDeleteEntry"], "true");
  EXPECT_FALSE(data["Model"].contains("FID"));
}

TEST(KingdeeSinkCodec, PollModeSendsEvenOneRecordAsABatchSaveModelList) {
  const std::vector<OutboundRecord> batch = {record("SO-1", {{"FDate", "2024-05-01"}})};
  SinkOptions o = orderSink();
  o.save_mode = SaveMode::Poll;
  EXPECT_TRUE(savesInBatch(o, 1));
  const json data = encodeSave(o, batch);
  ASSERT_TRUE(data["Model"].is_array());
  EXPECT_EQ(data["Model"][0]["F_DMS_OrderNo"], "SO-1");
}

TEST(KingdeeSinkCodec, KnownRemoteIdMakesAnUpdateByFid) {
  const std::vector<OutboundRecord> batch = {record("SO-1", json::object(), "100123"), record("SO-2", json::object())};
  SinkOptions o = orderSink();
  o.audit = AuditMode::Auto;
  const json data = encodeSave(o, batch);
  ASSERT_TRUE(data["Model"].is_array());
  EXPECT_EQ(data["Model"][0]["FID"], 100123);
  EXPECT_FALSE(data["Model"][1].contains("FID"));
  EXPECT_EQ(data["IsAutoSubmitAndAudit"], true);
}

TEST(KingdeeSinkCodec, BatchAnswerGivesOneOutcomePerModelByDIndex) {
  const json answer = json::parse(R"({"Result":{"ResponseStatus":{"ErrorCode":500,"IsSuccess":false,
      "Errors":[{"FieldName":"FCustId","Message":"字段“FCustId”是必填项","DIndex":1}],
      "SuccessEntitys":[{"Id":100002,"Number":"XSDD000002","DIndex":2},{"Id":100001,"Number":"XSDD000001","DIndex":0}],
      "MsgCode":0}}})");
  const auto out = decodeSave(answer, 3);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].disposition, Disposition::Delivered);
  EXPECT_EQ(out[0].remote_id, "100001");
  EXPECT_EQ(out[0].remote_number, "XSDD000001");
  EXPECT_EQ(out[1].disposition, Disposition::Permanent);
  EXPECT_EQ(out[1].error_type, "validation");
  EXPECT_EQ(out[1].message, "FCustId: 字段“FCustId”是必填项");
  EXPECT_EQ(out[2].remote_id, "100002");
}

TEST(KingdeeSinkCodec, ModelsTheAnswerDoesNotMentionAreAmbiguousRetries) {
  const json answer = json::parse(R"({"Result":{"ResponseStatus":{"IsSuccess":true,"SuccessEntitys":[{"Id":1,"Number":"A","DIndex":0}]}}})");
  const auto out = decodeSave(answer, 2);
  EXPECT_EQ(out[1].disposition, Disposition::Retry);
  EXPECT_TRUE(out[1].ambiguous);
}

TEST(KingdeeSinkCodec, AnErrorWithoutDIndexFailsEveryModel) {
  const json answer = json::parse(R"({"Result":{"ResponseStatus":{"IsSuccess":false,"Errors":[{"Message":"业务对象不存在"}]}}})");
  for (const auto& o : decodeSave(answer, 2)) {
    EXPECT_EQ(o.disposition, Disposition::Permanent);
    EXPECT_EQ(o.message, "业务对象不存在");
  }
}

TEST(KingdeeSinkCodec, SingleSaveReadsIdAndNumberBesideTheStatus) {
  const json answer = json::parse(R"({"Result":{"ResponseStatus":{"IsSuccess":true},"Id":77,"Number":"XSDD7"}})");
  const auto out = decodeSave(answer, 1);
  EXPECT_EQ(out[0].disposition, Disposition::Delivered);
  EXPECT_EQ(out[0].remote_id, "77");
}

TEST(KingdeeSinkCodec, LookupAsksForEveryExternalNumberAndReadsTheFirstBillOfEach) {
  const json q = encodeLookup(orderSink(), {"SO-1", "O'Neil"});
  EXPECT_EQ(q["FilterString"], "F_DMS_OrderNo='SO-1' or F_DMS_OrderNo='O''Neil'");
  EXPECT_EQ(q["FieldKeys"], "FID,FBillNo,F_DMS_OrderNo,FDocumentStatus");
  const auto found = decodeLookup(json::parse(R"([[5,"XSDD5","SO-1","C"],[9,"XSDD9","SO-1","A"]])"));
  ASSERT_EQ(found.count("SO-1"), 1u);
  EXPECT_EQ(found.at("SO-1").id, "5");
  EXPECT_EQ(found.at("SO-1").status, "C");
}

TEST(KingdeeSinkCodec, SubmitAndAuditNameBillsByNumber) {
  const json d = encodeNumbers({"XSDD1", "XSDD2"});
  EXPECT_EQ(d["Numbers"], json::array({"XSDD1", "XSDD2"}));
  EXPECT_EQ(d["Ids"], "");
}

}  // namespace
}  // namespace hub::connector::kingdee
