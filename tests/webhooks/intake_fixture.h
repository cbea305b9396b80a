#pragma once
// A real engine on a real SQLite file behind the real HttpServer on a
// loopback port, with POST /webhooks/{flow} mounted; flows take webhooks in
// each scheme and mode. Row counts are read straight from the database file,
// so "nothing stored" means no table changed.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <map>
#include <mutex>
#include <ostream>

#include "hub/core/digest.h"
#include "hub/core/log.h"
#include "hub/http/server.h"
#include "hub/webhooks/intake.h"
#include "hub/webhooks/signature.h"
#include "tests/engine/engine_fixture.h"
#include "tests/support/http_client.h"

namespace hub::webhooks::test {

using hub::test::HttpResult;
using nlohmann::json;

// The intake's clock: real time unless a test pins it (vector rows carry fixed timestamps).
class TestClock final : public Clock {
 public:
  Millis now() const override {
    const Millis f = fixed_.load();
    return f ? f : nowMillis();
  }
  void pin(Millis at) { fixed_ = at; }
  void release() { fixed_ = 0; }

 private:
  std::atomic<Millis> fixed_{0};
};

struct Rows {
  long long queue = 0, deliveries = 0, dead_letters = 0, seen_keys = 0;
  bool operator==(const Rows&) const = default;
};
inline std::ostream& operator<<(std::ostream& os, const Rows& r) {
  return os << "{queue " << r.queue << ", webhook_deliveries " << r.deliveries << ", dead_letters " << r.dead_letters
            << ", flow_keys " << r.seen_keys << "}";
}

inline const std::string kOld = "whsec_" + digest::base64("old-signing-key-0123456789");
inline const std::string kNew = "whsec_" + digest::base64("new-signing-key-9876543210");
inline const std::string kGithub = "gh-secret-1";
inline const std::string kStripe = "whsec_stripe_plain_text";

inline std::string flowBlock(const std::string& name, const std::string& trigger) {
  return "  - name: " + name + "\n    entity: order\n    source: {connector: src, entity: " + name +
         "}\n    targets: [{connector: dst, entity: " + name +
         "}]\n    retry: {base: 10ms, cap: 50ms}\n"
         "    triggers:\n      - " +
         trigger + "\n";
}

inline std::string standardFlows() {
  return flowBlock("orders", "webhook: {mode: payload, secrets: ['" + kOld + "', '" + kNew + "']}") +
         flowBlock("gh", "webhook: {scheme: hmac, secret: '" + kGithub + "', id_header: X-GitHub-Delivery}") +
         flowBlock("stripe", "webhook: {scheme: stripe, secret: '" + kStripe + "'}") +
         flowBlock("pings", "webhook: {mode: notify, secret: '" + kNew + "'}") + flowBlock("scheduled", "interval: 1h");
}

class IntakeTest : public hub::test::EngineTest {
 protected:
  void startHub(const std::string& flows = standardFlows()) {
    start(flows);
    if (HasFatalFailure()) return;
    intake = std::make_unique<WebhookIntake>(
        *engine, *store,
        [this](const std::string& flow, const std::string& result) {
          std::lock_guard lock(mutex);
          observed.emplace_back(flow, result);
        },
        clock);
    auto router = std::make_shared<http::Router>();
    addWebhookRoutes(*router, *intake);
    http::ServerOptions so;
    so.threads = 16;
    server = std::make_unique<http::HttpServer>(so, router);
    server->start();
    base = "http://127.0.0.1:" + std::to_string(server->port());
  }
  void TearDown() override {
    if (server) server->stop(2000);
    EngineTest::TearDown();
  }

  HttpResult post(const std::string& flow, const std::string& body, std::map<std::string, std::string> headers) {
    if (!headers.count("Content-Type")) headers["Content-Type"] = "application/json";
    return hub::test::httpRequest("POST", base + "/webhooks/" + flow, body, headers);
  }

  // Standard Webhooks headers for `body`, signed now + `skewSeconds`.
  std::map<std::string, std::string> standard(const std::string& secret, const std::string& id, const std::string& body,
                                              std::int64_t skewSeconds = 0) {
    const std::int64_t ts = clock.now() / 1000 + skewSeconds;
    return {{"webhook-id", id},
            {"webhook-timestamp", std::to_string(ts)},
            {"webhook-signature", signStandard(secret, id, ts, body)}};
  }
  std::map<std::string, std::string> github(const std::string& secret, const std::string& body,
                                            const std::string& delivery = {}) {
    std::map<std::string, std::string> h = {{"X-Hub-Signature-256", signHmac(secret, body)},
                                            {"X-GitHub-Event", "push"}};
    if (!delivery.empty()) h["X-GitHub-Delivery"] = delivery;
    return h;
  }
  std::map<std::string, std::string> stripeHeaders(const std::string& secret, const std::string& body,
                                                   std::int64_t skewSeconds = 0) {
    return {{"Stripe-Signature", signStripe(secret, clock.now() / 1000 + skewSeconds, body)}};
  }

  Rows rows() {
    sqlite3* db = nullptr;
    Rows r;
    if (sqlite3_open_v2(dir.file("hub.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << "cannot open hub.db";
      sqlite3_close(db);
      return r;
    }
    sqlite3_busy_timeout(db, 5000);
    auto count = [db](const char* table) {
      sqlite3_stmt* st = nullptr;
      long long n = -1;
      if (sqlite3_prepare_v2(db, (std::string("SELECT COUNT(*) FROM ") + table).c_str(), -1, &st, nullptr) ==
              SQLITE_OK &&
          sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
      sqlite3_finalize(st);
      return n;
    };
    r.queue = count("queue");
    r.deliveries = count("webhook_deliveries");
    r.dead_letters = count("dead_letters");
    r.seen_keys = count("flow_keys");
    sqlite3_close(db);
    return r;
  }

  std::map<std::string, int> resultsSeen() {
    std::lock_guard lock(mutex);
    std::map<std::string, int> out;
    for (const auto& [flow, result] : observed) ++out[flow + ":" + result];
    return out;
  }

  TestClock clock;
  std::unique_ptr<WebhookIntake> intake;
  std::unique_ptr<http::HttpServer> server;
  std::string base;
  std::mutex mutex;
  std::vector<std::pair<std::string, std::string>> observed;
};

}  // namespace hub::webhooks::test
