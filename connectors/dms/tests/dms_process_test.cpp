// `hub-sim dms` as a real process.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/child_process.h"
#include "tests/support/http_client.h"
#include "tests/support/paths.h"

namespace hub::test {
namespace {

std::string hubSim() { return (binaryDir() / "connectors" / "sim" / "hub-sim").string(); }

TEST(DmsProcess, SeededSimulatorServesDealerDataUntilTerminated) {
  ChildProcess sim({hubSim(), "dms", "--port", "0", "--seed", "3"});
  const auto url = sim.waitForLine("http://");
  ASSERT_TRUE(url) << sim.stderrText();
  const auto res = httpRequest("GET", *url + "/api/v1/customers?limit=2", "", {{"Authorization", "Bearer dms-sim-token"}});
  ASSERT_EQ(res.status, 200);
  const auto body = nlohmann::json::parse(res.body);
  EXPECT_EQ(body["data"].size(), 2u);
  EXPECT_FALSE(body["next_cursor"].is_null());
  sim.signal(15);
  EXPECT_EQ(sim.wait(), 0);
  EXPECT_NE(sim.stderrText().find("orders=2000"), std::string::npos) << sim.stderrText();
}

TEST(DmsProcess, WebhookUrlWithoutASecretIsRefused) {
  ChildProcess sim({hubSim(), "dms", "--port", "0", "--webhook-url", "http://127.0.0.1:9/hooks"});
  EXPECT_EQ(sim.wait(), 1);
  EXPECT_NE(sim.stderrText().find("--webhook-secret"), std::string::npos);
}

}  // namespace
}  // namespace hub::test
