#pragma once
// A running simulator on a loopback port and connectors pointed at it.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "connectors/kingdee/kingdee_connector.h"
#include "connectors/kingdee/kingdee_session.h"
#include "connectors/kingdee/sim/kingdee_simulator.h"
#include "connectors/kingdee/sim/sim_seed.h"
#include "connectors/spi/errors.h"

namespace hub::connector::kingdee {

class KingdeeLoopback : public ::testing::Test {
 protected:
  static sim::SimulatorOptions simOptions() {
    sim::SimulatorOptions o;
    o.timeout_fault_delay = 900;  // past the 300 ms client timeout the timeout tests set
    return o;
  }
  void SetUp() override { simulator.start(); }

  nlohmann::json settings(const std::string& auth = "validate_user") const {
    const auto& o = simulator.options();
    return {{"base_url", simulator.baseUrl()}, {"auth", auth},          {"acct_id", o.acct_id},
            {"username", o.username},          {"password", o.password}, {"app_id", o.app_id},
            {"app_secret", o.app_secret},      {"lcid", 2052},           {"org_number", "100"},
            {"server_time_zone", "Asia/Shanghai"}, {"connect_timeout", 1000}, {"timeout", 2000},
            {"verify_tls", true},              {"page_limit", 2000}};
  }

  // What the hub lends the instance: here only the observer of its calls.
  ConnectorContext context() {
    ConnectorContext ctx;
    ctx.instance = "kingdee-test";
    ctx.observe_http = [this](const HttpObservation& o) {
      std::lock_guard lock(mutex);
      observed.push_back(o);
    };
    return ctx;
  }
  std::unique_ptr<Connector> connect(const nlohmann::json& s) { return connect(s, context()); }
  std::unique_ptr<Connector> connect(const nlohmann::json& s, const ConnectorContext& ctx) {
    const ConnectorType type = connectorType();
    EXPECT_TRUE(type.validate(s).empty()) << type.validate(s).front().message;
    return type.create(ctx, s);
  }
  std::unique_ptr<Connector> connectAs(const std::string& auth) { return connect(settings(auth)); }
  std::unique_ptr<Connector> connect() { return connect(settings()); }

  static constexpr const char* kFormService = "Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.";
  // Where a DynamicFormService operation is served, for requests made by hand.
  std::string formServiceUrl(const std::string& operation) const {
    return simulator.baseUrl() + kFormService + operation + ".common.kdsvc";
  }

  // A session of its own, for what the connector's interface does not reach.
  SessionSettings sessionSettings() const {
    SessionSettings s;
    s.base_url = simulator.baseUrl();
    s.acct_id = simulator.options().acct_id;
    s.username = simulator.options().username;
    s.password = simulator.options().password;
    return s;
  }

  // Customers C0001.. changed at `at` (UTC ms).
  std::vector<std::string> seedCustomers(int n, Millis at, int from = 1) {
    std::vector<std::string> keys;
    for (int i = from; i < from + n; ++i) {
      char number[16];
      std::snprintf(number, sizeof number, "C%04d", i);
      keys.push_back(simulator.book().insert(
          "BD_Customer", {{"FNumber", number}, {"FName", std::string("客户") + number}, {"FCreateOrgId", {{"FNumber", "100"}}}},
          at));
    }
    return keys;
  }

  void seedBaseData() {
    simulator.book().insert("BD_Customer", {{"FNumber", "C001"}, {"FName", "广州恒达商贸有限公司"}, {"FCreateOrgId", {{"FNumber", "100"}}}});
    simulator.book().insert("BD_MATERIAL", {{"FNumber", "MAT1"}, {"FName", "矿泉水"}, {"FCreateOrgId", {{"FNumber", "100"}}}});
  }

  static nlohmann::json saleOrder(const std::string& dmsNumber, const std::string& customer = "C001") {
    return {{"FDate", "2024-05-01"},
            {"FSaleOrgId", {{"FNumber", "100"}}},
            {"FCustId", {{"FNumber", customer}}},
            {"F_DMS_OrderNo", dmsNumber},
            {"FSaleOrderEntry", nlohmann::json::array({{{"FMaterialId", {{"FNumber", "MAT1"}}}, {"FQty", 2}}})}};
  }

  static OutboundRecord outbound(const std::string& key, nlohmann::json doc, int attempt = 1, bool ambiguous = false) {
    OutboundRecord r;
    r.key = key;
    r.idempotency_key = "test-" + key;
    r.document = std::move(doc);
    r.attempt = attempt;
    r.previous_attempt_ambiguous = ambiguous;
    return r;
  }

  static std::vector<Record> pullAll(Source& source, Millis since, std::size_t pageSize, int* pages = nullptr) {
    std::vector<Record> out;
    ScanRequest req{since, "", pageSize};
    for (int i = 0; i < 1000; ++i) {
      Page page = source.pull(req);
      if (pages) ++*pages;
      out.insert(out.end(), page.records.begin(), page.records.end());
      if (page.done) break;
      req.resume = page.resume;
    }
    return out;
  }

  // Polls `done` every few milliseconds for up to 10 s (a helper thread's trigger).
  static void waitUntil(const std::function<bool()>& done) {
    for (int i = 0; i < 2000 && !done(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  // The RetryableError `call` throws; nothing when it returns.
  static std::optional<RetryableError> retryableErrorOf(const std::function<void()>& call) {
    try {
      call();
    } catch (const RetryableError& e) {
      return e;
    }
    return std::nullopt;
  }

  sim::KingdeeSimulator simulator{simOptions()};
  std::mutex mutex;
  std::vector<HttpObservation> observed;
};

}  // namespace hub::connector::kingdee
