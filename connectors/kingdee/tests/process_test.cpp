// `hub-sim kingdee` as a process: prints its URL, serves the protocol, stops on SIGTERM.
#include <gtest/gtest.h>
#include <signal.h>

#include "connectors/kingdee/kingdee_connector.h"
#include "tests/support/child_process.h"
#include "tests/support/paths.h"

namespace hub::connector::kingdee {
namespace {

TEST(HubSimProcess, KingdeeSimulatorServesSeededDataAndStopsOnSigterm) {
  test::ChildProcess child({(test::binaryDir() / "connectors" / "sim" / "hub-sim").string(), "kingdee", "--port", "0",
                            "--seed", "3"});
  const auto line = child.waitForLine("http://");
  ASSERT_TRUE(line) << child.stderrText();
  std::string url = *line;
  while (!url.empty() && (url.back() == '\n' || url.back() == '\r')) url.pop_back();
  ConnectorContext ctx;
  auto conn = connectorType().create(ctx, {{"base_url", url}, {"acct_id", "65a1b2c3d4e5f6"}, {"username", "dms_api"},
                                           {"password", "Kingdee@2024"}});
  auto source = conn->openSource("BD_Customer", nlohmann::json::object());
  const Page page = source->pull({0, "", 50});
  EXPECT_EQ(page.records.size(), 50u);
  EXPECT_FALSE(page.done);
  child.signal(SIGTERM);
  EXPECT_EQ(child.wait(std::chrono::seconds(10)), 0);
}

TEST(HubSimProcess, UnknownSystemIsAUsageError) {
  test::ChildProcess child({(test::binaryDir() / "connectors" / "sim" / "hub-sim").string(), "sap", "--port", "0"});
  EXPECT_EQ(child.wait(std::chrono::seconds(10)), 64);
}

}  // namespace
}  // namespace hub::connector::kingdee
