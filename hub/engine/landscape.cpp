#include "hub/engine/landscape.h"

#include <filesystem>

#include "hub/core/log.h"
#include "hub/core/suggest.h"

namespace hub::engine {

const Target* Flow::target(const std::string& name) const {
  for (const auto& t : targets)
    if (t.name == name) return &t;
  return nullptr;
}

const Flow* Landscape::flow(const std::string& name) const {
  for (const auto& f : flows_)
    if (f.name() == name) return &f;
  return nullptr;
}

std::shared_ptr<connector::Connector> Landscape::connector(const std::string& instance) const {
  auto it = connectors_.find(instance);
  return it == connectors_.end() ? nullptr : it->second;
}

tl::expected<mapping::MappingCatalog, Problems> loadMappings(const std::string& dir) {
  if (dir.empty() || !std::filesystem::exists(dir)) return mapping::MappingCatalog{};
  return mapping::MappingCatalog::loadDirectory(dir);
}

tl::expected<std::shared_ptr<const Landscape>, Problems> Landscape::build(const config::LoadedConfig& loaded,
                                                                          const connector::Registry& registry,
                                                                          EngineObserver* observer,
                                                                          std::shared_ptr<StopSignal> stop) {
  const config::HubConfig& cfg = loaded.config;
  Problems problems;
  auto landscape = std::make_shared<Landscape>();
  landscape->config_ = cfg;
  landscape->stop_ = stop ? std::move(stop) : std::make_shared<StopSignal>();

  auto catalog = loadMappings(cfg.mapping_dir);
  if (!catalog) {
    problems = catalog.error();
    catalog = mapping::MappingCatalog{};
  }
  landscape->mappings_ = std::make_shared<mapping::MappingCatalog>(std::move(*catalog));

  std::map<std::string, const config::ConnectorInstance*> instances;
  for (const auto& ci : cfg.connectors) {
    instances[ci.name] = &ci;
    const auto* type = registry.find(ci.type);
    if (!type) continue;  // the loader already reported it
    connector::ConnectorContext ctx;
    ctx.instance = ci.name;
    ctx.config_dir = cfg.base_dir;
    ctx.log = [name = ci.name](std::string_view event, const nlohmann::json& fields) {
      nlohmann::json f = fields.is_object() ? fields : nlohmann::json::object();
      f["connector"] = name;
      log::info(event, f);
    };
    if (observer) ctx.observe_http = [observer, name = ci.name](const connector::HttpObservation& o) {
      observer->httpCall(name, o);
    };
    ctx.now = [] { return nowMillis(); };
    if (ci.rate_per_second > 0) {
      ctx.pace = [limiter = std::make_shared<RateLimiter>(ci.rate_per_second, ci.rate_burst),
                  stop = landscape->stop_] {
        // A call waiting for its slot is work in progress: only the abort ends it.
        // Intervals on the steady clock: a wall clock set back would hold every
        // call until it caught up again.
        const Millis wait = limiter->take(steadyMillis());
        return wait == 0 ? !stop->aborting() : stop->sleepFor(wait, StopSignal::Until::Abort);
      };
    } else {
      ctx.pace = [stop = landscape->stop_] { return !stop->aborting(); };
    }
    ctx.aborted = [stop = landscape->stop_] { return stop->aborting(); };
    try {
      landscape->connectors_[ci.name] = std::shared_ptr<connector::Connector>(type->create(ctx, ci.settings));
    } catch (const std::exception& e) {
      problems.push_back(loaded.where.problem(ci.pointer, "connector '" + ci.name + "' cannot start: " + e.what()));
    }
  }

  const auto mappingNames = landscape->mappings_->names();
  for (const auto& fc : cfg.flows) {
    Flow flow;
    flow.config = fc;
    flow.retry = RetryPolicy(fc.retry);
    flow.source = landscape->connector(fc.source.connector);
    for (std::size_t i = 0; i < fc.targets.size(); ++i) {
      const auto& tb = fc.targets[i];
      const std::string pointer = fc.pointer + "/targets/" + std::to_string(i);
      Target t;
      t.name = tb.name;
      t.connector = tb.connector;
      t.entity = tb.entity;
      t.when_field = tb.when_field;
      t.when_in = tb.when_in;
      if (!tb.mapping.empty()) {
        t.mapping = landscape->mappings_->find(tb.mapping);
        if (!t.mapping) {
          problems.push_back(loaded.where.problem(
              pointer + "/mapping", "flow '" + fc.name + "' uses mapping '" + tb.mapping + "', which is not in " +
                                        cfg.mapping_dir + didYouMean(tb.mapping, mappingNames)));
        }
      }
      if (auto conn = landscape->connector(tb.connector)) {
        try {
          t.sink = std::shared_ptr<connector::Sink>(conn->openSink(tb.entity, tb.options));
        } catch (const std::exception& e) {
          problems.push_back(loaded.where.problem(pointer, "flow '" + fc.name + "' cannot open target '" + tb.name +
                                                               "': " + e.what()));
        }
      }
      if (const auto* ci = instances.count(tb.connector) ? instances[tb.connector] : nullptr) {
        t.breaker = std::make_shared<CircuitBreaker>(ci->breaker_failures, ci->breaker_open_for);
      } else {
        t.breaker = std::make_shared<CircuitBreaker>();
      }
      flow.targets.push_back(std::move(t));
    }
    landscape->flows_.push_back(std::move(flow));
  }
  if (!problems.empty()) return tl::unexpected(problems);
  return std::shared_ptr<const Landscape>(landscape);
}

}  // namespace hub::engine
