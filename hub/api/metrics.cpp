#include "hub/api/metrics.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <map>
#include <mutex>
#include <set>

namespace hub::api {

using prometheus::BuildCounter;
using prometheus::BuildGauge;
using prometheus::BuildHistogram;

namespace {
const char* outcomeName(store::Verdict v) {
  switch (v) {
    case store::Verdict::Delivered: return "delivered";
    case store::Verdict::Skipped: return "skipped_unchanged";
    case store::Verdict::Retry: return "retry";
    case store::Verdict::Park: return "parked";
    case store::Verdict::Dead: return "dead_lettered";
    case store::Verdict::Await: return "awaiting_confirmation";
  }
  return "delivered";
}

std::string statusClass(int status) { return status == 0 ? "error" : std::to_string(status / 100) + "xx"; }
}  // namespace

struct HubMetrics::Families {
  prometheus::Registry registry;
  prometheus::Family<prometheus::Counter>& runs = BuildCounter()
      .Name("hub_runs_total").Help("Flow runs started, by flow and trigger").Register(registry);
  prometheus::Family<prometheus::Counter>& pulls = BuildCounter()
      .Name("hub_run_pulls_total").Help("Pull phases ended, by flow and result (ok, failed)").Register(registry);
  prometheus::Family<prometheus::Counter>& pulled = BuildCounter()
      .Name("hub_records_pulled_total").Help("Records read from sources or webhooks, by flow").Register(registry);
  prometheus::Family<prometheus::Counter>& unchanged = BuildCounter()
      .Name("hub_records_unchanged_total").Help("Records read again with content already seen, by flow").Register(registry);
  prometheus::Family<prometheus::Counter>& records = BuildCounter()
      .Name("hub_records_total").Help("Delivery outcomes, by flow, target and outcome").Register(registry);
  prometheus::Family<prometheus::Counter>& retries = BuildCounter()
      .Name("hub_retries_total").Help("Retries scheduled after a retryable failure, by flow and target").Register(registry);
  prometheus::Family<prometheus::Gauge>& queue = BuildGauge()
      .Name("hub_queue_records").Help("Records on their way, by flow, target and state (pending, in_flight, parked)")
      .Register(registry);
  prometheus::Family<prometheus::Gauge>& oldest = BuildGauge()
      .Name("hub_queue_oldest_pending_age_seconds").Help("Age of the oldest pending record, by flow and target")
      .Register(registry);
  prometheus::Family<prometheus::Gauge>& deadLetters = BuildGauge()
      .Name("hub_dead_letters_open").Help("Dead letters waiting for support staff, by flow").Register(registry);
  prometheus::Family<prometheus::Histogram>& outbound = BuildHistogram()
      .Name("hub_outbound_request_duration_seconds")
      .Help("Calls to connected systems, by connector, endpoint and status class").Register(registry);
  prometheus::Family<prometheus::Gauge>& breaker = BuildGauge()
      .Name("hub_circuit_breaker_state").Help("Circuit breaker per target: 0 closed, 1 open, 2 half-open")
      .Register(registry);
  prometheus::Family<prometheus::Gauge>& leader = BuildGauge()
      .Name("hub_leader").Help("1 while this node holds the schedule leader lease, by node").Register(registry);
  prometheus::Family<prometheus::Gauge>& nodes = BuildGauge()
      .Name("hub_nodes").Help("Hub processes sharing the store that were heard from within the leader TTL")
      .Register(registry);
  std::string node;
  Millis leaderTtl = 0;
  prometheus::Family<prometheus::Counter>& webhooks = BuildCounter()
      .Name("hub_webhook_requests_total").Help("Webhook deliveries, by flow and result").Register(registry);
  prometheus::Family<prometheus::Counter>& api = BuildCounter()
      .Name("hub_http_requests_total").Help("Requests to the hub's own HTTP API, by method and status class")
      .Register(registry);
  prometheus::Family<prometheus::Counter>& storeErrors = BuildCounter()
      .Name("hub_store_errors_total").Help("Store operations that failed while the hub kept serving, by operation")
      .Register(registry);
  prometheus::Gauge& storeUp = BuildGauge()
      .Name("hub_store_up").Help("1 when the store answered this scrape's queue reads, 0 when it did not")
      .Register(registry).Add({});
  std::mutex mutex;  // the queue gauges are replaced as a whole on each scrape
  std::set<std::pair<std::string, std::string>> queueSeen;
  std::map<std::string, prometheus::Gauge*> deadLetterGauges;
};

HubMetrics::HubMetrics() : f_(std::make_unique<Families>()) {
  BuildGauge().Name("hub_build_info").Help("Always 1; labels carry the version").Register(f_->registry)
      .Add({{"version", HUB_VERSION_STRING}}).Set(1);
}
HubMetrics::~HubMetrics() = default;

void HubMetrics::runStarted(const std::string& flow, store::Id, const std::string& trigger) {
  f_->runs.Add({{"flow", flow}, {"trigger", trigger}}).Increment();
}
void HubMetrics::storeFailed(const std::string& operation) {
  f_->storeErrors.Add({{"operation", operation}}).Increment();
}
void HubMetrics::runPulled(const std::string& flow, store::Id, bool ok) {
  f_->pulls.Add({{"flow", flow}, {"result", ok ? "ok" : "failed"}}).Increment();
}
void HubMetrics::recordsPulled(const std::string& flow, std::size_t pulled, std::size_t unchanged) {
  f_->pulled.Add({{"flow", flow}}).Increment(static_cast<double>(pulled));
  f_->unchanged.Add({{"flow", flow}}).Increment(static_cast<double>(unchanged));
}
void HubMetrics::outcome(const std::string& flow, const std::string& target, store::Verdict verdict, std::size_t count) {
  f_->records.Add({{"flow", flow}, {"target", target}, {"outcome", outcomeName(verdict)}})
      .Increment(static_cast<double>(count));
}
void HubMetrics::retryScheduled(const std::string& flow, const std::string& target, Millis) {
  f_->retries.Add({{"flow", flow}, {"target", target}}).Increment();
}
void HubMetrics::breakerState(const std::string& connector, const std::string& target, int state) {
  f_->breaker.Add({{"connector", connector}, {"target", target}}).Set(state);
}
void HubMetrics::httpCall(const std::string& connector, const connector::HttpObservation& call) {
  static const prometheus::Histogram::BucketBoundaries buckets{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
  f_->outbound.Add({{"connector", connector}, {"endpoint", call.endpoint}, {"status", statusClass(call.status)}}, buckets)
      .Observe(call.seconds);
}
void HubMetrics::webhook(const std::string& flow, const std::string& result) {
  f_->webhooks.Add({{"flow", flow}, {"result", result}}).Increment();
}
void HubMetrics::declareWebhookResult(const std::string& result) {
  f_->webhooks.Add({{"flow", ""}, {"result", result}});
}
void HubMetrics::apiRequest(const std::string& method, int status) {
  f_->api.Add({{"method", method}, {"status", statusClass(status)}}).Increment();
}

void HubMetrics::setNode(const std::string& node, Millis leaderTtl) {
  std::lock_guard lock(f_->mutex);
  f_->node = node;
  f_->leaderTtl = leaderTtl;
  f_->leader.Add({{"node", node}}).Set(0);
}
void HubMetrics::leadership(bool leading) {
  std::lock_guard lock(f_->mutex);
  if (!f_->node.empty()) f_->leader.Add({{"node", f_->node}}).Set(leading ? 1 : 0);
}

std::string HubMetrics::scrape(store::Store& store, const std::vector<std::pair<std::string, std::string>>& targets) {
  try {
    std::lock_guard lock(f_->mutex);
    const Millis now = nowMillis();
    std::set<std::pair<std::string, std::string>> seen;
    for (const auto& c : store.queue().counts()) {
      seen.insert({c.flow, c.target});
      f_->queue.Add({{"flow", c.flow}, {"target", c.target}, {"state", "pending"}}).Set(static_cast<double>(c.pending));
      f_->queue.Add({{"flow", c.flow}, {"target", c.target}, {"state", "in_flight"}}).Set(static_cast<double>(c.leased));
      f_->queue.Add({{"flow", c.flow}, {"target", c.target}, {"state", "parked"}}).Set(static_cast<double>(c.parked));
      f_->queue.Add({{"flow", c.flow}, {"target", c.target}, {"state", "awaiting_confirmation"}})
          .Set(static_cast<double>(c.awaiting));
      f_->oldest.Add({{"flow", c.flow}, {"target", c.target}})
          .Set(c.oldest_pending ? static_cast<double>(now - *c.oldest_pending) / 1000.0 : 0.0);
    }
    // Targets that drained since the last scrape drop to zero rather than keep
    // stale values; configured targets with nothing queued show zero.
    f_->queueSeen.insert(targets.begin(), targets.end());
    for (const auto& [flow, target] : f_->queueSeen) {
      if (seen.count({flow, target})) continue;
      for (const char* state : {"pending", "in_flight", "parked", "awaiting_confirmation"})
        f_->queue.Add({{"flow", flow}, {"target", target}, {"state", state}}).Set(0);
      f_->oldest.Add({{"flow", flow}, {"target", target}}).Set(0);
      seen.insert({flow, target});
    }
    f_->queueSeen = std::move(seen);
    for (const auto& [flow, target] : targets) f_->deadLetterGauges[flow] = &f_->deadLetters.Add({{"flow", flow}});
    for (auto& [flow, gauge] : f_->deadLetterGauges) gauge->Set(0);
    for (const auto& [flow, n] : store.deadLetters().openByFlow()) {
      auto& gauge = f_->deadLetters.Add({{"flow", flow}});
      gauge.Set(static_cast<double>(n));
      f_->deadLetterGauges[flow] = &gauge;
    }
    if (f_->leaderTtl > 0) f_->nodes.Add({}).Set(static_cast<double>(store.cluster().nodes(now - f_->leaderTtl).size()));
    f_->storeUp.Set(1);
  } catch (const store::StoreError&) {
    f_->storeUp.Set(0);  // the counters still tell what happened; the gauges keep their last values
  }
  return prometheus::TextSerializer().Serialize(f_->registry.Collect());
}

}  // namespace hub::api
