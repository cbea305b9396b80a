#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <tuple>
#include <fstream>
#include <set>
#include <sstream>

#include "hub/config/hub_config.h"
#include "hub/config/spec_reader.h"
#include "hub/core/digest.h"
#include "hub/core/numbers.h"
#include "hub/core/redaction.h"
#include "hub/core/suggest.h"

namespace hub::config {
using connector::Field;
using connector::SettingsSpec;
using nlohmann::json;

const ConnectorInstance* HubConfig::connector(const std::string& name) const {
  for (const auto& c : connectors)
    if (c.name == name) return &c;
  return nullptr;
}

const FlowConfig* HubConfig::flow(const std::string& name) const {
  for (const auto& f : flows)
    if (f.name == name) return &f;
  return nullptr;
}

namespace {

bool endsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string absolute(const std::string& baseDir, const std::string& path) {
  if (path.empty() || path[0] == '/') return path;
  return (std::filesystem::path(baseDir) / path).lexically_normal().string();
}

bool splitHostPort(const std::string& text, std::string& host, int& port) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) return false;
  host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  const auto number = parseInteger(std::string_view(text).substr(colon + 1), 0, 65535);  // 0 = any free port
  if (!number) return false;
  port = static_cast<int>(*number);
  return !host.empty();
}

class Loader {
 public:
  Loader(const std::string& file, const std::string& baseDir, const connector::Registry& registry,
         const LoadHooks& hooks, const SubstitutionSource& source)
      : baseDir_(baseDir), registry_(registry), hooks_(hooks), reader_(baseDir, source, index_, problems_) {
    index_.setFile(file);
  }

  tl::expected<LoadedConfig, Problems> run(const std::string& text) {
    YAML::Node root;
    try {
      root = YAML::Load(text);
    } catch (const YAML::ParserException& e) {
      problems_.push_back({{index_.file(), e.mark.line + 1, e.mark.column + 1}, e.msg});
      return tl::unexpected(problems_);
    }
    if (root.IsNull()) root = YAML::Node(YAML::NodeType::Map);
    reader_.deferAnyWhen([](const std::string& p) {
      return p.rfind("/connectors/", 0) == 0 || endsWith(p, "/options");
    });
    json doc = reader_.readObject(root, hubSpec(), "", "the configuration");
    // readObject reported a document that is not a mapping; nothing below can read it.
    if (!root.IsMap()) return tl::unexpected(problems_);
    readConnectors(root, doc);
    readFlowOptions(root, doc);
    checkFlows(doc);
    if (hooks_.knownZone && doc.contains("timezone") && !hooks_.knownZone(doc["timezone"]))
      problems_.push_back(index_.problem("/timezone", "unknown time zone '" + doc["timezone"].get<std::string>() + "'"));
    LoadedConfig out;
    build(doc, out.config);
    if (!problems_.empty()) {
      std::stable_sort(problems_.begin(), problems_.end(), [](const Problem& a, const Problem& b) {
        return std::tie(a.where.line, a.where.column) < std::tie(b.where.line, b.where.column);
      });
      return tl::unexpected(problems_);
    }
    out.where = index_;
    return out;
  }

 private:
  void problem(const std::string& pointer, const std::string& message) {
    problems_.push_back(index_.problem(pointer, redact(message)));
  }

  void readConnectors(const YAML::Node& root, json& doc) {
    const YAML::Node list = root["connectors"];
    if (!list || !list.IsSequence()) return;
    std::map<std::string, int> firstLine;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const YAML::Node item = list[i];
      const std::string pointer = "/connectors/" + std::to_string(i);
      if (!item.IsMap()) {
        reader_.report(item, "each connector must be a mapping with 'name' and 'type'");
        continue;
      }
      SettingsSpec spec = connectorBaseSpec();
      const connector::ConnectorType* type = nullptr;
      if (const YAML::Node t = item["type"]; t && t.IsScalar()) {
        type = registry_.find(t.Scalar());
        if (!type) {
          reader_.report(t, "unknown connector type '" + t.Scalar() + "'" + didYouMean(t.Scalar(), registry_.names()) +
                                "; known types: " + joined(registry_.names()));
        }
      } else {
        // Without a type nothing else of the block can be checked, so say so.
        reader_.report(t ? t : item, "each connector needs a 'type': one of " + joined(registry_.names()));
      }
      if (type) spec.insert(spec.end(), type->settings.begin(), type->settings.end());
      json block;
      if (type) {
        block = reader_.readObject(item, spec, pointer, "connector '" + scalar(item["name"]) + "'");
      } else {
        block = json::object();
        if (item["name"]) block["name"] = scalar(item["name"]);
      }
      const std::string name = block.value("name", "");
      if (!name.empty()) {
        const int line = reader_.where(item["name"]).line;
        if (auto it = firstLine.find(name); it != firstLine.end()) {
          reader_.report(item["name"], "duplicate connector name '" + name + "' (first defined at line " +
                                           std::to_string(it->second) + ")");
        } else {
          firstLine[name] = line;
        }
      }
      if (type && type->validate) {
        json settings = block;
        for (const auto& f : connectorBaseSpec()) settings.erase(f.name);
        for (const auto& issue : type->validate(settings)) problem(pointer + issue.pointer, issue.message);
      }
      doc["connectors"][i] = block;
    }
  }

  const connector::ConnectorType* typeOf(const json& doc, const std::string& instance) const {
    if (!doc.contains("connectors")) return nullptr;
    for (const auto& c : doc["connectors"])
      if (c.is_object() && c.value("name", "") == instance) return registry_.find(c.value("type", ""));
    return nullptr;
  }

  void readFlowOptions(const YAML::Node& root, json& doc) {
    const YAML::Node flows = root["flows"];
    if (!flows || !flows.IsSequence() || !doc.contains("flows")) return;
    for (std::size_t i = 0; i < flows.size() && i < doc["flows"].size(); ++i) {
      json& flow = doc["flows"][i];
      const std::string base = "/flows/" + std::to_string(i);
      const YAML::Node node = flows[i];
      if (!flow.is_object()) continue;
      if (flow.contains("source") && flow["source"].is_object()) {
        const auto* type = typeOf(doc, flow["source"].value("connector", ""));
        flow["source"]["options"] = readOptions(node["source"], type ? &type->source_options : nullptr,
                                                base + "/source/options", "source options");
      }
      if (flow.contains("targets") && flow["targets"].is_array()) {
        for (std::size_t t = 0; t < flow["targets"].size(); ++t) {
          json& target = flow["targets"][t];
          if (!target.is_object()) continue;
          const auto* type = typeOf(doc, target.value("connector", ""));
          target["options"] = readOptions(node["targets"][t], type ? &type->sink_options : nullptr,
                                          base + "/targets/" + std::to_string(t) + "/options", "target options");
        }
      }
    }
  }

  // `owner` is the source or target block; its `options` may be absent.
  json readOptions(const YAML::Node& owner, const SettingsSpec* spec, const std::string& pointer, const std::string& what) {
    const YAML::Node node = owner.IsMap() ? owner["options"] : YAML::Node();
    if (!spec) return node ? reader_.readAny(node, pointer) : json::object();
    if (!node || node.IsNull()) return reader_.readAbsentObject(owner, *spec, pointer, what);
    return reader_.readObject(node, *spec, pointer, what);
  }

  void checkFlows(const json& doc) {
    std::set<std::string> connectorNames;
    std::vector<std::string> connectorList;
    for (const auto& c : doc.value("connectors", json::array())) {
      if (c.is_object() && c.contains("name")) {
        connectorNames.insert(c["name"].get<std::string>());
        connectorList.push_back(c["name"].get<std::string>());
      }
    }
    std::map<std::string, std::string> flowNames;
    const json flows = doc.value("flows", json::array());
    for (std::size_t i = 0; i < flows.size(); ++i) {
      const json& f = flows[i];
      const std::string base = "/flows/" + std::to_string(i);
      if (!f.is_object()) continue;
      const std::string name = f.value("name", "");
      if (!name.empty()) {
        if (flowNames.count(name)) {
          problem(base + "/name", "duplicate flow name '" + name + "' (first defined at line " +
                                      std::to_string(index_.at(flowNames[name]).line) + ")");
        } else {
          flowNames[name] = base + "/name";
        }
      }
      auto checkRef = [&](const json& binding, const std::string& pointer, bool source) {
        if (!binding.is_object() || !binding.contains("connector")) return;
        const std::string c = binding["connector"];
        if (!connectorNames.count(c)) {
          problem(pointer + "/connector", "flow '" + name + "' refers to undefined connector '" + c + "'" +
                                              didYouMean(c, connectorList));
          return;
        }
        const auto* type = typeOf(doc, c);
        if (!type || !binding.contains("entity")) return;
        const auto& allowed = source ? type->source_entities : type->sink_entities;
        const std::string entity = binding["entity"];
        if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), entity) == allowed.end()) {
          problem(pointer + "/entity", "connector type '" + type->name + "' cannot " + (source ? "pull" : "push") +
                                           " entity '" + entity + "'" + didYouMean(entity, allowed) +
                                           "; it supports: " + joined(allowed));
        }
      };
      checkRef(f.value("source", json()), base + "/source", true);
      std::set<std::string> targetNames;
      const json targets = f.value("targets", json::array());
      if (targets.empty() && f.contains("targets")) problem(base + "/targets", "flow '" + name + "' has no targets");
      for (std::size_t t = 0; t < targets.size(); ++t) {
        const std::string tp = base + "/targets/" + std::to_string(t);
        checkRef(targets[t], tp, false);
        if (!targets[t].is_object()) continue;
        const std::string tname = targets[t].value("name", targets[t].value("connector", "") + "." +
                                                               targets[t].value("entity", ""));
        if (!targetNames.insert(tname).second) problem(tp, "duplicate target '" + tname + "' in flow '" + name + "'");
      }
      checkTriggers(f.value("triggers", json::array()), base + "/triggers", name);
    }
  }

  void checkTriggers(const json& triggers, const std::string& base, const std::string& flow) {
    for (std::size_t i = 0; i < triggers.size(); ++i) {
      const json& t = triggers[i];
      const std::string p = base + "/" + std::to_string(i);
      if (!t.is_object()) continue;
      const int kinds = int(t.contains("schedule")) + int(t.contains("interval")) + int(t.contains("webhook"));
      if (kinds != 1) {
        problem(p, "each trigger of flow '" + flow + "' needs exactly one of 'schedule', 'interval' or 'webhook'");
        continue;
      }
      if (t.contains("schedule") && hooks_.checkSchedule) {
        if (auto err = hooks_.checkSchedule(t["schedule"].get<std::string>())) problem(p + "/schedule", *err);
      }
      if (t.contains("timezone") && hooks_.knownZone && !hooks_.knownZone(t["timezone"]))
        problem(p + "/timezone", "unknown time zone '" + t["timezone"].get<std::string>() + "'");
      if (t.contains("webhook") && t["webhook"].is_object()) {
        const json& w = t["webhook"];
        if (!w.contains("secret") && !w.contains("secrets"))
          problem(p + "/webhook", "webhook of flow '" + flow + "' needs a 'secret' (unsigned webhooks are refused)");
        else
          checkWebhookSecrets(w, p + "/webhook", flow);
      }
    }
  }

  // An empty secret is a key anyone can sign with; a Standard Webhooks secret
  // is the key's base64, and one that does not decode could never verify.
  void checkWebhookSecrets(const json& w, const std::string& p, const std::string& flow) {
    std::vector<std::pair<std::string, std::string>> secrets;  // pointer, value
    if (w.contains("secret") && w["secret"].is_string()) secrets.emplace_back(p + "/secret", w["secret"]);
    if (w.contains("secrets") && w["secrets"].is_array())
      for (std::size_t i = 0; i < w["secrets"].size(); ++i)
        if (w["secrets"][i].is_string()) secrets.emplace_back(p + "/secrets/" + std::to_string(i), w["secrets"][i]);
    if (secrets.empty()) problem(p, "webhook of flow '" + flow + "' needs a 'secret' (unsigned webhooks are refused)");
    const bool standard = w.value("scheme", "standard") == "standard";
    const bool basic = w.value("scheme", "standard") == "basic";
    for (const auto& [pointer, value] : secrets) {
      std::string_view key = value;
      if (key.starts_with("whsec_")) key.remove_prefix(6);
      std::string bytes;
      if (value.empty())
        problem(pointer, "webhook secret of flow '" + flow + "' is empty");
      else if (standard && (key.empty() || !digest::base64Decode(key, bytes) || bytes.empty()))
        problem(pointer, "a 'standard' webhook secret must be whsec_ followed by base64; for a plain-text secret "
                         "use scheme 'hmac' or 'stripe'");
      else if (basic && (value.find(':') == std::string::npos || value.front() == ':'))
        problem(pointer, "a 'basic' webhook secret is the sender's user:password (SAP's RFC destination logon)");
    }
  }

  static std::string scalar(const YAML::Node& n) { return n && n.IsScalar() ? n.Scalar() : std::string(); }
  static std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
    return out;
  }

  // Every value comes from `doc`, given or defaulted by the spec reader, so
  // hubSpec() is the only place a default is written.
  void build(const json& doc, HubConfig& c) {
    c.file = index_.file();
    c.base_dir = baseDir_;
    const json server = block(doc, "server");
    std::string listen;
    if (copy(server, "listen", listen) && !splitHostPort(listen, c.server.host, c.server.port))
      problem("/server/listen", "'listen' must be host:port with a port from 0 (any free port) to 65535, got '" +
                                    listen + "'");
    copy(server, "max_body_bytes", c.server.max_body_bytes);
    copy(server, "shutdown_deadline", c.server.shutdown_deadline);
    copy(server, "threads", c.server.threads);
    if (server.contains("tls") && server["tls"].is_object()) {
      TlsConfig tls;
      if (!splitHostPort(server["tls"].value("listen", ""), tls.host, tls.port))
        problem("/server/tls/listen", "'listen' must be host:port");
      tls.cert_file = absolute(baseDir_, server["tls"].value("cert", ""));
      tls.key_file = absolute(baseDir_, server["tls"].value("key", ""));
      c.server.tls = tls;
    }
    const json store = block(doc, "store");
    copy(store, "driver", c.store.driver);
    if (copy(store, "path", c.store.path)) c.store.path = absolute(baseDir_, c.store.path);
    std::string synchronous;
    copy(store, "synchronous", synchronous);
    c.store.synchronous_full = synchronous == "full";
    copy(store, "busy_timeout", c.store.busy_timeout);
    copy(store, "url", c.store.url);
    copy(store, "password", c.store.password);
    copy(store, "pool", c.store.pool);
    copy(store, "statement_timeout", c.store.statement_timeout);
    copy(store, "connect_timeout", c.store.connect_timeout);
    if (c.store.driver == "postgresql" && c.store.url.empty())
      problem("/store", "store driver 'postgresql' needs 'url'");
    copy(block(doc, "cluster"), "leader_ttl", c.cluster.leader_ttl);
    const json engine = block(doc, "engine");
    copy(engine, "workers", c.engine.workers);
    copy(engine, "lease_ttl", c.engine.lease_ttl);
    copy(engine, "poll_interval", c.engine.poll_interval);
    copy(engine, "retention", c.engine.retention);
    if (copy(doc, "mapping_dir", c.mapping_dir)) c.mapping_dir = absolute(baseDir_, c.mapping_dir);
    copy(doc, "timezone", c.timezone);
    copy(block(doc, "log"), "level", c.log_level);
    const json connectors = doc.value("connectors", json::array());
    for (std::size_t i = 0; i < connectors.size(); ++i) {
      const json& item = connectors[i];
      if (!item.is_object()) continue;
      ConnectorInstance ci;
      copy(item, "name", ci.name);
      copy(item, "type", ci.type);
      ci.settings = item;
      for (const auto& f : connectorBaseSpec()) ci.settings.erase(f.name);
      const json rate = block(item, "rate_limit");
      copy(rate, "per_second", ci.rate_per_second);
      copy(rate, "burst", ci.rate_burst);
      const json breaker = block(item, "circuit_breaker");
      copy(breaker, "failures", ci.breaker_failures);
      copy(breaker, "open_for", ci.breaker_open_for);
      ci.pointer = "/connectors/" + std::to_string(i);
      c.connectors.push_back(std::move(ci));
    }
    const json flows = doc.value("flows", json::array());
    for (std::size_t i = 0; i < flows.size(); ++i) {
      const json& f = flows[i];
      if (!f.is_object()) continue;
      FlowConfig fc;
      fc.pointer = "/flows/" + std::to_string(i);
      copy(f, "name", fc.name);
      const json source = block(f, "source");
      copy(source, "connector", fc.source.connector);
      copy(source, "entity", fc.source.entity);
      copy(source, "options", fc.source.options);
      copy(source, "page_size", fc.source.page_size);
      copy(source, "overlap", fc.source.overlap);
      fc.entity = fc.source.entity;
      copy(f, "entity", fc.entity);
      for (const auto& t : f.value("targets", json::array())) {
        if (!t.is_object()) continue;
        TargetBinding tb;
        copy(t, "connector", tb.connector);
        copy(t, "entity", tb.entity);
        tb.name = tb.connector + "." + tb.entity;
        copy(t, "name", tb.name);
        copy(t, "mapping", tb.mapping);
        copy(t, "options", tb.options);
        const json when = block(t, "when");
        copy(when, "field", tb.when_field);
        copy(when, "in", tb.when_in);
        fc.targets.push_back(std::move(tb));
      }
      copy(f, "triggers", fc.triggers);
      copy(f, "batch_size", fc.batch_size);
      const json retry = block(f, "retry");
      copy(retry, "base", fc.retry.base);
      copy(retry, "factor", fc.retry.factor);
      copy(retry, "cap", fc.retry.cap);
      copy(retry, "max_attempts", fc.retry.max_attempts);
      copy(retry, "jitter", fc.retry.jitter);
      copy(f, "park_timeout", fc.park_timeout);
      const json confirmation = block(f, "confirmation");
      copy(confirmation, "timeout", fc.confirmation.timeout);
      copy(confirmation, "interval", fc.confirmation.interval);
      copy(f, "paused", fc.paused);
      copy(f, "on_overlap", fc.on_overlap);
      copy(f, "misfire", fc.misfire);
      c.flows.push_back(std::move(fc));
    }
  }

  // A member block of `doc`, or an empty one (absent only when the file had
  // problems, or for optional blocks without defaults such as rate_limit).
  static json block(const json& doc, const char* key) {
    const auto it = doc.find(key);
    return it != doc.end() && it->is_object() ? *it : json::object();
  }

  // Copies a value the spec reader produced; false when it is absent or null
  // (then `into` keeps what it had).
  template <typename T>
  static bool copy(const json& from, const char* key, T& into) {
    const auto it = from.find(key);
    if (it == from.end() || it->is_null()) return false;
    into = it->get<T>();
    return true;
  }

  std::string baseDir_;
  const connector::Registry& registry_;
  const LoadHooks& hooks_;
  LocationIndex index_;
  Problems problems_;
  SpecReader reader_;
};

}  // namespace

tl::expected<LoadedConfig, Problems> parseConfig(const std::string& text, const std::string& file,
                                                 const std::string& baseDir, const connector::Registry& registry,
                                                 const LoadHooks& hooks, const SubstitutionSource& source) {
  return Loader(file, baseDir, registry, hooks, source).run(text);
}

tl::expected<LoadedConfig, Problems> loadConfig(const std::string& path, const connector::Registry& registry,
                                                const LoadHooks& hooks, const SubstitutionSource& source) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return tl::unexpected(Problems{{{path, 0, 0}, "cannot read configuration file"}});
  std::ostringstream buf;
  buf << in.rdbuf();
  std::string dir = std::filesystem::absolute(path).parent_path().string();
  return parseConfig(buf.str(), path, dir, registry, hooks, source);
}

}  // namespace hub::config
