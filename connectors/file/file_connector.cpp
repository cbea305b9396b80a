#include "connectors/file/file_connector.h"

#include "connectors/file/jsonl_sink.h"
#include "connectors/file/jsonl_source.h"
#include "connectors/spi/errors.h"

namespace hub::connector::file {
namespace {

class FileConnector final : public Connector {
 public:
  FileConnector(const ConnectorContext& context, Settings settings)
      : context_(context), settings_(std::move(settings)) {}

  std::unique_ptr<Source> openSource(const std::string&, const nlohmann::json& options) override {
    return std::make_unique<JsonlSource>(parseSourceOptions(settings_, options), context_.log);
  }
  std::unique_ptr<Sink> openSink(const std::string& entity, const nlohmann::json& options) override {
    return std::make_unique<JsonlSink>(parseSinkOptions(settings_, entity, options), settings_.fsync, context_.now);
  }

 private:
  ConnectorContext context_;
  Settings settings_;
};

}  // namespace

ConnectorType connectorType() {
  ConnectorType t;
  t.name = "file";
  t.summary = "JSON Lines files: an inbox folder as a source, an outbox file per entity as a sink";
  t.settings = settingsSpec();
  t.source_options = sourceOptionsSpec();
  t.sink_options = sinkOptionsSpec();
  t.validate = [](const nlohmann::json& settings) {
    std::vector<SettingsIssue> issues;
    if (settings.value("directory", std::string()).empty()) issues.push_back({"/directory", "must not be empty"});
    return issues;
  };
  t.create = [](const ConnectorContext& context, const nlohmann::json& settings) -> std::unique_ptr<Connector> {
    return std::make_unique<FileConnector>(context, parseSettings(settings, context.config_dir));
  };
  return t;
}

}  // namespace hub::connector::file
