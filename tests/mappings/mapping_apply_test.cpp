// Applying mappings: nested targets, arrays, value tables, types, xref and the
// parking signal, field-level problems, robustness and determinism.
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "mappings/engine/mapping.h"
#include "tests/support/paths.h"

namespace {

using namespace hub::mapping;
using nlohmann::json;

Mapping load(const std::string& fields, const std::string& extra = "") {
  const std::string yaml = "name: t\nversion: \"1\"\nsource: {system: dms, entity: sales_order}\n"
                           "target: {system: kingdee, entity: SAL_SaleOrder}\n" +
                           extra + "fields:\n" + fields;
  auto m = MappingCatalog::loadString(yaml, "t.yaml");
  if (!m) ADD_FAILURE() << hub::formatAll(m.error());
  return *m;
}

const FieldProblem* problemAt(const MappingResult& r, const std::string& path) {
  for (const auto& p : r.problems)
    if (p.path == path) return &p;
  return nullptr;
}

MappingContext context(const XrefLookup* xref = nullptr) {
  MappingContext ctx;
  ctx.xref = xref;
  return ctx;
}

TEST(MappingApply, DottedTargetPathsBuildNestedObjects) {
  const Mapping m = load("  FCustId.FNumber: customer\n  FSaleOrderFinance.FSettleCurrId.FNumber: \"'PRE001'\"\n");
  const auto r = m.apply(json{{"customer", "C1"}}, context());
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.document, json::parse(R"({"FCustId":{"FNumber":"C1"},"FSaleOrderFinance":{"FSettleCurrId":{"FNumber":"PRE001"}}})"));
}

TEST(MappingApply, NestedFieldsAndDottedPathsMerge) {
  const Mapping m = load("  FCustId.FNumber: code\n  FCustId:\n    fields:\n      FName: name\n");
  const auto r = m.apply(json{{"code", "C1"}, {"name", "华润"}}, context());
  EXPECT_EQ(r.document, json::parse(R"({"FCustId":{"FName":"华润","FNumber":"C1"}})"));
}

TEST(MappingApply, ForEachMapsEveryLineWithItsOwnFields) {
  const Mapping m = load(R"y(  FBillNo: no
  FEntry:
    for_each: lines
    fields:
      FSeq: {expr: "add(index(), `1`)", type: int}
      FMaterialId.FNumber: sku
      FNote: "concat(root().no, '/', sku)"
)y");
  const json order = json::parse(R"({"no":"SO1","lines":[{"sku":"A"},{"sku":"B"}]})");
  const auto r = m.apply(order, context());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.document["FEntry"], json::parse(R"([{"FMaterialId":{"FNumber":"A"},"FNote":"SO1/A","FSeq":1},
                                                  {"FMaterialId":{"FNumber":"B"},"FNote":"SO1/B","FSeq":2}])"));
}

TEST(MappingApply, NestedForEachSeesItsParent) {
  const Mapping m = load(R"y(  Lines:
    for_each: lines
    fields:
      Batches:
        for_each: batches
        fields:
          Sku: parent().sku
          No: "@"
)y");
  const auto r = m.apply(json::parse(R"({"lines":[{"sku":"A","batches":["b1","b2"]}]})"), context());
  EXPECT_EQ(r.document["Lines"][0]["Batches"], json::parse(R"([{"No":"b1","Sku":"A"},{"No":"b2","Sku":"A"}])"));
}

TEST(MappingApply, EmptyArraysStayEmptyArrays) {
  const Mapping m = load("  E:\n    for_each: lines\n    fields:\n      Q: qty\n");
  EXPECT_EQ(m.apply(json{{"lines", json::array()}}, context()).document, json::parse(R"({"E":[]})"));
}

TEST(MappingApply, ValueTablesTranslateCodes) {
  const Mapping m = load("  FUnitID.FNumber: \"map_value('units', unit)\"\n", "tables:\n  units: {箱: XIANG, 瓶: PING}\n");
  EXPECT_EQ(m.apply(json{{"unit", "瓶"}}, context()).document, json::parse(R"({"FUnitID":{"FNumber":"PING"}})"));
}

TEST(MappingApply, UnknownCodeIsAFieldProblemWithTheSourceValue) {
  const Mapping m = load("  FUnitID.FNumber: \"map_value('units', unit)\"\n", "tables:\n  units: {箱: XIANG}\n");
  const auto r = m.apply(json{{"unit", "吨"}}, context());
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].path, "FUnitID.FNumber");
  EXPECT_EQ(r.problems[0].kind, "unknown_code");
  EXPECT_EQ(r.problems[0].source_value, "吨");
  EXPECT_FALSE(r.onlyMissingReferences());
}

TEST(MappingApply, XrefResolvesThroughTheContext) {
  FixtureXrefLookup xref;
  xref.add("customer", "kingdee", "C-1", {"100881", "CUST0881"});
  const Mapping m = load("  FCustId.FNumber: \"xref('customer', 'kingdee', customer_id, 'number')\"\n");
  const auto r = m.apply(json{{"customer_id", "C-1"}}, context(&xref));
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.document["FCustId"]["FNumber"], "CUST0881");
}

TEST(MappingApply, UnresolvedXrefAsksToParkTheRecord) {
  const Mapping m = load(R"y(  FCustId.FNumber: {expr: "xref('customer', 'kingdee', customer_id)", required: true}
  E:
    for_each: lines
    fields:
      M: {expr: "xref('product', 'kingdee', sku)", required: true}
)y");
  const auto r = m.apply(json::parse(R"({"customer_id":"C-9","lines":[{"sku":"A"},{"sku":"A"},{"sku":"B"}]})"), context());
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(r.onlyMissingReferences());
  ASSERT_NE(problemAt(r, "FCustId.FNumber"), nullptr);
  EXPECT_EQ(problemAt(r, "FCustId.FNumber")->kind, "unresolved_reference");
  ASSERT_NE(problemAt(r, "E[2].M"), nullptr);
  EXPECT_EQ(problemAt(r, "E[2].M")->source_value, "B");
  // Required fields whose reference is missing are not also "missing_required".
  EXPECT_EQ(r.problems.size(), 4u);
  // Each once, in target field order (E before FCustId).
  EXPECT_EQ(r.missing, (std::vector<MissingReference>{{"product", "kingdee", "A"}, {"product", "kingdee", "B"},
                                                      {"customer", "kingdee", "C-9"}}));
}

TEST(MappingApply, OtherProblemsBesideMissingReferencesMeanDeadLetter) {
  const Mapping m = load("  A: \"xref('customer', 'kingdee', c)\"\n  B: {expr: b, required: true}\n");
  const auto r = m.apply(json{{"c", "C-9"}}, context());
  EXPECT_EQ(r.problems.size(), 2u);
  EXPECT_FALSE(r.onlyMissingReferences());
  EXPECT_EQ(r.missing.size(), 1u);
}

TEST(MappingApply, MissingRequiredFieldNamesTheTargetPath) {
  const Mapping m = load("  E:\n    for_each: lines\n    fields:\n      FQty: {expr: qty, required: true}\n");
  const auto r = m.apply(json::parse(R"({"lines":[{"qty":1},{"qty":null}]})"), context());
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].path, "E[1].FQty");
  EXPECT_EQ(r.problems[0].kind, "missing_required");
  EXPECT_NE(r.problems[0].message.find("qty gave null"), std::string::npos);
}

TEST(MappingApply, OptionalNullFieldsAreLeftOut) {
  const Mapping m = load("  A: a\n  B.C: b\n");
  EXPECT_EQ(m.apply(json{{"a", 1}}, context()).document, json::parse(R"({"A":1})"));
}

TEST(MappingApply, DefaultsFillNulls) {
  const Mapping m = load("  Rate: {expr: rate, type: \"decimal(18,6)\", default: 1}\n  Note: {expr: note, default: 无}\n");
  EXPECT_EQ(m.apply(json::object(), context()).document, json::parse(R"({"Note":"无","Rate":1})"));
}

TEST(MappingApply, ConstantValues) {
  const Mapping m = load("  FBillTypeID.FNUMBER: {value: XSDD01_SYS}\n  Code: {value: \"007\"}\n");
  EXPECT_EQ(m.apply(json::object(), context()).document,
            json::parse(R"({"Code":"007","FBillTypeID":{"FNUMBER":"XSDD01_SYS"}})"));
}

TEST(MappingApply, DecimalFieldsRoundHalfUpToTheirScale) {
  const Mapping m = load("  P: {expr: p, type: \"decimal(18,2)\"}\n  Q: {expr: q, type: \"decimal(18,2)\"}\n  R: {expr: r, type: \"decimal(18,2)\"}\n");
  const auto r = m.apply(json{{"p", 2.345}, {"q", "1.005"}, {"r", "12.00"}}, context());
  EXPECT_EQ(r.document["P"], 2.35);
  EXPECT_EQ(r.document["Q"], 1.01);
  EXPECT_TRUE(r.document["R"].is_number_integer());
  EXPECT_EQ(r.document["R"], 12);
}

TEST(MappingApply, DecimalThatDoesNotFitIsAConversionProblem) {
  const Mapping m = load("  P: {expr: p, type: \"decimal(5,2)\"}\n");
  const auto r = m.apply(json{{"p", 12345.6}}, context());
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].kind, "conversion");
  EXPECT_EQ(r.problems[0].source_value, 12345.6);
  EXPECT_NE(r.problems[0].message.find("does not fit decimal(5,2)"), std::string::npos);
}

TEST(MappingApply, IntFieldsRefuseFractions) {
  const Mapping m = load("  N: {expr: n, type: int}\n");
  EXPECT_EQ(m.apply(json{{"n", "42"}}, context()).document["N"], 42);
  const auto r = m.apply(json{{"n", 4.5}}, context());
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].kind, "conversion");
  EXPECT_EQ(r.problems[0].path, "N");
}

TEST(MappingApply, StringFieldsFormatNumbersExactly) {
  const Mapping m = load("  S: {expr: \"mul(a, b)\", type: string}\n");
  EXPECT_EQ(m.apply(json{{"a", "1.10"}, {"b", 3}}, context()).document["S"], "3.30");
}

TEST(MappingApply, BoolFieldsReadCommonSpellings) {
  const Mapping m = load("  A: {expr: a, type: bool}\n  B: {expr: b, type: bool}\n  C: {expr: c, type: bool}\n");
  EXPECT_EQ(m.apply(json{{"a", "TRUE"}, {"b", 0}, {"c", true}}, context()).document,
            json::parse(R"({"A":true,"B":false,"C":true})"));
}

TEST(MappingApply, DateAndDatetimeFieldsUseTheZone) {
  const Mapping m = load("  D: {expr: t, type: date}\n  T: {expr: t, type: datetime}\n  P: {expr: d, type: date}\n");
  const auto r = m.apply(json{{"t", "2024-04-30T18:30:00Z"}, {"d", "2024-05-01"}}, context());
  EXPECT_EQ(r.document, json::parse(R"({"D":"2024-05-01","P":"2024-05-01","T":"2024-05-01T02:30:00+08:00"})"));
}

TEST(MappingApply, TheMappingTimezoneWinsOverTheContext) {
  const Mapping m = load("  T: {expr: t, type: datetime}\n", "timezone: Europe/Berlin\n");
  MappingContext ctx = context();
  ctx.default_timezone = "America/New_York";
  EXPECT_EQ(m.apply(json{{"t", "2024-01-15 09:00"}}, ctx).document["T"], "2024-01-15T09:00:00+01:00");
}

TEST(MappingApply, TheContextZoneAppliesWhenTheMappingHasNone) {
  const Mapping m = load("  T: {expr: t, type: datetime}\n");
  MappingContext ctx = context();
  ctx.default_timezone = "America/New_York";
  EXPECT_EQ(m.apply(json{{"t", "2024-01-15 09:00"}}, ctx).document["T"], "2024-01-15T09:00:00-05:00");
}

TEST(MappingApply, NowComesFromTheContextClock) {
  const Mapping m = load("  At: now()\n");
  MappingContext ctx = context();
  ctx.now = [] { return hub::Millis(1714530600000); };
  EXPECT_EQ(m.apply(json::object(), ctx).document["At"], "2024-05-01T10:30:00+08:00");
}

TEST(MappingApply, RuntimeErrorsAreExpressionProblemsNamingTheFunction) {
  const Mapping m = load("  A: \"add(a, `1`)\"\n  B: b\n");
  const auto r = m.apply(json{{"a", "twelve"}, {"b", 2}}, context());
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].path, "A");
  EXPECT_EQ(r.problems[0].kind, "expression");
  EXPECT_NE(r.problems[0].message.find("add() argument 1"), std::string::npos) << r.problems[0].message;
  EXPECT_EQ(r.problems[0].source_value, "twelve");
  EXPECT_EQ(r.document["B"], 2);
}

TEST(MappingApply, MalformedRecordsNeverThrow) {
  const Mapping m = load(R"y(  A: {expr: "upper(name)", required: true}
  E:
    for_each: lines
    fields:
      Q: {expr: "mul(qty, price)", type: "decimal(18,2)"}
)y");
  for (const json& record : {json(nullptr), json("text"), json::array({1, 2}), json{{"lines", "oops"}},
                             json{{"name", 5}, {"lines", {1, nullptr, json::object(), json{{"qty", {}}}}}}}) {
    MappingResult r;
    EXPECT_NO_THROW(r = m.apply(record, context())) << record.dump();
    EXPECT_FALSE(r.ok()) << record.dump();
  }
}

TEST(MappingApply, ForEachOverANonArrayIsAConversionProblem) {
  const Mapping m = load("  E:\n    for_each: lines\n    fields:\n      Q: qty\n");
  const auto r = m.apply(json{{"lines", "oops"}}, context());
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].path, "E");
  EXPECT_EQ(r.problems[0].kind, "conversion");
}

TEST(MappingApply, OutputIsDeterministic) {
  const Mapping m = load("  Z: z\n  A: a\n  M.N: n\n");
  const json record = {{"z", 1}, {"a", 2}, {"n", 3}};
  EXPECT_EQ(m.apply(record, context()).document.dump(), m.apply(record, context()).document.dump());
  EXPECT_EQ(m.apply(record, context()).document.dump(), R"({"A":2,"M":{"N":3},"Z":1})");
}

TEST(MappingApply, ApplyIntoAReusedResultEqualsAFreshApply) {
  const Mapping m = load(R"y(  A: a
  B.C: c
  E:
    for_each: lines
    fields:
      Q: qty
      U: unit
)y");
  const json first = json::parse(R"({"a":1,"c":"x","lines":[{"qty":1,"unit":"箱"},{"qty":2},{"qty":3,"unit":"瓶"}]})");
  const json second = json::parse(R"({"a":"one","lines":[{"unit":"件"}]})");
  MappingResult reused;
  m.applyInto(first, context(), reused);
  m.applyInto(second, context(), reused);
  EXPECT_EQ(reused.document, m.apply(second, context()).document);
  m.applyInto(first, context(), reused);
  EXPECT_EQ(reused.document, m.apply(first, context()).document);
}

TEST(MappingApply, ApplyIntoClearsEarlierProblems) {
  const Mapping m = load("  A: {expr: a, required: true}\n");
  MappingResult r;
  m.applyInto(json::object(), context(), r);
  EXPECT_FALSE(r.ok());
  m.applyInto(json{{"a", 1}}, context(), r);
  EXPECT_TRUE(r.ok());
}

TEST(MappingApply, OneMappingServesManyThreads) {
  const Mapping m = load("  T: \"concat(a, '-', b)\"\n  E:\n    for_each: lines\n    fields:\n      Q: {expr: q, type: int}\n");
  std::vector<std::thread> threads;
  std::vector<int> wrong(4, 0);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        const json rec = {{"a", t}, {"b", i}, {"lines", {{{"q", i}}}}};
        const auto r = m.apply(rec, context());
        if (r.document["T"] != std::to_string(t) + "-" + std::to_string(i) || r.document["E"][0]["Q"] != i) ++wrong[t];
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong, std::vector<int>(4, 0));
}

TEST(MappingApply, TheBenchmarkOrderMapsCleanly) {
  const auto dir = hub::test::sourceDir() / "bench" / "mapping";
  auto m = MappingCatalog::loadFile((dir / "kingdee_sales_order.yaml").string());
  ASSERT_TRUE(m) << hub::formatAll(m.error());
  std::ifstream order(dir / "data" / "sales_order.json"), fixtures(dir / "data" / "xref.json");
  auto xref = FixtureXrefLookup::fromJson(json::parse(fixtures));
  ASSERT_TRUE(xref);
  const auto r = m->apply(json::parse(order), context(&*xref));
  ASSERT_TRUE(r.ok()) << r.problems[0].path << ": " << r.problems[0].message;
  EXPECT_EQ(r.document["FCustId"]["FNumber"], "CUST0881");
  EXPECT_EQ(r.document["FDate"], "2024-05-01 10:30:00");
  ASSERT_EQ(r.document["FSaleOrderEntry"].size(), 20u);
  EXPECT_EQ(r.document["FSaleOrderEntry"][0]["FMaterialId"]["FNumber"], "MAT01001");
  EXPECT_EQ(r.document["FSaleOrderEntry"][0]["FUnitID"]["FNumber"], "XIANG");
  EXPECT_EQ(r.document["FSaleOrderEntry"][0]["FEntryTaxRate"], 13);
  EXPECT_EQ(r.document["FSaleOrderEntry"][1]["FTaxPrice"], 15.85);
}

}  // namespace
