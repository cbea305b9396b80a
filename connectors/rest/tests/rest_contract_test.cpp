// The shared connector contract, run against the collection API on loopback.
#include "connectors/rest/rest_connector.h"
#include "connectors/rest/tests/collection_server.h"
#include "tests/contract/connector_contract.h"

namespace hub::test {
namespace {

class RestHarness : public ContractHarness {
 public:
  std::string sourceEntity() override { return "items"; }
  std::string sinkEntity() override { return "items"; }
  nlohmann::json sourceOptions() override {
    return {{"path", "/items"}, {"key", "code"}, {"paging", "cursor"}, {"updated_since_param", "updated_since"}};
  }
  nlohmann::json sinkOptions() override { return {{"path", "/items"}}; }
  std::unique_ptr<connector::Connector> connect(connector::ConnectorContext ctx) override {
    server.requireHeader("Authorization", "Bearer contract-token");
    ctx.instance = "contract";
    const nlohmann::json settings = {{"base_url", server.baseUrl()},
                                     {"auth", {{"type", "bearer"}, {"token", "contract-token"}}},
                                     {"timeout", "300ms"}};
    return connector::rest::connectorType().create(ctx, settings);
  }
  std::vector<std::string> seed(std::size_t n, connector::Millis updatedAt) override {
    std::vector<std::string> keys;
    for (std::size_t i = 0; i < n; ++i) {
      keys.push_back("S-" + std::to_string(1000 + i));
      server.put(keys.back(), updatedAt);
    }
    return keys;
  }
  void touch(const std::string& key, connector::Millis updatedAt) override { server.touch(key, updatedAt); }
  nlohmann::json document(const std::string& key) override { return {{"code", key}, {"name", "Dealer " + key}}; }
  nlohmann::json invalidDocument(const std::string& key) override { return {{"code", key}}; }
  std::size_t stored(const std::string& key) override { return server.count(key); }
  void injectFault(Fault fault) override {
    switch (fault) {
      case Fault::ServerError: server.inject(CollectionServer::Fault::ServerError); break;
      case Fault::RateLimited: server.inject(CollectionServer::Fault::RateLimited); break;
      case Fault::Timeout: server.inject(CollectionServer::Fault::Timeout); break;
      case Fault::MalformedBody: server.inject(CollectionServer::Fault::Malformed); break;
      case Fault::SessionExpired: break;
    }
  }

  CollectionServer server;
};

using Harnesses = ::testing::Types<RestHarness>;
INSTANTIATE_TYPED_TEST_SUITE_P(Rest, ConnectorContract, Harnesses);
INSTANTIATE_TYPED_TEST_SUITE_P(Rest, HttpConnectorContract, Harnesses);
// A generic REST API sends its credential on every call: no session to renew.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(SessionConnectorContract);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(ConfirmingConnectorContract);

}  // namespace
}  // namespace hub::test
