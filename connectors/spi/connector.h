#pragma once
// A connector type (kingdee, rest, file, ...) declares its settings and
// builds instances; an instance opens sources and sinks per entity.
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/spi/settings_spec.h"
#include "connectors/spi/sink.h"
#include "connectors/spi/source.h"

namespace hub::connector {

// One outbound HTTP exchange, reported for latency metrics.
struct HttpObservation {
  std::string method;
  std::string endpoint;  // a stable label: the operation or path template, never a full URL with ids
  int status = 0;        // 0 when no answer came
  double seconds = 0;
};

// What the hub lends a connector instance.
struct ConnectorContext {
  std::string instance;    // the instance's name in hub.yaml
  std::string config_dir;  // for resolving relative paths
  std::function<void(std::string_view event, const nlohmann::json& fields)> log;
  std::function<void(const HttpObservation&)> observe_http;
  std::function<Millis()> now;
  // Before every call to the system: waits until the instance's rate limit
  // (`rate_limit` in hub.yaml) lets one more call go. False when the hub is
  // aborting calls at its shutdown deadline: then make no call.
  // connectors/http does this for every request.
  std::function<bool()> pace;
  // True once the hub wants calls in flight to end now (its shutdown
  // deadline passed); a long call checks it and ends as RetryableError.
  std::function<bool()> aborted;
};

class Connector {
 public:
  virtual ~Connector() = default;
  // `options` have been validated against the type's source/sink option specs.
  virtual std::unique_ptr<Source> openSource(const std::string& entity, const nlohmann::json& options) = 0;
  virtual std::unique_ptr<Sink> openSink(const std::string& entity, const nlohmann::json& options) = 0;
};

struct ConnectorType {
  std::string name;
  std::string summary;
  SettingsSpec settings;        // keys of the instance block in hub.yaml
  SettingsSpec source_options;  // keys of a flow's `source.options`
  SettingsSpec sink_options;    // keys of a flow target's `options`
  std::vector<std::string> source_entities;  // empty = any entity name
  std::vector<std::string> sink_entities;
  // Pure cross-field checks after the spec passed; no I/O.
  std::function<std::vector<SettingsIssue>(const nlohmann::json& settings)> validate;
  std::function<std::unique_ptr<Connector>(const ConnectorContext&, const nlohmann::json& settings)> create;
};

}  // namespace hub::connector
