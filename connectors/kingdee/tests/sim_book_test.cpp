// The simulated Kingdee's store: what Save accepts and refuses, numbering,
// status changes, and queries over what was saved — without sockets.
#include <gtest/gtest.h>

#include "connectors/kingdee/sim/sim_book.h"
#include "connectors/kingdee/sim/sim_seed.h"

namespace hub::connector::kingdee::sim {
namespace {

using nlohmann::json;

class SimBook : public ::testing::Test {
 protected:
  void SetUp() override {
    book.insert("BD_Customer", {{"FNumber", "C001"}, {"FName", "广州恒达商贸有限公司"}, {"FCreateOrgId", {{"FNumber", "100"}}}},
                1714527000000);
    book.insert("BD_MATERIAL", {{"FNumber", "MAT1"}, {"FName", "矿泉水"}, {"FCreateOrgId", {{"FNumber", "100"}}},
                                {"SubHeadEntity", {{"FBaseUnitId", {{"FNumber", "BOX"}}}}}});
  }
  static json order(const std::string& cust = "C001") {
    return {{"FDate", "2024-05-01"}, {"FSaleOrgId", {{"FNumber", "100"}}}, {"FCustId", {{"FNumber", cust}}},
            {"FSaleOrderEntry", json::array({{{"FMaterialId", {{"FNumber", "MAT1"}}}, {"FQty", 2}}})}};
  }
  json query(const json& data) const { return book.executeBillQuery(data, 2000); }
  BillBook book{480, [] { return Millis(1714527000000); }};
};

TEST_F(SimBook, SaveAssignsFidNumberStatusAndModifyDate) {
  const json a = book.save("SAL_SaleOrder", {{"Model", order()}}, false);
  EXPECT_EQ(a["Result"]["ResponseStatus"]["IsSuccess"], true);
  EXPECT_EQ(a["Result"]["Number"], "XSDD000001");
  const auto bills = book.objects("SAL_SaleOrder");
  ASSERT_EQ(bills.size(), 1u);
  EXPECT_EQ(bills[0]["FDocumentStatus"], "A");
  EXPECT_EQ(bills[0]["FModifyDate"], "2024-05-01T09:30:00");
  EXPECT_TRUE(bills[0]["FSaleOrderEntry"][0]["FEntryID"].is_number());
}

TEST_F(SimBook, DatesComeBackInKingdeesFormatWhateverFormWasSaved) {
  for (const char* sent : {"2024-05-01", "2024-05-01 08:30:00", "2024/5/1", "2024-05-01T08:30:00"}) {
    json m = order();
    m["FDate"] = sent;
    book.save("SAL_SaleOrder", {{"Model", m}}, false);
  }
  const json rows = query({{"FormId", "SAL_SaleOrder"}, {"FieldKeys", "FDate"}});
  EXPECT_EQ(rows, json::parse(R"([["2024-05-01T00:00:00"],["2024-05-01T08:30:00"],["2024-05-01T00:00:00"],)"
                              R"(["2024-05-01T08:30:00"]])"));
  EXPECT_EQ(book.view("SAL_SaleOrder", {{"Number", "XSDD000002"}})["Result"]["Result"]["FDate"], "2024-05-01T08:30:00");
}

TEST_F(SimBook, EntryDatesAreRenderedTheSameWay) {
  json m = order();
  m["FSaleOrderEntry"][0]["FDeliveryDate"] = "2024-05-03 00:00:00";
  book.save("SAL_SaleOrder", {{"Model", m}}, false);
  EXPECT_EQ(query({{"FormId", "SAL_SaleOrder"}, {"FieldKeys", "FDeliveryDate"}}), json::parse(R"([["2024-05-03T00:00:00"]])"));
}

TEST_F(SimBook, AnUnreadableDateIsRefusedNamingTheField) {
  json m = order();
  m["FDate"] = "next Tuesday";
  const json a = book.save("SAL_SaleOrder", {{"Model", m}}, false);
  ASSERT_EQ(a["Result"]["ResponseStatus"]["IsSuccess"], false);
  EXPECT_EQ(a["Result"]["ResponseStatus"]["Errors"][0]["FieldName"], "FDate");
  EXPECT_EQ(book.count("SAL_SaleOrder"), 0u);
}

TEST_F(SimBook, MissingRequiredFieldIsAnErrorNamingIt) {
  json m = order();
  m.erase("FCustId");
  const json a = book.save("SAL_SaleOrder", {{"Model", m}}, false);
  const json& rs = a["Result"]["ResponseStatus"];
  EXPECT_EQ(rs["IsSuccess"], false);
  EXPECT_EQ(rs["ErrorCode"], 500);
  EXPECT_EQ(rs["Errors"][0]["FieldName"], "FCustId");
  EXPECT_EQ(rs["Errors"][0]["DIndex"], 0);
  EXPECT_EQ(book.count("SAL_SaleOrder"), 0u);
}

TEST_F(SimBook, UnknownBaseDataReferenceIsRefused) {
  const json a = book.save("SAL_SaleOrder", {{"Model", order("C999")}}, false);
  EXPECT_NE(a["Result"]["ResponseStatus"]["Errors"][0]["Message"].get<std::string>().find("C999"), std::string::npos);
}

TEST_F(SimBook, BatchSaveSavesTheValidModelsAndReportsTheRestByDIndex) {
  const json a = book.save("SAL_SaleOrder", {{"Model", json::array({order(), order("C999"), order()})}}, true);
  const json& rs = a["Result"]["ResponseStatus"];
  EXPECT_EQ(rs["IsSuccess"], false);
  EXPECT_EQ(rs["SuccessEntitys"].size(), 2u);
  EXPECT_EQ(rs["SuccessEntitys"][1]["DIndex"], 2);
  EXPECT_EQ(rs["Errors"][0]["DIndex"], 1);
  EXPECT_EQ(book.count("SAL_SaleOrder"), 2u);
}

TEST_F(SimBook, DuplicateBillNumberIsRefused) {
  json m = order();
  m["FBillNo"] = "SO-1";
  book.save("SAL_SaleOrder", {{"Model", m}}, false);
  const json a = book.save("SAL_SaleOrder", {{"Model", m}}, false);
  EXPECT_EQ(a["Result"]["ResponseStatus"]["Errors"][0]["FieldName"], "FBillNo");
  EXPECT_EQ(book.count("SAL_SaleOrder"), 1u);
}

TEST_F(SimBook, SaveWithFidUpdatesAndAuditedBillsRefuseChanges) {
  const json a = book.save("SAL_SaleOrder", {{"Model", order()}}, false);
  json m = order();
  m["FID"] = a["Result"]["Id"];
  m["FNote"] = "加急";
  EXPECT_EQ(book.save("SAL_SaleOrder", {{"Model", m}}, false)["Result"]["ResponseStatus"]["IsSuccess"], true);
  EXPECT_EQ(book.objects("SAL_SaleOrder")[0]["FNote"], "加急");
  EXPECT_EQ(book.count("SAL_SaleOrder"), 1u);
  const json numbers = {{"Numbers", {"XSDD000001"}}};
  EXPECT_EQ(book.submit("SAL_SaleOrder", numbers)["Result"]["ResponseStatus"]["IsSuccess"], true);
  EXPECT_EQ(book.audit("SAL_SaleOrder", numbers)["Result"]["ResponseStatus"]["IsSuccess"], true);
  EXPECT_EQ(book.objects("SAL_SaleOrder")[0]["FDocumentStatus"], "C");
  EXPECT_EQ(book.save("SAL_SaleOrder", {{"Model", m}}, false)["Result"]["ResponseStatus"]["IsSuccess"], false);
}

TEST_F(SimBook, AuditBeforeSubmitIsRefused) {
  book.save("SAL_SaleOrder", {{"Model", order()}}, false);
  const json a = book.audit("SAL_SaleOrder", {{"Numbers", {"XSDD000001"}}});
  EXPECT_EQ(a["Result"]["ResponseStatus"]["IsSuccess"], false);
}

TEST_F(SimBook, AutoSubmitAndAuditLeavesTheBillAudited) {
  book.save("SAL_SaleOrder", {{"Model", order()}, {"IsAutoSubmitAndAudit", true}}, false);
  EXPECT_EQ(book.objects("SAL_SaleOrder")[0]["FDocumentStatus"], "C");
}

TEST_F(SimBook, ViewReturnsTheWholeBillOrKingdeesError) {
  book.save("SAL_SaleOrder", {{"Model", order()}}, false);
  const json v = book.view("SAL_SaleOrder", {{"Number", "XSDD000001"}});
  EXPECT_EQ(v["Result"]["Result"]["FBillNo"], "XSDD000001");
  EXPECT_EQ(book.view("SAL_SaleOrder", {{"Number", "NOPE"}})["Result"]["ResponseStatus"]["IsSuccess"], false);
}

TEST_F(SimBook, QueryProjectsDottedReferencesIncludingBaseDataNames) {
  book.save("SAL_SaleOrder", {{"Model", order()}}, false);
  const json rows = query({{"FormId", "SAL_SaleOrder"},
                           {"FieldKeys", "FBillNo,FCustId.FNumber,FCustId.FName,FCustId,FMaterialId.FNumber,FQty"}});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], json::parse(R"(["XSDD000001","C001","广州恒达商贸有限公司",100001,"MAT1",2])"));
}

TEST_F(SimBook, OutboundBillsResolveTheirCustomerReference) {
  book.insert("SAL_OUTSTOCK", {{"FDate", "2024-05-01"}, {"FStockOrgId", {{"FNumber", "100"}}},
                               {"FCustomerID", {{"FNumber", "C001"}}},
                               {"FEntity", json::array({{{"FMaterialID", {{"FNumber", "MAT1"}}}, {"FRealQty", 1}}})}});
  const json rows = query({{"FormId", "SAL_OUTSTOCK"}, {"FieldKeys", "FCustomerID.FName,FCustomerID,FMaterialID.FName"}});
  EXPECT_EQ(rows, json::parse(R"([["广州恒达商贸有限公司",100001,"矿泉水"]])"));
}

TEST_F(SimBook, QueryReadsSubHeadFieldsOfBaseData) {
  const json rows = query({{"FormId", "BD_MATERIAL"}, {"FieldKeys", "FNumber,FBaseUnitId.FNumber"}});
  EXPECT_EQ(rows, json::parse(R"([["MAT1","BOX"]])"));
}

TEST_F(SimBook, EntryFieldsGiveOneRowPerEntry) {
  json m = order();
  m["FSaleOrderEntry"].push_back({{"FMaterialId", {{"FNumber", "MAT1"}}}, {"FQty", 5}});
  book.save("SAL_SaleOrder", {{"Model", m}}, false);
  EXPECT_EQ(query({{"FormId", "SAL_SaleOrder"}, {"FieldKeys", "FBillNo,FSaleOrderEntry_FEntryID,FQty"}}).size(), 2u);
  EXPECT_EQ(query({{"FormId", "SAL_SaleOrder"}, {"FieldKeys", "FBillNo"}}).size(), 1u);
}

TEST_F(SimBook, QueryPagesWithStartRowAndLimitInOrderStringOrder) {
  for (int i = 0; i < 5; ++i) book.save("SAL_SaleOrder", {{"Model", order()}}, false);
  const json rows = query({{"FormId", "SAL_SaleOrder"}, {"FieldKeys", "FBillNo"}, {"OrderString", "FBillNo DESC"},
                           {"StartRow", 1}, {"Limit", 2}});
  EXPECT_EQ(rows, json::parse(R"([["XSDD000004"],["XSDD000003"]])"));
}

TEST_F(SimBook, QueryErrorsComeWrapped) {
  const json unknownField = query({{"FormId", "BD_Customer"}, {"FieldKeys", "FNumber,FNoSuchField"}});
  EXPECT_EQ(unknownField[0][0]["Result"]["ResponseStatus"]["IsSuccess"], false);
  const json badFilter = query({{"FormId", "BD_Customer"}, {"FieldKeys", "FNumber"}, {"FilterString", "FNumber="}});
  EXPECT_EQ(badFilter[0][0]["Result"]["ResponseStatus"]["IsSuccess"], false);
  const json unknownForm = query({{"FormId", "NOPE"}, {"FieldKeys", "FNumber"}});
  EXPECT_NE(unknownForm.dump().find("业务对象不存在"), std::string::npos);
}

TEST_F(SimBook, CustomFieldsAreStoredAndQueryable) {
  json m = order();
  m["F_DMS_OrderNo"] = "SO-42";
  book.save("SAL_SaleOrder", {{"Model", m}}, false);
  EXPECT_EQ(query({{"FormId", "SAL_SaleOrder"}, {"FieldKeys", "FID"}, {"FilterString", "F_DMS_OrderNo='SO-42'"}}).size(), 1u);
  EXPECT_EQ(book.countWhere("SAL_SaleOrder", "F_DMS_OrderNo", "SO-42"), 1u);
}

TEST(SimSeed, CreditCodeCheckCharacterFollowsGb32100) {
  // A published example code: 91350100M000100Y43.
  EXPECT_EQ(creditCodeCheck("91350100M000100Y4"), '3');
}

TEST(SimSeed, GeneratedLandscapeLoadsAndIsDeterministic) {
  LandscapeSize size;
  size.customers = 20;
  size.materials = 10;
  size.outbound_bills = 15;
  size.invoices = 9;
  const json a = generateLandscape(size), b = generateLandscape(size);
  EXPECT_EQ(a, b);
  EXPECT_EQ(a["BD_Customer"].size(), 20u);
  for (const auto& c : a["BD_Customer"]) {
    const std::string code = c["FTaxRegisterCode"];
    ASSERT_EQ(code.size(), 18u);
    EXPECT_EQ(code[17], creditCodeCheck(code.substr(0, 17)));
  }
  EXPECT_GE(a["STK_Inventory"].size(), 10u);
  BillBook book;
  for (const char* form : {"BD_Customer", "BD_MATERIAL", "SAL_OUTSTOCK"})
    for (const auto& m : a[form]) {
      json model = m;
      model.erase("_modified_at");
      model.erase("_audited");
      book.insert(form, model);
    }
  const json rows = book.executeBillQuery({{"FormId", "SAL_OUTSTOCK"}, {"FieldKeys", "FCustomerID.FName"}}, 10);
  for (const auto& r : rows) EXPECT_TRUE(r[0].is_string()) << rows.dump();
}

}  // namespace
}  // namespace hub::connector::kingdee::sim
