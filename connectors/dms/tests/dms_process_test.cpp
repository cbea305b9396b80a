// `hub-sim dms` as a real process.
#include <gtest/gtest.h>

#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "connectors/dms/standard_webhooks.h"
#include "hub/core/time.h"
#include "hub/http/server.h"

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

TEST(DmsProcess, PlacedOrdersReachTheWebhookUrlSigned) {
  const std::string secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  std::mutex mutex;
  std::vector<http::Request> received;
  auto router = std::make_shared<http::Router>();
  router->add({"POST", "/hooks", "", "", ""}, [&](http::Request& r) {
    std::lock_guard lock(mutex);
    received.push_back(r);
    return http::Response::text(204, "");
  });
  http::HttpServer receiver(http::ServerOptions{}, router);
  receiver.start();
  const std::string hookUrl = "http://127.0.0.1:" + std::to_string(receiver.port()) + "/hooks";
  ChildProcess sim({hubSim(), "dms", "--port", "0", "--seed", "2", "--webhook-url", hookUrl, "--webhook-secret", secret});
  const auto url = sim.waitForLine("http://");
  ASSERT_TRUE(url) << sim.stderrText();
  ASSERT_EQ(httpRequest("POST", *url + "/__sim/orders", R"({"count":2})").status, 200);
  for (int i = 0; i < 100; ++i) {  // bounded wait for two deliveries
    {
      std::lock_guard lock(mutex);
      if (received.size() >= 2) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::lock_guard lock(mutex);
  ASSERT_EQ(received.size(), 2u);
  for (const auto& r : received) {
    EXPECT_TRUE(connector::dms::verifyWebhook(secret, r.header("webhook-id"), r.header("webhook-timestamp"),
                                              r.header("webhook-signature"), r.body, nowMillis() / 1000));
    EXPECT_EQ(nlohmann::json::parse(r.body)["type"], "order.created");
  }
}

TEST(DmsProcess, WebhookUrlWithoutASecretIsRefused) {
  ChildProcess sim({hubSim(), "dms", "--port", "0", "--webhook-url", "http://127.0.0.1:9/hooks"});
  EXPECT_EQ(sim.wait(), 1);
  EXPECT_NE(sim.stderrText().find("--webhook-secret"), std::string::npos);
}

}  // namespace
}  // namespace hub::test
