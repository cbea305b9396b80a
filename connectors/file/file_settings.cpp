#include "connectors/file/file_settings.h"

#include "connectors/spi/errors.h"

namespace hub::connector::file {
namespace {

using nlohmann::json;

std::string text(const json& j, const char* key, std::string fallback = {}) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return fallback;
  if (!it->is_string()) throw PermanentError("config", std::string(key) + ": must be a string");
  return it->get<std::string>();
}

std::filesystem::path under(const std::filesystem::path& base, const std::string& path) {
  std::filesystem::path p(path);
  return (p.is_absolute() ? p : base / p).lexically_normal();
}

}  // namespace

SettingsSpec settingsSpec() {
  return {
      Field::string("directory").require().describe("root folder; relative to the folder of hub.yaml"),
      Field::boolean("fsync").byDefault(true).describe("fsync the outbox after every batch"),
  };
}

SettingsSpec sourceOptionsSpec() {
  return {
      Field::string("inbox").byDefault("inbox").describe("folder read for files, under directory"),
      Field::string("pattern").byDefault("*.jsonl").describe("file name glob; files are read in name order"),
      Field::string("done").byDefault("done").describe("where fully read files go, under the inbox"),
      Field::string("key").byDefault("id").describe("field (dotted path or JSON pointer) holding the key"),
      Field::string("updated_at").describe("field holding the change time; empty = none"),
      Field::oneOf("updated_at_format", {"iso", "epoch_ms", "epoch_s"}).byDefault("iso"),
      Field::string("updated_at_zone").byDefault("UTC").describe("offset for zone-less times, e.g. +08:00"),
  };
}

SettingsSpec sinkOptionsSpec() {
  return {
      Field::string("outbox").byDefault("outbox").describe("folder written to, under directory"),
      Field::string("file").describe("file name; default <entity>.jsonl"),
      Field::oneOf("format", {"envelope", "document"})
          .byDefault("envelope")
          .describe("envelope: {key, idempotency_key, written_at, document}; document: the document itself "
                    "with _idempotency_key added"),
      Field::list("require", Field::string("field")).describe("fields a document must have, else it is rejected"),
  };
}

Settings parseSettings(const json& j, const std::string& configDir) {
  Settings s;
  const std::string dir = text(j, "directory");
  if (dir.empty()) throw PermanentError("config", "directory: is required");
  s.directory = under(configDir.empty() ? std::filesystem::current_path() : std::filesystem::path(configDir), dir);
  s.fsync = j.value("fsync", true);
  return s;
}

SourceOptions parseSourceOptions(const Settings& settings, const json& j) {
  SourceOptions o;
  o.inbox = under(settings.directory, text(j, "inbox", "inbox"));
  o.pattern = text(j, "pattern", o.pattern);
  o.done = under(o.inbox, text(j, "done", "done"));
  o.key = text(j, "key", o.key);
  o.updated_at = text(j, "updated_at");
  if (auto f = rest::parseTimeFormat(text(j, "updated_at_format", "iso"))) o.updated_at_format = *f;
  else throw PermanentError("config", "updated_at_format: must be iso, epoch_ms or epoch_s");
  auto zone = rest::parseZoneOffset(text(j, "updated_at_zone", "UTC"));
  if (!zone) throw PermanentError("config", "updated_at_zone: must be UTC or an offset like +08:00");
  o.updated_at_zone = *zone;
  return o;
}

SinkOptions parseSinkOptions(const Settings& settings, const std::string& entity, const json& j) {
  SinkOptions o;
  const auto outbox = under(settings.directory, text(j, "outbox", "outbox"));
  const std::string name = text(j, "file", entity + ".jsonl");
  if (name.empty() || name.find('/') != std::string::npos)
    throw PermanentError("config", "file: must be a plain file name");
  o.file = outbox / name;
  o.format = text(j, "format", "envelope") == "document" ? LineFormat::Document : LineFormat::Envelope;
  if (auto it = j.find("require"); it != j.end() && it->is_array()) o.require = it->get<std::vector<std::string>>();
  return o;
}

}  // namespace hub::connector::file
