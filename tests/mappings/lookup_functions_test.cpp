// map_value, xref, coalesce, default, uuid5, root/parent/index.
#include "tests/mappings/hub_eval.h"

namespace {

using hub::mapping::test::HubEval;
using nlohmann::json;
using hub::jmes::ErrorKind;

HubEval withTables() {
  HubEval ev;
  ev.tables["units"] = {{"箱", "XIANG"}, {"瓶", "PING"}};
  ev.tables["status"] = {{"1", "open"}, {"true", "yes"}};
  return ev;
}

TEST(MapValueFunction, TranslatesACode) {
  HubEval ev = withTables();
  EXPECT_EQ(ev.value("map_value('units', unit)", json{{"unit", "箱"}}), "XIANG");
  EXPECT_TRUE(ev.problems.empty());
}

TEST(MapValueFunction, NumbersAndBooleansLookUpByTheirText) {
  HubEval ev = withTables();
  EXPECT_EQ(ev.value("map_value('status', `1`)"), "open");
  EXPECT_EQ(ev.value("map_value('status', `true`)"), "yes");
}

TEST(MapValueFunction, UnknownCodeIsAProblemNotASilentNull) {
  HubEval ev = withTables();
  EXPECT_EQ(ev.value("map_value('units', '吨')"), nullptr);
  ASSERT_EQ(ev.problems.size(), 1u);
  EXPECT_EQ(ev.problems[0].kind, "unknown_code");
  EXPECT_EQ(ev.problems[0].source_value, "吨");
  EXPECT_NE(ev.problems[0].message.find("value table 'units'"), std::string::npos);
}

TEST(MapValueFunction, DefaultCoversUnknownCodes) {
  HubEval ev = withTables();
  EXPECT_EQ(ev.value("map_value('units', '吨', 'OTHER')"), "OTHER");
  EXPECT_TRUE(ev.problems.empty());
}

TEST(MapValueFunction, NullKeyGivesNullWithoutAProblem) {
  HubEval ev = withTables();
  EXPECT_EQ(ev.value("map_value('units', missing)"), nullptr);
  EXPECT_TRUE(ev.problems.empty());
}

TEST(MapValueFunction, ObjectKeyIsInvalidType) {
  HubEval ev = withTables();
  EXPECT_EQ(ev.error("map_value('units', @)").kind, ErrorKind::InvalidType);
}

TEST(XrefFunction, ResolvesTheRemoteIdByDefault) {
  HubEval ev;
  ev.xref.add("product", "kingdee", "SKU-1", {"100231", "MAT-0001"});
  EXPECT_EQ(ev.value("xref('product', 'kingdee', sku)", json{{"sku", "SKU-1"}}), "100231");
}

TEST(XrefFunction, FourthArgumentChoosesTheNumber) {
  HubEval ev;
  ev.xref.add("product", "kingdee", "SKU-1", {"100231", "MAT-0001"});
  EXPECT_EQ(ev.value("xref('product', 'kingdee', sku, 'number')", json{{"sku", "SKU-1"}}), "MAT-0001");
}

TEST(XrefFunction, NumericIdsLookUpByTheirText) {
  HubEval ev;
  ev.xref.add("customer", "sap", "881", {"0000100881", ""});
  EXPECT_EQ(ev.value("xref('customer', 'sap', `881`)"), "0000100881");
}

TEST(XrefFunction, UnresolvedIsAProblemAndAMissingReference) {
  HubEval ev;
  EXPECT_EQ(ev.value("xref('product', 'kingdee', 'SKU-404')"), nullptr);
  ASSERT_EQ(ev.problems.size(), 1u);
  EXPECT_EQ(ev.problems[0].kind, "unresolved_reference");
  EXPECT_EQ(ev.problems[0].source_value, "SKU-404");
  ASSERT_EQ(ev.missing.size(), 1u);
  EXPECT_EQ(ev.missing[0], (hub::mapping::MissingReference{"product", "kingdee", "SKU-404"}));
}

TEST(XrefFunction, NullIdGivesNullWithoutAProblem) {
  HubEval ev;
  EXPECT_EQ(ev.value("xref('product', 'kingdee', missing)"), nullptr);
  EXPECT_TRUE(ev.problems.empty());
}

TEST(XrefFunction, FourthArgumentMustBeIdOrNumber) {
  HubEval ev;
  ev.xref.add("product", "kingdee", "A", {"1", "2"});
  EXPECT_EQ(ev.error("xref('product', 'kingdee', 'A', w)", json{{"w", "code"}}).kind, ErrorKind::InvalidValue);
}

TEST(XrefFunction, NeedsAMappingContext) {
  auto e = hub::jmes::compile("xref('a', 'b', 'c')", hub::mapping::hubFunctions());
  ASSERT_TRUE(e);
  auto r = e->search(json::object());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("only available inside a mapping"), std::string::npos);
}

TEST(CoalesceFunction, SkipsNullsAndEmptyText) {
  HubEval ev;
  EXPECT_EQ(ev.value("coalesce(a, b, c)", json{{"a", nullptr}, {"b", ""}, {"c", "x"}}), "x");
  EXPECT_EQ(ev.value("coalesce(a, b)", json{{"b", 0}}), 0);
  EXPECT_EQ(ev.value("coalesce(a)"), nullptr);
}

TEST(DefaultFunction, ReplacesNullOrEmptyText) {
  HubEval ev;
  EXPECT_EQ(ev.value("default(remark, '无')", json{{"remark", ""}}), "无");
  EXPECT_EQ(ev.value("default(remark, '无')", json{{"remark", "急"}}), "急");
  EXPECT_EQ(ev.value("default(qty, `0`)"), 0);
}

TEST(Uuid5Function, MatchesRfc4122NameBasedUuids) {
  HubEval ev;
  EXPECT_EQ(ev.value("uuid5('dns', 'python.org')"), "886313e1-3b8a-5372-9b90-0c9aee199e5d");
  EXPECT_EQ(ev.value("uuid5('url', 'dms:customer:C-000881')"), "b4561d67-0341-57d6-830f-3d079ef31843");
}

TEST(Uuid5Function, AcceptsAUuidNamespaceAndNumericNames) {
  HubEval ev;
  EXPECT_EQ(ev.value("uuid5('6ba7b811-9dad-11d1-80b4-00c04fd430c8', `42`)"), "5c2b23de-4bad-58ee-a4b3-f22f3b9cfd7d");
}

TEST(Uuid5Function, BadNamespaceIsInvalidValue) {
  HubEval ev;
  EXPECT_EQ(ev.error("uuid5(ns, 'x')", json{{"ns", "not-a-uuid"}}).kind, ErrorKind::InvalidValue);
}

TEST(RootFunction, GivesTheWholeRecord) {
  HubEval ev;
  EXPECT_EQ(ev.value("lines[0] | root().no", json::parse(R"({"no":"SO-1","lines":[{"q":1}]})")), "SO-1");
}

TEST(IndexFunction, IsNullOutsideForEach) {
  HubEval ev;
  EXPECT_EQ(ev.value("index()"), nullptr);
  EXPECT_EQ(ev.value("parent()"), nullptr);
}

}  // namespace
