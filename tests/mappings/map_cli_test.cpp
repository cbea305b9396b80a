// `hub map eval|test|check` through the real binary: output and exit codes.
#include <gtest/gtest.h>

#include "tests/support/child_process.h"
#include "tests/support/paths.h"
#include "tests/support/temp_dir.h"

namespace {

using hub::test::ChildProcess;
using hub::test::TempDir;

struct CliRun {
  int code = -1;
  std::string out, err;
};

CliRun hub(std::vector<std::string> args) {
  args.insert(args.begin(), hub::test::hubBinary());
  ChildProcess p(args);
  CliRun r;
  r.code = p.wait().value_or(-1);
  r.out = p.stdoutText();
  r.err = p.stderrText();
  return r;
}

const char* kMapping = R"y(name: orders
version: "3"
source: {system: dms, entity: sales_order}
target: {system: kingdee, entity: SAL_SaleOrder}
tables:
  units: {箱: XIANG}
fields:
  FBillNo: {expr: no, required: true}
  FDate: {expr: "date_format(now(), '%Y-%m-%d')"}
  FSaleOrderEntry:
    for_each: lines
    fields:
      FMaterialId.FNumber: "xref('product', 'kingdee', sku, 'number')"
      FUnitID.FNumber: "map_value('units', unit)"
      FQty: {expr: qty, type: "decimal(18,4)"}
)y";

const char* kRecord = R"({"no":"SO-1","lines":[{"sku":"SKU-1","unit":"箱","qty":"2.50"}]})";
const char* kXref = R"({"product":{"kingdee":{"SKU-1":{"id":"100231","number":"MAT-0001"}}}})";

TEST(MapEvalCommand, PrintsTheResultAsJson) {
  TempDir dir;
  const auto input = dir.write("doc.json", R"({"a":{"b":[1,2,3]}})");
  const CliRun r = hub({"map", "eval", "a.b[-1]", "--input", input});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "3\n");
}

TEST(MapEvalCommand, ReadsStandardInputWithoutInputOption) {
  TempDir dir;
  const auto input = dir.write("doc.json", R"({"price":"0.1","tax":"0.2"})");
  ChildProcess p({"/bin/sh", "-c", "\"$0\" map eval 'add(price, tax)' < \"$1\"", hub::test::hubBinary(), input});
  EXPECT_EQ(p.wait().value_or(-1), 0) << p.stderrText();
  EXPECT_EQ(p.stdoutText(), "0.3\n");
}

TEST(MapEvalCommand, SyntaxErrorPrintsKindAndColumnAndExitsOne) {
  TempDir dir;
  const auto input = dir.write("doc.json", "{}");
  const CliRun r = hub({"map", "eval", "foo.]", "--input", input});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("syntax: expected a name"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("  foo.]\n      ^"), std::string::npos) << r.err;
}

TEST(MapEvalCommand, RuntimeTypeErrorPrintsKindAndExitsOne) {
  TempDir dir;
  const auto input = dir.write("doc.json", R"({"name":"x"})");
  const CliRun r = hub({"map", "eval", "abs(name)", "--input", input});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("invalid-type: abs() argument 1: expected number, got string"), std::string::npos) << r.err;
}

TEST(MapEvalCommand, UnknownFunctionExitsOne) {
  TempDir dir;
  const auto input = dir.write("doc.json", "{}");
  const CliRun r = hub({"map", "eval", "uper('a')", "--input", input});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("unknown-function: unknown function uper()"), std::string::npos) << r.err;
}

TEST(MapEvalCommand, InvalidJsonInputExitsOne) {
  TempDir dir;
  const auto input = dir.write("doc.json", "{not json");
  const CliRun r = hub({"map", "eval", "a", "--input", input});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("is not JSON"), std::string::npos) << r.err;
}

TEST(MapEvalCommand, MissingExpressionIsAUsageError) {
  EXPECT_EQ(hub({"map", "eval"}).code, 2);
}

TEST(MapTestCommand, PrintsTheMappedDocument) {
  TempDir dir;
  const CliRun r = hub({"map", "test", "--mapping", dir.write("m.yaml", kMapping), "--input", dir.write("r.json", kRecord),
                     "--xref", dir.write("x.json", kXref), "--now", "2024-05-01T10:00:00+08:00", "--compact"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_EQ(r.out,
            "{\"FBillNo\":\"SO-1\",\"FDate\":\"2024-05-01\",\"FSaleOrderEntry\":[{\"FMaterialId\":{\"FNumber\":\"MAT-0001\"},"
            "\"FQty\":2.5,\"FUnitID\":{\"FNumber\":\"XIANG\"}}]}\n");
}

TEST(MapTestCommand, ProblemsArePrintedAndExitOne) {
  TempDir dir;
  const CliRun r = hub({"map", "test", "--mapping", dir.write("m.yaml", kMapping), "--input", dir.write("r.json", kRecord)});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("FSaleOrderEntry[0].FMaterialId.FNumber: unresolved_reference:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("park the record"), std::string::npos) << r.out;
}

TEST(MapTestCommand, JsonOutputCarriesProblemsAndMissingReferences) {
  TempDir dir;
  const CliRun r = hub({"map", "test", "--mapping", dir.write("m.yaml", kMapping), "--input", dir.write("r.json", kRecord),
                     "--json", "--compact"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find(R"("missing":[{"entity":"product","id":"SKU-1","system":"kingdee"}])"), std::string::npos) << r.out;
}

TEST(MapTestCommand, ABrokenMappingExitsTwoWithLocations) {
  TempDir dir;
  std::string broken = kMapping;
  broken.replace(broken.find("map_value"), 9, "map_valeu");
  const auto mapping = dir.write("m.yaml", broken);
  const CliRun r = hub({"map", "test", "--mapping", mapping, "--input", dir.write("r.json", kRecord)});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find(mapping + ":14:25: field 'FSaleOrderEntry[].FUnitID.FNumber': unknown function map_valeu()"),
            std::string::npos)
      << r.err;
}

TEST(MapTestCommand, MappingOptionIsRequired) {
  EXPECT_EQ(hub({"map", "test", "--input", "x.json"}).code, 2);
}

TEST(MapCheckCommand, AValidDirectoryExitsZero) {
  TempDir dir;
  dir.write("orders.yaml", kMapping);
  const CliRun r = hub({"map", "check", dir.path().string()});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("OK — 1 mapping: orders"), std::string::npos) << r.out;
}

TEST(MapCheckCommand, ProblemsExitTwoWithEveryLocation) {
  TempDir dir;
  dir.write("a.yaml", std::string(kMapping).replace(std::string(kMapping).find("FBillNo: {expr: no"), 18, "FBillNo: {expr: no."));
  dir.write("b.yaml", "name: b\nversion: 1\n");
  const CliRun r = hub({"map", "check", dir.path().string()});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find(dir.file("a.yaml") + ":8:22:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(dir.file("b.yaml") + ":1:1: missing 'source'"), std::string::npos) << r.err;
}

TEST(MapCheckCommand, TheShippedBenchmarkMappingIsValid) {
  const CliRun r = hub({"map", "check", (hub::test::sourceDir() / "bench" / "mapping").string()});
  EXPECT_EQ(r.code, 0) << r.err;
}

}  // namespace
