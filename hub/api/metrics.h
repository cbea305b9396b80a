#pragma once
// The hub's Prometheus metrics (prometheus-cpp core + its text serializer).
// Counters follow the engine's reports; gauges about the queue are read from
// the store when scraped, so they are right even after a restart.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "hub/engine/observer.h"
#include "hub/store/store.h"

namespace hub::api {

class HubMetrics final : public engine::EngineObserver {
 public:
  HubMetrics();
  ~HubMetrics() override;

  void runStarted(const std::string& flow, store::Id run, const std::string& trigger) override;
  void runPulled(const std::string& flow, store::Id run, bool ok) override;
  void recordsPulled(const std::string& flow, std::size_t pulled, std::size_t unchanged) override;
  void outcome(const std::string& flow, const std::string& target, store::Verdict verdict, std::size_t count) override;
  void retryScheduled(const std::string& flow, const std::string& target, Millis delay) override;
  void breakerState(const std::string& connector, const std::string& target, int state) override;
  void httpCall(const std::string& connector, const connector::HttpObservation& call) override;
  void storeFailed(const std::string& operation) override;

  void webhook(const std::string& flow, const std::string& result);
  // A series for this intake result (flow "") that exists at zero before any delivery.
  void declareWebhookResult(const std::string& result);
  void apiRequest(const std::string& method, int status);
  // This hub's node name and the leader lease's TTL (hub_leader, hub_nodes).
  void setNode(const std::string& node, Millis leaderTtl);
  void leadership(bool leading);

  // The text exposition of every metric, with queue gauges refreshed from the
  // store. Configured (flow, target) pairs show their queue and dead letters
  // at zero when nothing is there, so an idle hub does not look like no data.
  std::string scrape(store::Store& store, const std::vector<std::pair<std::string, std::string>>& targets = {});

 private:
  struct Families;
  std::unique_ptr<Families> f_;
};

}  // namespace hub::api
