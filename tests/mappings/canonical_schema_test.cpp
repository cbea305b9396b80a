// Canonical entity schemas and the JSON Schema subset validator.
#include <fstream>

#include <gtest/gtest.h>

#include "mappings/canonical/canonical.h"
#include "tests/support/paths.h"

namespace {

using hub::mapping::JsonSchema;
using hub::mapping::SchemaProblem;
using hub::mapping::validateCanonical;
using nlohmann::json;

std::string describe(const std::vector<SchemaProblem>& ps) {
  std::string out;
  for (const auto& p : ps) out += (p.path.empty() ? "(document)" : p.path) + ": " + p.message + "\n";
  return out;
}

const SchemaProblem* at(const std::vector<SchemaProblem>& ps, const std::string& path) {
  for (const auto& p : ps)
    if (p.path == path) return &p;
  return nullptr;
}

json customer() {
  return json::parse(R"({
    "id": "C-000881", "code": "KH0881", "name": "上海华润万家超市有限公司", "type": "ka", "status": "active",
    "tax_no": "91310000132212345X",
    "invoice": {"title": "上海华润万家超市有限公司", "tax_no": "91310000132212345X", "bank_account": "6222 0210 0101 2345 678"},
    "currency": "CNY", "credit_limit": "500000.00",
    "contacts": [{"name": "李娜", "mobile": "13800138000"}],
    "addresses": [{"type": "shipping", "province": "上海市", "city": "上海市", "district": "浦东新区", "street": "张杨路500号", "postal_code": "200120"}],
    "created_at": "2023-11-02T09:15:00+08:00"
  })");
}

json product() {
  return json::parse(R"({
    "sku": "SKU-01001", "name": "青岛啤酒 经典 500ml×12", "spec": "500ml*12", "barcode": "6901035603102",
    "base_unit": "瓶", "units": [{"unit": "箱", "factor": 12, "sales": true}], "tax_rate": 0.13,
    "tax_category_code": "1030306000000000000", "list_price": "78.00", "batch_managed": true, "status": "active"
  })");
}

json stockLevel() {
  return json::parse(R"({
    "sku": "SKU-01001", "warehouse_code": "SH-WH1", "batch_no": "B240401", "expiry_date": "2025-04-01",
    "unit": "瓶", "on_hand": "1200", "reserved": 300, "available": "900", "as_of": "2024-05-01T08:00:00Z"
  })");
}

json invoice() {
  return json::parse(R"({
    "invoice_no": "24312000000012345678", "type": "e_vat_special", "status": "issued", "issue_date": "2024-05-06",
    "seller": {"name": "上海某某酒水贸易有限公司", "tax_no": "91310115MA1H7XXXX1"},
    "buyer": {"name": "上海华润万家超市有限公司", "tax_no": "91310000132212345X"},
    "currency": "CNY",
    "lines": [
      {"line_no": 1, "name": "*酒*青岛啤酒 经典 500ml×12", "unit": "箱", "qty": 10, "unit_price": "55.31",
       "amount": "553.10", "tax_rate": 0.13, "tax_amount": "71.90"},
      {"line_no": 2, "name": "*现代服务*配送服务", "unit": "次", "qty": 1, "amount": "100.00", "tax_rate": 0.06, "tax_amount": "6.00"}
    ],
    "total_amount": "653.10", "total_tax": "77.90", "total_amount_incl_tax": "731.00"
  })");
}

TEST(CanonicalSchemas, AllFiveEntitiesAreAvailable) {
  EXPECT_EQ(hub::mapping::canonicalEntities(),
            (std::vector<std::string>{"customer", "invoice", "product", "sales_order", "stock_level"}));
  EXPECT_FALSE(hub::mapping::canonicalSchemaText("invoice").empty());
}

TEST(CanonicalSchemas, ARealisticCustomerIsValid) { EXPECT_EQ(describe(validateCanonical("customer", customer())), ""); }
TEST(CanonicalSchemas, AProductWithUnitConversionsIsValid) {
  EXPECT_EQ(describe(validateCanonical("product", product())), "");
}
TEST(CanonicalSchemas, AStockLevelIsValid) { EXPECT_EQ(describe(validateCanonical("stock_level", stockLevel())), ""); }
TEST(CanonicalSchemas, AnInvoiceWithMixedVatRatesIsValid) {
  EXPECT_EQ(describe(validateCanonical("invoice", invoice())), "");
}

TEST(CanonicalSchemas, TheBenchmarkSalesOrderIsValid) {
  std::ifstream in(hub::test::sourceDir() / "bench" / "mapping" / "data" / "sales_order.json");
  ASSERT_TRUE(in);
  EXPECT_EQ(describe(validateCanonical("sales_order", json::parse(in))), "");
}

TEST(CanonicalSchemas, BadTaxNumberIsReportedAtItsPath) {
  json c = customer();
  c["invoice"]["tax_no"] = "9131000013221234";
  const auto ps = validateCanonical("customer", c);
  ASSERT_EQ(ps.size(), 1u) << describe(ps);
  EXPECT_EQ(ps[0].path, "invoice.tax_no");
  EXPECT_NE(ps[0].message.find("does not match"), std::string::npos);
}

TEST(CanonicalSchemas, UnknownVatRateIsRejected) {
  json i = invoice();
  i["lines"][1]["tax_rate"] = 0.17;
  const auto ps = validateCanonical("invoice", i);
  ASSERT_NE(at(ps, "lines[1].tax_rate"), nullptr) << describe(ps);
  EXPECT_NE(at(ps, "lines[1].tax_rate")->message.find("is not one of"), std::string::npos);
}

TEST(CanonicalSchemas, NegativeOnHandIsRejectedButNegativeAvailableIsNot) {
  json s = stockLevel();
  s["available"] = "-20";
  EXPECT_EQ(describe(validateCanonical("stock_level", s)), "");
  s["on_hand"] = -1;
  const auto ps = validateCanonical("stock_level", s);
  ASSERT_NE(at(ps, "on_hand"), nullptr) << describe(ps);
  EXPECT_NE(at(ps, "on_hand")->message.find("below the minimum"), std::string::npos);
}

TEST(CanonicalSchemas, DecimalStringsMustHoldNumbers) {
  json s = stockLevel();
  s["reserved"] = "3OO";
  EXPECT_NE(at(validateCanonical("stock_level", s), "reserved"), nullptr);
}

TEST(CanonicalSchemas, MissingRequiredPropertiesAreNamed) {
  json p = product();
  p.erase("base_unit");
  const auto ps = validateCanonical("product", p);
  ASSERT_EQ(ps.size(), 1u) << describe(ps);
  EXPECT_EQ(ps[0].path, "");
  EXPECT_EQ(ps[0].message, "missing required property 'base_unit'");
}

TEST(CanonicalSchemas, UnexpectedPropertiesSuggestTheIntendedOne) {
  json p = product();
  p["units"][0]["factr"] = 6;
  const auto ps = validateCanonical("product", p);
  ASSERT_NE(at(ps, "units[0].factr"), nullptr) << describe(ps);
  EXPECT_EQ(at(ps, "units[0].factr")->message, "unexpected property 'factr' (did you mean 'factor'?)");
}

TEST(CanonicalSchemas, ZeroUnitFactorIsRejected) {
  json p = product();
  p["units"][0]["factor"] = 0;
  EXPECT_NE(at(validateCanonical("product", p), "units[0].factor"), nullptr);
}

TEST(CanonicalSchemas, DateTimesNeedAZone) {
  json c = customer();
  c["created_at"] = "2023-11-02 09:15:00";
  const auto ps = validateCanonical("customer", c);
  ASSERT_NE(at(ps, "created_at"), nullptr) << describe(ps);
  EXPECT_NE(at(ps, "created_at")->message.find("date-time with a zone"), std::string::npos);
}

TEST(CanonicalSchemas, DatesMustBeRealCalendarDays) {
  json s = stockLevel();
  s["expiry_date"] = "2025-02-30";
  EXPECT_NE(at(validateCanonical("stock_level", s), "expiry_date"), nullptr);
}

TEST(CanonicalSchemas, WrongTypesNameExpectedAndActual) {
  json c = customer();
  c["contacts"] = "李娜";
  const auto ps = validateCanonical("customer", c);
  ASSERT_NE(at(ps, "contacts"), nullptr);
  EXPECT_EQ(at(ps, "contacts")->message, "expected array, got string \"李娜\"");
}

TEST(CanonicalSchemas, UnknownEntityIsOneProblemWithASuggestion) {
  const auto ps = validateCanonical("salesorder", json::object());
  ASSERT_EQ(ps.size(), 1u);
  EXPECT_NE(ps[0].message.find("did you mean 'sales_order'"), std::string::npos) << ps[0].message;
}

TEST(JsonSchemaSubset, UnsupportedKeywordsAreRefused) {
  auto s = JsonSchema::compile(json::parse(R"({"type": "object", "properties": {"a": {"oneOf": []}}})"));
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().find("#/properties/a: unsupported keyword 'oneOf'"), std::string::npos) << s.error();
}

TEST(JsonSchemaSubset, UnresolvedReferencesAreRefused) {
  EXPECT_FALSE(JsonSchema::compile(json::parse(R"({"$ref": "#/$defs/nope"})")));
}

TEST(JsonSchemaSubset, IntegerAcceptsWholeFloatsOnly) {
  auto s = JsonSchema::compile(json::parse(R"({"type": "integer"})"));
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->validate(json(3.0)).empty());
  EXPECT_FALSE(s->validate(json(3.5)).empty());
}

TEST(JsonSchemaSubset, LengthsCountCharacters) {
  auto s = JsonSchema::compile(json::parse(R"({"type": "string", "maxLength": 4})"));
  EXPECT_TRUE(s->validate("华润万家").empty());
  EXPECT_FALSE(s->validate("华润万家超市").empty());
}

}  // namespace
