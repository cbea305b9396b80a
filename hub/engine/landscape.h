#pragma once
// The live shape of a configuration: connector instances, each flow's source
// and targets with their sinks, mappings, retry policy, circuit breakers and
// rate limits. Built whole or not at all (every problem located in hub.yaml
// or the mapping file); replaced whole on reload while in-flight work keeps
// the one it started with.
#include <map>
#include <memory>
#include <string>
#include <tl/expected.hpp>
#include <vector>

#include "connectors/spi/registry.h"
#include "hub/config/hub_config.h"
#include "hub/engine/circuit_breaker.h"
#include "hub/engine/observer.h"
#include "hub/engine/retry_policy.h"
#include "hub/engine/stop_signal.h"
#include "mappings/engine/mapping.h"

namespace hub::engine {

struct Target {
  std::string name;       // the delivery lane: unique within its flow
  std::string connector;  // instance name; the xref system
  std::string entity;     // the target's object
  const mapping::Mapping* mapping = nullptr;  // null: records pass unchanged
  std::string when_field;                     // route: "" = every record comes here
  std::vector<std::string> when_in;
  std::shared_ptr<connector::Sink> sink;
  std::shared_ptr<CircuitBreaker> breaker;
};

struct Flow {
  config::FlowConfig config;
  std::shared_ptr<connector::Connector> source;
  std::vector<Target> targets;
  RetryPolicy retry;

  const std::string& name() const { return config.name; }
  const Target* target(const std::string& name) const;
};

class Landscape {
 public:
  // Connector instances get a context whose calls are paced by the
  // instance's rate limit and aborted by `stop` (the engine's, shared by
  // every landscape it runs; a fresh one when none is given).
  static tl::expected<std::shared_ptr<const Landscape>, Problems> build(const config::LoadedConfig& loaded,
                                                                        const connector::Registry& registry,
                                                                        EngineObserver* observer = nullptr,
                                                                        std::shared_ptr<StopSignal> stop = nullptr);

  const config::HubConfig& config() const { return config_; }
  const std::vector<Flow>& flows() const { return flows_; }
  const Flow* flow(const std::string& name) const;
  const mapping::MappingCatalog& mappings() const { return *mappings_; }
  std::shared_ptr<connector::Connector> connector(const std::string& instance) const;
  const std::shared_ptr<StopSignal>& stopSignal() const { return stop_; }

 private:
  config::HubConfig config_;
  std::shared_ptr<StopSignal> stop_;
  std::shared_ptr<mapping::MappingCatalog> mappings_;
  std::map<std::string, std::shared_ptr<connector::Connector>> connectors_;
  std::vector<Flow> flows_;
};

// The mapping catalog of a configuration, with problems located; an absent
// directory is an empty catalog.
tl::expected<mapping::MappingCatalog, Problems> loadMappings(const std::string& dir);

}  // namespace hub::engine
