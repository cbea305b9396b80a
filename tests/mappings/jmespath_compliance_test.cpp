// The official JMESPath compliance suite (jmespath.test), one test per file.
#include <fstream>

#include <gtest/gtest.h>

#include "mappings/jmespath/jmespath.h"
#include "tests/support/paths.h"

namespace {

using hub::jmes::Json;

class Compliance : public ::testing::TestWithParam<const char*> {};

std::string describeCase(const std::string& file, std::size_t group, const Json& c) {
  return file + " group " + std::to_string(group) + ": " + c.at("expression").get<std::string>();
}

TEST_P(Compliance, EveryCaseOfTheFilePasses) {
  HUB_REQUIRE_SHARED(shared);
  const auto path = shared / "testdata" / "jmespath-compliance" / GetParam();
  std::ifstream in(path);
  ASSERT_TRUE(in) << "cannot read " << path;
  const Json suite = Json::parse(in);
  std::size_t cases = 0;
  for (std::size_t g = 0; g < suite.size(); ++g) {
    const Json& given = suite[g].at("given");
    for (const Json& c : suite[g].at("cases")) {
      ++cases;
      const std::string expr = c.at("expression").get<std::string>();
      auto compiled = hub::jmes::compile(expr);
      if (c.contains("error")) {
        const std::string want = c.at("error").get<std::string>();
        if (!compiled) {
          EXPECT_EQ(hub::jmes::errorKindName(compiled.error().kind), want) << describeCase(GetParam(), g, c);
          continue;
        }
        auto r = compiled->search(given);
        ASSERT_FALSE(r.has_value()) << describeCase(GetParam(), g, c) << " gave " << r->dump() << ", want error " << want;
        EXPECT_EQ(hub::jmes::errorKindName(r.error().kind), want) << describeCase(GetParam(), g, c);
        continue;
      }
      ASSERT_TRUE(compiled.has_value()) << describeCase(GetParam(), g, c) << ": " << compiled.error().format();
      auto r = compiled->search(given);
      ASSERT_TRUE(r.has_value()) << describeCase(GetParam(), g, c) << ": " << r.error().format();
      if (!c.contains("result")) continue;  // benchmarks.json: must evaluate, no expected value
      EXPECT_EQ(*r, c.at("result")) << describeCase(GetParam(), g, c) << "\n got " << r->dump() << "\nwant "
                                    << c.at("result").dump();
    }
  }
  EXPECT_GT(cases, 0u);
  RecordProperty("cases", static_cast<int>(cases));
}

INSTANTIATE_TEST_SUITE_P(JmespathCompliance, Compliance,
                         ::testing::Values("basic.json", "benchmarks.json", "boolean.json", "current.json",
                                           "escape.json", "filters.json", "functions.json", "identifiers.json",
                                           "indices.json", "literal.json", "multiselect.json", "pipe.json",
                                           "slice.json", "syntax.json", "unicode.json", "wildcard.json"),
                         [](const auto& info) {
                           std::string n = info.param;
                           return n.substr(0, n.find('.'));
                         });

}  // namespace
