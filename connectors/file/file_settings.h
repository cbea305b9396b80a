#pragma once
// The file connector's configuration. Folders are relative to `directory`,
// which is itself relative to the folder of hub.yaml.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "connectors/rest/record_fields.h"
#include "connectors/spi/settings_spec.h"

namespace hub::connector::file {

struct Settings {
  std::filesystem::path directory;
  bool fsync = true;
};

struct SourceOptions {
  std::filesystem::path inbox;    // absolute after parsing
  std::string pattern = "*.jsonl";
  std::filesystem::path done;     // absolute; files move here once committed
  std::string key = "id";
  std::string updated_at;         // "" = lines carry no change time
  rest::TimeFormat updated_at_format = rest::TimeFormat::Iso;
  int updated_at_zone = 0;
};

enum class LineFormat { Envelope, Document };

struct SinkOptions {
  std::filesystem::path file;     // absolute outbox file
  LineFormat format = LineFormat::Envelope;
  std::vector<std::string> require;  // fields every document must have
};

SettingsSpec settingsSpec();
SettingsSpec sourceOptionsSpec();
SettingsSpec sinkOptionsSpec();

// `configDir` anchors a relative `directory`. Throw PermanentError("config").
Settings parseSettings(const nlohmann::json& settings, const std::string& configDir);
SourceOptions parseSourceOptions(const Settings& settings, const nlohmann::json& options);
SinkOptions parseSinkOptions(const Settings& settings, const std::string& entity, const nlohmann::json& options);

}  // namespace hub::connector::file
