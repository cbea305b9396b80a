#pragma once
// The validated contents of hub.yaml. Produced only by loadConfig(), which
// refuses a file with any problem, so every field here can be trusted.
// Settings have their defaults and ranges in hubSpec() (hub_spec.cpp) and
// nowhere else: the loader copies every value, given or defaulted, from what
// the spec reader produced, so the members here start empty.
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <tl/expected.hpp>
#include <vector>

#include "connectors/spi/registry.h"
#include "hub/config/location_index.h"
#include "hub/config/substitution.h"
#include "hub/core/problem.h"
#include "hub/core/time.h"

namespace hub::config {

struct TlsConfig {
  std::string host;
  int port = 0;
  std::string cert_file;
  std::string key_file;
};

struct ServerConfig {
  std::string host;
  int port = 0;
  std::size_t max_body_bytes = 0;
  Millis shutdown_deadline = 0;
  int threads = 0;
  std::optional<TlsConfig> tls;
};

struct StoreConfig {
  std::string driver;
  std::string path;               // absolute, resolved against the config's folder
  bool synchronous_full = false;  // false = NORMAL (may lose the last commits on power loss)
  Millis busy_timeout = 0;
  std::string url;                // postgresql connection string
  std::string password;
  int pool = 0;
  Millis statement_timeout = 0;
  Millis connect_timeout = 0;
};

struct ClusterConfig {
  Millis leader_ttl = 0;
};

struct EngineConfig {
  int workers = 0;
  Millis lease_ttl = 0;
  Millis poll_interval = 0;
  Millis retention = 0;
};

struct ConnectorInstance {
  std::string name;
  std::string type;
  nlohmann::json settings;  // the type's own keys, validated against its spec
  std::string pointer;      // JSON pointer of the block, for locating later problems
  double rate_per_second = 0;  // 0 = unlimited: the instance has no rate_limit block
  double rate_burst = 0;
  int breaker_failures = 0;
  Millis breaker_open_for = 0;
};

// A flow's `retry` block; engine::RetryPolicy says what it means.
struct RetrySettings {
  Millis base = 0;
  double factor = 0;
  Millis cap = 0;
  int max_attempts = 0;
  double jitter = 0;
};

// How long a target that accepted a record for later processing (Outcome
// Awaiting) has to confirm it, and how often it is asked.
struct ConfirmationSettings {
  Millis timeout = 0;
  Millis interval = 0;
};

struct SourceBinding {
  std::string connector;
  std::string entity;
  nlohmann::json options = nlohmann::json::object();
  std::size_t page_size = 0;
  Millis overlap = 0;
};

struct TargetBinding {
  std::string name;  // defaults to "<connector>.<entity>"
  std::string connector;
  std::string entity;
  std::string mapping;
  nlohmann::json options = nlohmann::json::object();
  // Route: only records whose `when_field` holds one of `when_in` go here; empty field = every record.
  std::string when_field;
  std::vector<std::string> when_in;
};

struct FlowConfig {
  std::string name;
  std::string entity;  // canonical entity this flow moves: the namespace of its cross-references
  SourceBinding source;
  std::vector<TargetBinding> targets;
  nlohmann::json triggers = nlohmann::json::array();  // read by the scheduler and webhook intake
  std::size_t batch_size = 0;
  RetrySettings retry;
  Millis park_timeout = 0;
  ConfirmationSettings confirmation;
  bool paused = false;
  std::string on_overlap;  // a trigger while the flow runs: skip | queue
  std::string misfire;     // after downtime: run_once | skip
  std::string pointer;
};

struct HubConfig {
  std::string file;      // path as given
  std::string base_dir;  // folder of the file: relative paths resolve here
  ServerConfig server;
  StoreConfig store;
  ClusterConfig cluster;
  EngineConfig engine;
  std::string mapping_dir;
  std::string timezone;
  std::string log_level;
  std::vector<ConnectorInstance> connectors;
  std::vector<FlowConfig> flows;

  const ConnectorInstance* connector(const std::string& name) const;
  const FlowConfig* flow(const std::string& name) const;
};

struct LoadedConfig {
  HubConfig config;
  LocationIndex where;
};

// Checks that need other components (cron syntax, time zones), injected so
// the loader does not depend on them.
struct LoadHooks {
  std::function<std::optional<std::string>(const std::string& cron)> checkSchedule;  // error text or nothing
  std::function<bool(const std::string& zone)> knownZone;
};

tl::expected<LoadedConfig, Problems> loadConfig(const std::string& path, const connector::Registry& registry,
                                                const LoadHooks& hooks = {},
                                                const SubstitutionSource& source = SubstitutionSource::process());

// Same, from text; `file` labels locations and `baseDir` resolves relative paths.
tl::expected<LoadedConfig, Problems> parseConfig(const std::string& text, const std::string& file,
                                                 const std::string& baseDir, const connector::Registry& registry,
                                                 const LoadHooks& hooks = {},
                                                 const SubstitutionSource& source = SubstitutionSource::process());

// The hub's own keys (everything but connector-specific settings).
const connector::SettingsSpec& hubSpec();
// Keys every connector instance has besides its type's settings.
const connector::SettingsSpec& connectorBaseSpec();

}  // namespace hub::config
