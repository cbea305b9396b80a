// /metrics is valid Prometheus text exposition format, checked by a real
// parser (Debian's python3-prometheus-client in a child process), and after
// real activity carries the families operators alert on.
#include <filesystem>

#include "tests/api/api_fixture.h"
#include "tests/engine/engine_fixture.h"
#include "tests/support/child_process.h"

namespace hub::api::test {
namespace {

using hub::test::eventually;

constexpr int kNoParser = 77;

// Prints {"families": [{"name", "type", "samples": [{"name", "labels", "value"}]}]}.
const char* kParser = R"PY(
import json, sys
try:
    from prometheus_client.parser import text_string_to_metric_families
except ImportError:
    sys.exit(77)
text = open(sys.argv[1], encoding="utf-8").read()
out = []
for f in text_string_to_metric_families(text):
    out.append({"name": f.name, "type": f.type,
                "samples": [{"name": s.name, "labels": s.labels, "value": s.value} for s in f.samples]})
print(json.dumps({"families": out}))
)PY";

struct Sample {
  std::string family, type;
  std::map<std::string, std::string> labels;
  double value = 0;
};

class MetricsTest : public ApiTest {
 protected:
  // Every sample by its name, as the parser understood the scrape; fails the test on a parse error.
  std::multimap<std::string, Sample> parse(const std::string& text) {
    std::multimap<std::string, Sample> out;
    const std::string file = dir.write("scrape.txt", text);
    hub::test::ChildProcess py({"/usr/bin/python3", "-c", kParser, file});
    const auto code = py.wait();
    if (code == kNoParser) {
      skipped = true;
      return out;
    }
    EXPECT_EQ(code, 0) << "the exposition does not parse:\n" << py.stderrText() << "\n" << text;
    const auto j = json::parse(py.stdoutText(), nullptr, false);
    if (code != 0 || j.is_discarded()) return out;
    for (const auto& f : j["families"])
      for (const auto& s : f["samples"])
        out.insert({s["name"].get<std::string>(),
                    Sample{f["name"], f["type"], s["labels"].get<std::map<std::string, std::string>>(), s["value"]}});
    return out;
  }
  static std::vector<Sample> find(const std::multimap<std::string, Sample>& all, const std::string& name,
                                  const std::map<std::string, std::string>& labels = {}) {
    std::vector<Sample> out;
    for (auto [it, end] = all.equal_range(name); it != end; ++it) {
      bool match = true;
      for (const auto& [k, v] : labels) match &= it->second.labels.count(k) && it->second.labels.at(k) == v;
      if (match) out.push_back(it->second);
    }
    return out;
  }
  static double sum(const std::vector<Sample>& samples) {
    double total = 0;
    for (const auto& s : samples) total += s.value;
    return total;
  }

  // A record the REST system answers 500 until the hub has scheduled a retry.
  void retryOnce() {
    erp.setFaults({100, 0, 0, 0, 600});
    src->put("RETRY-1", 1767225600000 + 999000, {{"id", "RETRY-1"}, {"qty", 1}});
    ASSERT_TRUE(eventually([&] { return engine->runNow("orders", "test").has_value(); }));
    ASSERT_TRUE(eventually([&] { return store->runs().list("orders", 1, 0).at(0).retried > 0; }));
    erp.setFaults({});
  }

  std::multimap<std::string, Sample> scrapeAfterActivity() {
    retryOnce();
    EXPECT_EQ(postWebhook("orders", R"({"id": "WH-1", "qty": 1})", "delivery-1").status, 202);
    EXPECT_EQ(hub::test::httpRequest("POST", base + "/webhooks/orders", "{}",
                                     {{"webhook-id", "x"}, {"webhook-timestamp", "1"}, {"webhook-signature", "v1,AAAA"}})
                  .status / 100,
              4);
    EXPECT_TRUE(eventually([&] {
      for (const auto& c : store->queue().counts("orders"))
        if (c.pending + c.leased > 0) return false;
      return true;
    })) << "the queue never drained";
    const auto res = call("GET", "/metrics");
    EXPECT_EQ(res.status, 200);
    EXPECT_EQ(res.headers.count("content-type") ? res.headers.at("content-type").rfind("text/plain", 0) : 1u, 0u);
    return parse(res.body);
  }
  bool skipped = false;
};

#define SKIP_WITHOUT_PARSER() \
  if (skipped) GTEST_SKIP() << "/usr/bin/python3 with prometheus_client is not installed (deploy/install-deps.sh)"

TEST_F(MetricsTest, ParsesAsTextExpositionFormat) {
  if (!std::filesystem::exists("/usr/bin/python3")) GTEST_SKIP() << "/usr/bin/python3 is not installed";
  const auto samples = scrapeAfterActivity();
  SKIP_WITHOUT_PARSER();
  EXPECT_GT(samples.size(), 10u);
}

TEST_F(MetricsTest, CountsRunsAndRecordsByFlowAndOutcome) {
  if (!std::filesystem::exists("/usr/bin/python3")) GTEST_SKIP() << "/usr/bin/python3 is not installed";
  const auto all = scrapeAfterActivity();
  SKIP_WITHOUT_PARSER();
  EXPECT_GE(sum(find(all, "hub_runs_total", {{"flow", "orders"}})), 3.0);
  EXPECT_GE(sum(find(all, "hub_records_total", {{"flow", "orders"}, {"target", "erp.orders"}, {"outcome", "delivered"}})), 1.0);
  EXPECT_GE(sum(find(all, "hub_records_total", {{"flow", "orders"}, {"outcome", "dead_lettered"}})), 1.0);
  EXPECT_GE(sum(find(all, "hub_records_pulled_total", {{"flow", "orders"}})), 3.0);
  for (const auto& s : find(all, "hub_runs_total")) EXPECT_EQ(s.type, "counter");
}

TEST_F(MetricsTest, ShowsQueueDepthDeadLettersAndRetries) {
  if (!std::filesystem::exists("/usr/bin/python3")) GTEST_SKIP() << "/usr/bin/python3 is not installed";
  const auto all = scrapeAfterActivity();
  SKIP_WITHOUT_PARSER();
  for (const char* state : {"pending", "in_flight", "parked"}) {
    const auto q = find(all, "hub_queue_records", {{"flow", "orders"}, {"target", "erp.orders"}, {"state", state}});
    ASSERT_EQ(q.size(), 1u) << state;
    EXPECT_EQ(q[0].type, "gauge");
    EXPECT_EQ(q[0].value, 0.0) << state << ": the queue has drained";
  }
  EXPECT_EQ(find(all, "hub_queue_records", {{"flow", "idle"}, {"state", "pending"}}).size(), 1u)
      << "a configured target that never queued anything shows zero, not no data";
  EXPECT_EQ(find(all, "hub_dead_letters_open", {{"flow", "idle"}}).size(), 1u);
  store::DeadLetterFilter open;
  open.flow = "orders";
  EXPECT_EQ(sum(find(all, "hub_dead_letters_open", {{"flow", "orders"}})),
            static_cast<double>(store->deadLetters().count(open)));
  EXPECT_GE(sum(find(all, "hub_retries_total", {{"flow", "orders"}, {"target", "erp.orders"}})), 1.0);
}

TEST_F(MetricsTest, HasAnOutboundLatencyHistogramPerConnector) {
  if (!std::filesystem::exists("/usr/bin/python3")) GTEST_SKIP() << "/usr/bin/python3 is not installed";
  const auto all = scrapeAfterActivity();
  SKIP_WITHOUT_PARSER();
  const auto buckets = find(all, "hub_outbound_request_duration_seconds_bucket", {{"connector", "erp"}});
  ASSERT_FALSE(buckets.empty());
  EXPECT_EQ(buckets[0].type, "histogram");
  EXPECT_FALSE(find(all, "hub_outbound_request_duration_seconds_bucket", {{"connector", "erp"}, {"le", "+Inf"}}).empty());
  EXPECT_GE(sum(find(all, "hub_outbound_request_duration_seconds_count", {{"connector", "erp"}, {"status", "2xx"}})), 1.0);
  EXPECT_GE(sum(find(all, "hub_outbound_request_duration_seconds_count", {{"connector", "erp"}, {"status", "5xx"}})), 1.0);
}

TEST_F(MetricsTest, ShowsCircuitBreakerStatePerTarget) {
  if (!std::filesystem::exists("/usr/bin/python3")) GTEST_SKIP() << "/usr/bin/python3 is not installed";
  const auto all = scrapeAfterActivity();
  SKIP_WITHOUT_PARSER();
  const auto breaker = find(all, "hub_circuit_breaker_state", {{"connector", "erp"}, {"target", "erp.orders"}});
  ASSERT_EQ(breaker.size(), 1u);
  EXPECT_GE(breaker[0].value, 0.0);
  EXPECT_LE(breaker[0].value, 2.0);
}

TEST_F(MetricsTest, CountsEachWebhookDeliveryOnceByResult) {
  if (!std::filesystem::exists("/usr/bin/python3")) GTEST_SKIP() << "/usr/bin/python3 is not installed";
  const auto all = scrapeAfterActivity();
  SKIP_WITHOUT_PARSER();
  EXPECT_EQ(sum(find(all, "hub_webhook_requests_total", {{"flow", "orders"}, {"result", "accepted"}})), 1.0);
  EXPECT_EQ(sum(find(all, "hub_webhook_requests_total", {{"result", "accepted"}})), 1.0);
  EXPECT_EQ(sum(find(all, "hub_webhook_requests_total")), 2.0) << "two deliveries were made";
  EXPECT_EQ(find(all, "hub_webhook_requests_total", {{"result", "unknown_flow"}}).size(), 1u)
      << "every result has a series before it first happens";
}

}  // namespace
}  // namespace hub::api::test
