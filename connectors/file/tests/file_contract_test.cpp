// The shared connector contract for JSON Lines files. No HTTP and no remote
// faults: those contract cases skip themselves.
#include <sstream>

#include "connectors/file/file_connector.h"
#include "hub/core/time.h"
#include "tests/contract/connector_contract.h"
#include "tests/support/temp_dir.h"

namespace hub::test {
namespace {

class FileHarness : public ContractHarness {
 public:
  std::string sourceEntity() override { return "customers"; }
  std::string sinkEntity() override { return "customers"; }
  nlohmann::json sourceOptions() override { return {{"updated_at", "updated_at"}}; }
  nlohmann::json sinkOptions() override { return {{"require", {"name"}}}; }
  std::unique_ptr<connector::Connector> connect(connector::ConnectorContext ctx) override {
    ctx.config_dir = dir.path().string();
    return connector::file::connectorType().create(ctx, {{"directory", "."}});
  }
  std::vector<std::string> seed(std::size_t n, connector::Millis updatedAt) override {
    std::vector<std::string> keys;
    std::string text;
    for (std::size_t i = 0; i < n; ++i) {
      keys.push_back("F-" + std::to_string(1000 + i));
      text += line(keys.back(), updatedAt);
    }
    dir.write("inbox/seed-" + std::to_string(files_++) + ".jsonl", text);
    return keys;
  }
  void touch(const std::string& key, connector::Millis updatedAt) override {
    dir.write("inbox/touch-" + std::to_string(files_++) + ".jsonl", line(key, updatedAt));
  }
  nlohmann::json document(const std::string& key) override { return {{"id", key}, {"name", "经销商 " + key}}; }
  nlohmann::json invalidDocument(const std::string& key) override { return {{"id", key}}; }
  std::size_t stored(const std::string& key) override {
    std::istringstream in(readFile(dir.file("outbox/customers.jsonl")));
    std::size_t n = 0;
    for (std::string l; std::getline(in, l);) n += nlohmann::json::parse(l)["key"] == key;
    return n;
  }
  void injectFault(Fault) override {}

 private:
  static std::string line(const std::string& key, connector::Millis at) {
    return nlohmann::json{{"id", key}, {"name", "经销商 " + key}, {"updated_at", formatIsoMillis(at)}}.dump() + "\n";
  }
  TempDir dir;
  int files_ = 0;
};

using Harnesses = ::testing::Types<FileHarness>;
INSTANTIATE_TYPED_TEST_SUITE_P(File, ConnectorContract, Harnesses);
// Files: no HTTP calls, no faults of a server, no session.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(HttpConnectorContract);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(SessionConnectorContract);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(ConfirmingConnectorContract);

}  // namespace
}  // namespace hub::test
