#pragma once
// The hub as `hub serve` assembles it, in process: a real engine on a real
// SQLite file, the daemon's router (admin API + webhooks) behind the real
// HttpServer on a loopback port, Prometheus metrics, and the daemon's reload.
// Flow "orders" reads an in-memory source and delivers to a REST system over
// loopback with a bearer secret; it also takes signed webhooks. Flow "idle"
// only exists (pause, resume, reset act on it). Log lines are captured.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "hub/api/admin_api.h"
#include "hub/api/auth.h"
#include "hub/api/metrics.h"
#include "hub/http/server.h"
#include "hub/webhooks/intake.h"
#include "tests/doubles/memory_system.h"
#include "tests/doubles/rest_system.h"
#include "tests/support/http_client.h"
#include "tests/support/temp_dir.h"

namespace hub::api::test {

using hub::test::HttpResult;
using nlohmann::json;

// Secrets the configuration holds; none may ever leave the hub.
extern const std::string kErpToken;       // the REST target's bearer token
extern const std::string kWebhookSecret;  // the orders webhook's signing secret

// One request a route answers with success, built on the fixture's objects.
struct Call {
  std::string path;
  std::string body;
  std::map<std::string, std::string> headers;
};

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // hub.yaml for these flows plus extraConnectors() and `moreFlows` (YAML list items).
  std::string configYaml(const std::string& moreFlows = "") const;
  virtual std::string extraConnectors() const { return ""; }
  virtual std::string extraFlows() const { return ""; }

  // A fresh token with this role (viewer, operator, admin); its id in `id`.
  std::string token(const std::string& role, store::Id* id = nullptr);
  HttpResult call(const std::string& method, const std::string& path, const std::string& token = "",
                  const std::string& body = "", std::map<std::string, std::string> headers = {});

  // Objects to act on. Each dead letter is new and open.
  store::Id deadLetter();
  void deliver(const std::string& key);  // one record that reaches the REST system
  HttpResult postWebhook(const std::string& flow, const std::string& body, const std::string& id);

  // The request that should succeed on `route` (null when no one wrote one).
  std::optional<Call> successCall(const http::RouteInfo& route);

  std::vector<std::string> logLines();

  // The credential `hub serve` writes for commands on its machine (local_endpoint.h).
  const std::string localToken = newToken();
  hub::test::TempDir dir;
  hub::test::RestSystem erp{7};
  std::shared_ptr<hub::test::MemorySystem> src;
  std::string srcName;
  std::string configPath;
  HubMetrics metrics;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<engine::Engine> engine;
  std::unique_ptr<ApiContext> ctx;
  std::unique_ptr<webhooks::WebhookIntake> intake;
  std::shared_ptr<http::Router> router;
  std::unique_ptr<http::HttpServer> server;
  std::string base;
  store::Id firstRun = 0;

 private:
  std::mutex mutex_;
  std::vector<std::string> lines_;
  std::set<std::string> rejected_;
  int serial_ = 0;
};

}  // namespace hub::api::test
