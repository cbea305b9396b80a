// Every shipped mapping (mappings/shipped/) on a sample record through the
// real `hub map test`: samples/<mapping>/record.json with xref.json gives
// exactly expected.json. Plus what the engine would do with records the
// mappings cannot map yet (park) or at all (dead-letter).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/child_process.h"
#include "tests/support/paths.h"
#include "tests/support/temp_dir.h"

namespace hub::test {
namespace {

using nlohmann::json;

struct MapRun {
  int code = -1;
  std::string out, err;
};

MapRun hubMap(std::vector<std::string> args) {
  args.insert(args.begin(), hubBinary());
  ChildProcess p(args);
  MapRun r;
  r.code = p.wait().value_or(-1);
  r.out = p.stdoutText();
  r.err = p.stderrText();
  return r;
}

std::string shipped(const std::string& mapping) {
  return (sourceDir() / "mappings" / "shipped" / (mapping + ".yaml")).string();
}
std::string sample(const std::string& mapping, const std::string& file) {
  return (sourceDir() / "tests" / "landscape" / "samples" / mapping / file).string();
}

// `hub map test` of the mapping on its sample; the document it prints.
json mapSample(const std::string& mapping, const std::string& record = "record.json") {
  const MapRun r = hubMap({"map", "test", "--mapping", shipped(mapping), "--input", sample(mapping, record), "--xref",
                           sample(mapping, "xref.json"), "--now", "2025-06-01T10:00:00+08:00", "--json"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  const json out = json::parse(r.out, nullptr, false);
  EXPECT_TRUE(out.is_object()) << r.out;
  EXPECT_EQ(out.value("problems", json::array()), json::array()) << r.out;
  return out.value("document", json());
}

json expected(const std::string& mapping) { return json::parse(readFile(sample(mapping, "expected.json"))); }

TEST(ShippedMappings, AllPassMapCheck) {
  const MapRun r = hubMap({"map", "check", (sourceDir() / "mappings" / "shipped").string()});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
}

TEST(ShippedMappings, KingdeeCustomerBecomesADmsDealer) {
  EXPECT_EQ(mapSample("kingdee_customer_to_dms"), expected("kingdee_customer_to_dms"));
}

TEST(ShippedMappings, KingdeeMaterialBecomesADmsProductWithUnitAndTaxRateFromTables) {
  EXPECT_EQ(mapSample("kingdee_material_to_dms"), expected("kingdee_material_to_dms"));
}

TEST(ShippedMappings, KingdeeStockRowBecomesADmsStockLevelPerMaterialWarehouseAndLot) {
  EXPECT_EQ(mapSample("kingdee_inventory_to_dms"), expected("kingdee_inventory_to_dms"));
}

TEST(ShippedMappings, KingdeeOutboundBillBecomesAShipmentOnTheDmsOrder) {
  EXPECT_EQ(mapSample("kingdee_outstock_to_dms_status"), expected("kingdee_outstock_to_dms_status"));
}

TEST(ShippedMappings, KingdeeSpecialInvoiceBecomesADmsInvoiceWithNetAmountsAndTax) {
  EXPECT_EQ(mapSample("kingdee_invoice_to_dms"), expected("kingdee_invoice_to_dms"));
}

TEST(ShippedMappings, KingdeeOrdinaryInvoiceIsTypedVatOrdinary) {
  const json doc = mapSample("kingdee_invoice_to_dms", "ordinary.json");
  EXPECT_EQ(doc["type"], "vat_ordinary");
  EXPECT_EQ(doc["lines"].size(), 1u);
}

TEST(ShippedMappings, DmsOrderBecomesAKingdeeSalesOrderWithCustomerAndMaterialNumbersFromXref) {
  EXPECT_EQ(mapSample("dms_order_to_kingdee"), expected("dms_order_to_kingdee"));
}

TEST(ShippedMappings, KingdeeBillNumberIsWrittenBackToTheDmsOrder) {
  EXPECT_EQ(mapSample("dms_order_erp_bill_no"), expected("dms_order_erp_bill_no"));
}

TEST(ShippedMappings, AnOrderOfADealerNotYetInKingdeeParks) {
  TempDir dir;
  const auto noXref = dir.write("xref.json", "{}");
  const MapRun r = hubMap({"map", "test", "--mapping", shipped("dms_order_to_kingdee"), "--input",
                           sample("dms_order_to_kingdee", "record.json"), "--xref", noXref});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("unresolved_reference"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("park"), std::string::npos) << r.out;
}

TEST(ShippedMappings, AnOrderLineInAUnitMissingFromTheTableDeadLetters) {
  TempDir dir;
  json order = json::parse(readFile(sample("dms_order_to_kingdee", "record.json")));
  order["lines"][0]["unit"] = "TRAY";
  const auto input = dir.write("order.json", order.dump());
  const MapRun r = hubMap({"map", "test", "--mapping", shipped("dms_order_to_kingdee"), "--input", input, "--xref",
                           sample("dms_order_to_kingdee", "xref.json")});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("unknown_code"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("dead-letter"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace hub::test
