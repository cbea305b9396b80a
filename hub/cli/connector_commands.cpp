// hub connectors describe [TYPE]: the connector types compiled into this hub
// and every setting they take, rendered from the same specs the configuration
// reader checks hub.yaml against, so what it says is what the reader enforces.
#include <ostream>

#include "connectors/spi/registry.h"
#include "hub/cli/commands.h"
#include "hub/config/hub_config.h"
#include "hub/config/settings_description.h"
#include "hub/core/suggest.h"

namespace hub::cli {
namespace {

using nlohmann::json;

json describeType(const connector::ConnectorType& t) {
  return {{"name", t.name},
          {"summary", t.summary},
          {"source_entities", t.source_entities},
          {"sink_entities", t.sink_entities},
          {"settings", config::describeSpec(t.settings)},
          {"source_options", config::describeSpec(t.source_options)},
          {"sink_options", config::describeSpec(t.sink_options)}};
}

// One setting: "timeout  duration, default 30s, from 100ms to 1h", its doc below.
void printSetting(const json& s, const std::string& indent, std::ostream& out) {
  out << indent << s["name"].get<std::string>() << "  " << s["type"].get<std::string>();
  if (s["required"].get<bool>()) out << ", required";
  if (s["secret"].get<bool>()) out << ", secret";
  if (s.contains("default")) out << ", default " << config::describedValue(s["default"]);
  if (s.contains("min"))
    out << ", from " << config::describedValue(s["min"]) << " to " << config::describedValue(s["max"]);
  if (s.contains("choices")) {
    out << ", one of:";
    for (const auto& c : s["choices"]) out << " " << c.get<std::string>();
  }
  out << "\n";
  if (!s["doc"].get<std::string>().empty()) out << indent << "    " << s["doc"].get<std::string>() << "\n";
}

void printSettings(const std::string& title, const json& settings, std::ostream& out) {
  if (settings.empty()) return;
  out << "  " << title << ":\n";
  for (const auto& s : settings) printSetting(s, "    ", out);
}

std::string entities(const json& names) {
  if (names.empty()) return "any entity";
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n.get<std::string>();
  return out;
}

int describe(const Invocation& inv, Io& io) {
  const auto& registry = connector::builtinConnectors();
  json types = json::array();
  for (const auto& name : registry.names()) {
    if (!inv.args.empty() && inv.args[0] != name) continue;
    types.push_back(describeType(*registry.find(name)));
  }
  if (types.empty())
    throw UsageError{"unknown connector type '" + inv.args[0] + "'" + didYouMean(inv.args[0], registry.names())};
  const json common = config::describeSpec(config::connectorBaseSpec());
  if (inv.has("json")) {
    io.out << json{{"common_settings", common}, {"types", types}}.dump(2) << "\n";
    return kOk;
  }
  io.out << "Every connector instance takes:\n";
  for (const auto& s : common) printSetting(s, "  ", io.out);
  for (const auto& t : types) {
    io.out << "\n" << t["name"].get<std::string>() << ": " << t["summary"].get<std::string>() << "\n"
           << "  pulls: " << entities(t["source_entities"]) << "\n"
           << "  pushes: " << entities(t["sink_entities"]) << "\n";
    printSettings("settings", t["settings"], io.out);
    printSettings("source options (a flow's source.options)", t["source_options"], io.out);
    printSettings("target options (a flow target's options)", t["sink_options"], io.out);
  }
  return kOk;
}

}  // namespace

Command connectorsCommand() {
  Command describeCmd =
      leaf("describe", "list connector types and every setting they take: type, default, range, doc", "[TYPE]",
           "Settings as hub.yaml spells them: durations like 30s, members of a block as auth.type,\n"
           "members of each list item as targets[].name. Secrets never show a value.",
           {{"json", "", "print JSON: {common_settings, types: [{name, settings, source_options, ...}]}"}}, 0, 1,
           describe);
  Command c;
  c.name = "connectors";
  c.summary = "the connector types this hub has and their settings";
  c.subcommands = {describeCmd};
  return c;
}

}  // namespace hub::cli
