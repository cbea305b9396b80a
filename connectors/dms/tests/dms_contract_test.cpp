// The shared connector contract, run against the DMS simulator on loopback
// with client credentials (so an expired token can be renewed).
#include "connectors/dms/dms_connector.h"
#include "connectors/dms/sim/dms_simulator.h"
#include "tests/contract/connector_contract.h"

namespace hub::test {
namespace {

using connector::dms::sim::FaultKind;

class DmsHarness : public ContractHarness {
 public:
  DmsHarness() {
    connector::dms::sim::SimulatorOptions o;
    o.timeout_fault_delay = 800;
    sim = std::make_unique<connector::dms::sim::DmsSimulator>(o);
    sim->start();
  }
  std::string sourceEntity() override { return "customers"; }
  std::string sinkEntity() override { return "customers"; }
  std::unique_ptr<connector::Connector> connect(connector::ConnectorContext ctx) override {
    ctx.instance = "contract";
    return connector::dms::connectorType().create(
        ctx, {{"base_url", sim->baseUrl()}, {"client_id", "hub"}, {"client_secret", "dms-sim-secret"}, {"timeout", "300ms"}});
  }
  std::vector<std::string> seed(std::size_t n, connector::Millis updatedAt) override {
    std::vector<std::string> keys;
    for (std::size_t i = 0; i < n; ++i) {
      keys.push_back("C" + std::to_string(20000 + i));
      sim->put("customers", document(keys.back()), updatedAt);
    }
    return keys;
  }
  void touch(const std::string& key, connector::Millis updatedAt) override { sim->touch("customers", key, updatedAt); }
  nlohmann::json document(const std::string& key) override {
    return {{"code", key}, {"name", "杭州华联贸易有限公司"}, {"group", "KH02"}, {"status", "active"}};
  }
  nlohmann::json invalidDocument(const std::string& key) override { return {{"code", key}, {"status", "frozen"}}; }
  std::size_t stored(const std::string& key) override { return sim->find("customers", key) ? 1 : 0; }
  void injectFault(Fault fault) override {
    switch (fault) {
      case Fault::ServerError: sim->inject({FaultKind::ServerError}); break;
      case Fault::RateLimited: sim->inject({FaultKind::RateLimited}); break;
      case Fault::Timeout: sim->inject({FaultKind::Timeout}); break;
      case Fault::SessionExpired: sim->inject({FaultKind::TokenExpired}); break;
      case Fault::MalformedBody: sim->inject({FaultKind::Malformed}); break;
    }
  }

  std::unique_ptr<connector::dms::sim::DmsSimulator> sim;
};

using Harnesses = ::testing::Types<DmsHarness>;
INSTANTIATE_TYPED_TEST_SUITE_P(Dms, ConnectorContract, Harnesses);
INSTANTIATE_TYPED_TEST_SUITE_P(Dms, HttpConnectorContract, Harnesses);
INSTANTIATE_TYPED_TEST_SUITE_P(Dms, SessionConnectorContract, Harnesses);
// DMS answers every push at once: nothing is accepted for later processing.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(ConfirmingConnectorContract);

}  // namespace
}  // namespace hub::test
