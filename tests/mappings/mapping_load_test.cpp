// Loading mapping documents: every broken fixture is reported with the
// expected message at the expected file:line:column.
#include <gtest/gtest.h>

#include "mappings/engine/mapping.h"
#include "tests/support/paths.h"
#include "tests/support/temp_dir.h"

namespace {

using hub::mapping::MappingCatalog;

struct Broken {
  const char* file;
  int line, column;
  const char* message;
};

std::ostream& operator<<(std::ostream& os, const Broken& b) { return os << b.file; }

const Broken kBroken[] = {
    {"01_syntax_error.yaml", 6, 22, R"(field 'FBillNo': expected a name, '[', '{' or '*' after '.', got end of expression [syntax])"},
    {"02_unknown_function.yaml", 7, 11, R"(field 'FNote': unknown function uper() (did you mean 'upper'?) [unknown-function])"},
    {"03_unknown_table.yaml", 8, 31, R"(field 'FUnitID.FNumber': unknown value table 'unit' (did you mean 'units'?) [invalid-value])"},
    {"04_wrong_argument_count.yaml", 6, 18, R"(field 'FName': substr() takes 2 to 3 arguments, got 1 [invalid-arity])"},
    {"05_type_conflict_field.yaml", 6, 16, R"(field 'FQty': type conflict: the field is decimal(18,4) but the expression always gives array)"},
    {"06_type_conflict_argument.yaml", 6, 23, R"(field 'FFlag': type conflict: starts_with() argument 1 must be string, but this is always number [invalid-type])"},
    {"07_unknown_field_key.yaml", 8, 5, R"(unknown key 'requird' in field 'FBillNo' (did you mean 'required'?))"},
    {"08_unknown_top_level_key.yaml", 5, 1, R"(unknown key 'tabels' in mapping document (did you mean 'tables'?))"},
    {"09_missing_name.yaml", 1, 1, R"(missing 'name')"},
    {"10_invalid_yaml.yaml", 7, 8, R"(invalid YAML: end of sequence flow not found)"},
    {"11_unknown_type.yaml", 6, 27, R"(field 'FQty': unknown type 'integer' (string, int, decimal(p,s), bool, date, datetime))"},
    {"12_bad_default.yaml", 6, 41, R"('default' of field 'FQty': "abc" is not a number)"},
    {"13_value_and_object.yaml", 7, 3, R"(target field 'FCustId' is already a value at line 6; it cannot also hold nested fields)"},
    {"14_for_each_without_fields.yaml", 7, 5, R"(for_each 'FSaleOrderEntry' needs 'fields': the fields of each element)"},
    {"15_expr_and_value.yaml", 6, 49, R"(field 'FBillTypeID.FNUMBER' has both 'expr' and 'value'; keep one)"},
    {"16_unknown_timezone.yaml", 5, 11, R"(unknown time zone 'Asia/Shangai' (an IANA name like Asia/Shanghai))"},
    {"17_bad_date_pattern.yaml", 6, 35, R"(field 'FDate': date_format() pattern: unknown pattern letter %Q (use %Y %y %m %d %H %M %S %f %j %z %:z %Z %F %T %s %%) [invalid-value])"},
    {"18_block_scalar_error.yaml", 8, 34, R"(field 'FReceiveAddress': unexpected ',' [syntax])"},
    {"19_bad_xref_kind.yaml", 6, 62, R"(field 'FCustId.FNumber': xref() argument 4 must be 'id' or 'number', got 'code' [invalid-value])"},
    {"20_scale_above_precision.yaml", 6, 31, R"(field 'FPrice': decimal scale must be 0 to 18 and at most the precision)"},
    {"21_duplicate_key.yaml", 6, 21, R"(duplicate key 'expr' in field 'FQty')"},
    {"22_for_each_not_array.yaml", 7, 15, R"(type conflict: for_each of 'FSaleOrderEntry' must give an array, but the expression always gives number)"},
    {"23_nested_line_error.yaml", 10, 29, R"(field 'FSaleOrderEntry[].FMaterialId.FNumber': xref() takes 3 to 4 arguments, got 2 [invalid-arity])"},
};

std::string fixture(const std::string& name) {
  return (hub::test::sourceDir() / "tests" / "mappings" / "fixtures" / "broken" / name).string();
}

class BrokenMapping : public ::testing::TestWithParam<Broken> {};

TEST_P(BrokenMapping, IsRejectedWithMessageAndLocation) {
  const Broken& b = GetParam();
  const std::string path = fixture(b.file);
  auto m = MappingCatalog::loadFile(path);
  ASSERT_FALSE(m.has_value()) << b.file << " loaded";
  ASSERT_EQ(m.error().size(), 1u) << hub::formatAll(m.error());
  const hub::Problem& p = m.error().front();
  EXPECT_EQ(p.where.file, path);
  EXPECT_EQ(p.where.line, b.line) << p.format();
  EXPECT_EQ(p.where.column, b.column) << p.format();
  EXPECT_EQ(p.message, b.message);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, BrokenMapping, ::testing::ValuesIn(kBroken), [](const auto& info) {
  std::string n = info.param.file;
  n = n.substr(0, n.find('.'));
  for (auto& c : n)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return n;
});

const char* kHeader = R"(name: orders
version: "7"
source: {system: dms, entity: sales_order}
target: {system: kingdee, entity: SAL_SaleOrder}
)";

TEST(MappingLoad, EveryProblemOfAFileIsReported) {
  auto m = MappingCatalog::loadString(std::string(kHeader) + R"y(fields:
  A: "uper(x)"
  B: {expr: y, type: float}
  C: "map_value('nope', z)"
)y",
                                      "m.yaml");
  ASSERT_FALSE(m);
  ASSERT_EQ(m.error().size(), 3u) << hub::formatAll(m.error());
  EXPECT_EQ(m.error()[0].where.line, 6);
  EXPECT_EQ(m.error()[1].where.line, 7);
  EXPECT_EQ(m.error()[2].where.line, 8);
}

TEST(MappingLoad, AGoodDocumentExposesItsIdentity) {
  auto m = MappingCatalog::loadString(std::string(kHeader) + "fields:\n  FBillNo: order_no\n", "m.yaml");
  ASSERT_TRUE(m) << hub::formatAll(m.error());
  EXPECT_EQ(m->name(), "orders");
  EXPECT_EQ(m->version(), "7");
  EXPECT_EQ(m->source().system, "dms");
  EXPECT_EQ(m->source().entity, "sales_order");
  EXPECT_EQ(m->target().system, "kingdee");
  EXPECT_EQ(m->target().entity, "SAL_SaleOrder");
}

TEST(MappingLoad, MissingFileIsAProblemNotACrash) {
  auto m = MappingCatalog::loadFile("/nonexistent/mapping.yaml");
  ASSERT_FALSE(m);
  EXPECT_NE(m.error()[0].message.find("cannot read"), std::string::npos);
}

// Found by fuzz/mapping_yaml.cpp (fuzz/crashers/mapping_yaml/empty-document).
TEST(MappingLoad, AnEmptyDocumentIsReportedAtTheStartOfTheFile) {
  auto m = MappingCatalog::loadString("", "empty.yaml");
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error()[0].format().rfind("empty.yaml:1:1: a mapping document must be a YAML mapping", 0), 0u)
      << m.error()[0].format();
  for (const char* text : {"# only a comment\n", "---\n", "...\n"}) {
    auto other = MappingCatalog::loadString(text, "empty.yaml");
    ASSERT_FALSE(other) << text;
    EXPECT_GE(other.error()[0].where.line, 1) << text;
    EXPECT_GE(other.error()[0].where.column, 1) << text;
  }
}

TEST(MappingCatalogLoad, LoadsEveryYamlFileOfADirectory) {
  hub::test::TempDir dir;
  dir.write("a.yaml", std::string(kHeader) + "fields:\n  X: x\n");
  std::string other = kHeader;
  other.replace(other.find("orders"), 6, "customers");
  dir.write("b.yml", other + "fields:\n  X: x\n");
  dir.write("notes.txt", "not a mapping");
  auto c = MappingCatalog::loadDirectory(dir.path().string());
  ASSERT_TRUE(c) << hub::formatAll(c.error());
  EXPECT_EQ(c->names(), (std::vector<std::string>{"customers", "orders"}));
  ASSERT_NE(c->find("orders"), nullptr);
  EXPECT_EQ(c->find("nope"), nullptr);
}

TEST(MappingCatalogLoad, ReportsProblemsOfAllFilesTogether) {
  hub::test::TempDir dir;
  dir.write("a.yaml", std::string(kHeader) + "fields:\n  X: \"uper(x)\"\n");
  dir.write("b.yaml", std::string(kHeader) + "fields:\n  X: \"lenght(x)\"\n");
  auto c = MappingCatalog::loadDirectory(dir.path().string());
  ASSERT_FALSE(c);
  ASSERT_EQ(c.error().size(), 2u);
  EXPECT_EQ(c.error()[0].where.file, dir.file("a.yaml"));
  EXPECT_EQ(c.error()[1].where.file, dir.file("b.yaml"));
}

TEST(MappingCatalogLoad, DuplicateMappingNamesAreAProblem) {
  hub::test::TempDir dir;
  dir.write("a.yaml", std::string(kHeader) + "fields:\n  X: x\n");
  dir.write("b.yaml", std::string(kHeader) + "fields:\n  Y: y\n");
  auto c = MappingCatalog::loadDirectory(dir.path().string());
  ASSERT_FALSE(c);
  EXPECT_NE(c.error()[0].message.find("mapping name 'orders' is already used by"), std::string::npos);
}

TEST(MappingCatalogLoad, TheBenchmarkMappingIsValid) {
  auto m = MappingCatalog::loadFile((hub::test::sourceDir() / "bench" / "mapping" / "kingdee_sales_order.yaml").string());
  EXPECT_TRUE(m) << (m ? "" : hub::formatAll(m.error()));
}

}  // namespace
