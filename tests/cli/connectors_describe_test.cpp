// `hub connectors describe` tells what the configuration reader will accept:
// the registered types and their settings, from the specs themselves.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "connectors/spi/registry.h"
#include "tests/support/child_process.h"
#include "tests/support/paths.h"

namespace hub::test {
namespace {
using nlohmann::json;

json describeJson(std::vector<std::string> args) {
  std::vector<std::string> argv = {hubBinary(), "connectors", "describe", "--json"};
  argv.insert(argv.end(), args.begin(), args.end());
  ChildProcess hub(argv);
  EXPECT_EQ(hub.wait(), 0) << hub.stderrText();
  return json::parse(hub.stdoutText(), nullptr, false);
}

const json* setting(const json& settings, const std::string& name) {
  for (const auto& s : settings)
    if (s["name"] == name) return &s;
  return nullptr;
}

TEST(ConnectorsDescribeTest, TextListsEveryRegisteredType) {
  ChildProcess hub({hubBinary(), "connectors", "describe"});
  ASSERT_EQ(hub.wait(), 0) << hub.stderrText();
  const std::string out = hub.stdoutText();
  for (const auto& name : connector::builtinConnectors().names())
    EXPECT_NE(out.find("\n" + name + ": "), std::string::npos) << name << " missing from:\n" << out;
}

TEST(ConnectorsDescribeTest, TextShowsTypeDefaultRangeAndDoc) {
  ChildProcess hub({hubBinary(), "connectors", "describe", "rest"});
  ASSERT_EQ(hub.wait(), 0) << hub.stderrText();
  EXPECT_NE(hub.stdoutText().find("    timeout  duration, default 30s, from 100ms to 1h\n"
                                  "        whole call, connect to last byte\n"),
            std::string::npos)
      << hub.stdoutText();
}

TEST(ConnectorsDescribeTest, JsonOfOneTypeHasEveryTopLevelSettingOfItsSpec) {
  const json doc = describeJson({"dms"});
  ASSERT_EQ(doc["types"].size(), 1u);
  const auto& type = *connector::builtinConnectors().find("dms");
  for (const auto& f : type.settings) EXPECT_TRUE(setting(doc["types"][0]["settings"], f.name)) << f.name;
}

TEST(ConnectorsDescribeTest, JsonGivesRequiredSecretDefaultAndRange) {
  const json doc = describeJson({"dms"});
  const json* batch = setting(doc["types"][0]["settings"], "batch_size");
  ASSERT_TRUE(batch);
  EXPECT_EQ((*batch)["default"], 100);
  EXPECT_EQ((*batch)["min"], 1);
  EXPECT_EQ((*batch)["max"], 100);
  const json* token = setting(doc["types"][0]["settings"], "token");
  ASSERT_TRUE(token);
  EXPECT_TRUE((*token)["secret"].get<bool>());
  EXPECT_TRUE((*setting(doc["types"][0]["settings"], "base_url"))["required"].get<bool>());
}

TEST(ConnectorsDescribeTest, JsonNamesMembersOfABlockWithDots) {
  const json doc = describeJson({"rest"});
  const json* authType = setting(doc["types"][0]["settings"], "auth.type");
  ASSERT_TRUE(authType);
  EXPECT_EQ((*authType)["choices"].size(), 5u);
}

TEST(ConnectorsDescribeTest, JsonCarriesTheSettingsEveryInstanceTakes) {
  const json doc = describeJson({});
  const json* perSecond = setting(doc["common_settings"], "rate_limit.per_second");
  ASSERT_TRUE(perSecond);
  EXPECT_EQ((*perSecond)["min"], 0.01);
}

TEST(ConnectorsDescribeTest, UnknownTypeIsAUsageErrorWithASuggestion) {
  ChildProcess hub({hubBinary(), "connectors", "describe", "kingde"});
  EXPECT_EQ(hub.wait(), 2);
  EXPECT_NE(hub.stderrText().find("unknown connector type 'kingde' (did you mean 'kingdee'?)"), std::string::npos)
      << hub.stderrText();
}

}  // namespace
}  // namespace hub::test
