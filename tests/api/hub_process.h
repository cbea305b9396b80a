#pragma once
// The real `hub` binary: `hub serve` as a child process on a loopback port
// (REST source and sink systems beside it) and one-shot CLI commands against
// the same configuration and store.
#include <gtest/gtest.h>
#include <signal.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "tests/doubles/rest_system.h"
#include "tests/support/child_process.h"
#include "tests/support/http_client.h"
#include "tests/support/hub_url.h"
#include "tests/support/paths.h"
#include "tests/support/temp_dir.h"

namespace hub::api::test {

struct CliRun {
  int code = -1;
  std::string out, err;
};

// The bearer secret `erp` is configured with.
inline const std::string kServeErpToken = "serve-erp-s3cr3t-91b7e0";

class HubProcessTest : public ::testing::Test {
 protected:
  // A flow reading /orders from `shop` and writing batches to `erp`.
  static std::string flow(const std::string& name) {
    return "  - name: " + name +
           "\n    entity: order\n"
           "    source: {connector: shop, entity: orders,\n"
           "             options: {path: /orders, records: data, paging: offset, updated_since_param: updated_since}}\n"
           "    targets: [{connector: erp, entity: orders, options: {path: /orders/batch, batch: array, wrap: records}}]\n"
           "    retry: {base: 20ms, cap: 200ms}\n";
  }
  std::string writeConfig(const std::string& flows) {
    return dir.write("hub.yaml", "server:\n  listen: 127.0.0.1:0\n  shutdown_deadline: 3s\n"
                                 "store:\n  path: " + dir.file("hub.db") + "\n"
                                 "engine:\n  poll_interval: 50ms\n"
                                 "log:\n  level: info\n"
                                 "connectors:\n"
                                 "  - {name: shop, type: rest, base_url: '" + source.baseUrl() + "'}\n"
                                 "  - {name: erp, type: rest, base_url: '" + sink.baseUrl() + "', timeout: 2s,\n"
                                 "     auth: {type: bearer, token: '" + kServeErpToken + "'}}\n"
                                 "flows:\n" + flows);
  }
  void serve() {
    hub = std::make_unique<hub::test::ChildProcess>(
        std::vector<std::string>{hub::test::hubBinary(), "serve", "--config", dir.file("hub.yaml")});
    const auto listening = waitForHubUrl(*hub);
    ASSERT_TRUE(listening) << hub->stderrText();
    url = *listening;
  }
  void TearDown() override {
    if (hub && hub->running()) {
      hub->signal(SIGTERM);
      EXPECT_EQ(hub->wait(std::chrono::seconds(10)), 0) << hub->stderrText();
    }
  }

  CliRun cli(std::vector<std::string> args) {
    args.insert(args.begin(), hub::test::hubBinary());
    args.push_back("--config");
    args.push_back(dir.file("hub.yaml"));
    hub::test::ChildProcess p(args);
    CliRun r;
    r.code = p.wait().value_or(-1);
    r.out = p.stdoutText();
    r.err = p.stderrText();
    return r;
  }
  // A token made with `hub token create`.
  std::string createToken(const std::string& role) {
    const auto r = cli({"token", "create", "--role", role});
    EXPECT_EQ(r.code, 0) << r.err;
    return r.out.substr(0, r.out.find('\n'));
  }

  hub::test::HttpResult get(const std::string& path, const std::string& token) {
    return hub::test::httpRequest("GET", url + path, "", {{"Authorization", "Bearer " + token}});
  }
  hub::test::HttpResult post(const std::string& path, const std::string& token) {
    return hub::test::httpRequest("POST", url + path, "", {{"Authorization", "Bearer " + token}});
  }
  std::vector<std::string> flowNames(const std::string& token) {
    std::vector<std::string> names;
    const auto j = nlohmann::json::parse(get("/api/v1/flows", token).body, nullptr, false);
    if (j.is_object() && j.contains("items"))
      for (const auto& f : j["items"]) names.push_back(f.value("name", ""));
    return names;
  }
  // Waits until the hub's log (stderr) mentions `needle` `times` times.
  bool logged(const std::string& needle, int times = 1) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < until) {
      const std::string text = hub->stderrText();
      int n = 0;
      for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
      if (n >= times) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  hub::test::TempDir dir;
  hub::test::RestSystem source{11}, sink{12};
  std::unique_ptr<hub::test::ChildProcess> hub;
  std::string url;
};

}  // namespace hub::api::test
