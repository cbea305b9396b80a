// The connector contract every connector meets, against the Kingdee simulator.
#include "connectors/kingdee/kingdee_connector.h"
#include "connectors/kingdee/sim/kingdee_simulator.h"
#include "tests/contract/connector_contract.h"

namespace hub::connector::kingdee {
namespace {

using nlohmann::json;

class KingdeeHarness : public test::ContractHarness {
 public:
  KingdeeHarness() {
    sim::SimulatorOptions o;
    o.timeout_fault_delay = 1200;  // past the client timeout below
    simulator_ = std::make_unique<sim::KingdeeSimulator>(o);
    simulator_->start();
    simulator_->book().insert("BD_MATERIAL", {{"FNumber", "MAT1"}, {"FName", "矿泉水"}, {"FCreateOrgId", {{"FNumber", "100"}}}});
    simulator_->book().insert("BD_Customer", {{"FNumber", "DEALER"}, {"FName", "经销商"}, {"FCreateOrgId", {{"FNumber", "100"}}}});
  }
  std::string sourceEntity() override { return "BD_Customer"; }
  std::string sinkEntity() override { return "SAL_SaleOrder"; }
  // The dealer the sink documents reference is base data too; keep it out of the pulls.
  json sourceOptions() override { return {{"filter", "FNumber<>'DEALER'"}}; }
  json sinkOptions() override { return {{"external_number_field", "F_DMS_OrderNo"}}; }

  std::unique_ptr<Connector> connect(ConnectorContext ctx) override {
    const auto& o = simulator_->options();
    ctx.instance = "kingdee-contract";
    return connectorType().create(ctx, {{"base_url", simulator_->baseUrl()}, {"auth", "validate_user"},
                                        {"acct_id", o.acct_id}, {"username", o.username}, {"password", o.password},
                                        {"timeout", 500}, {"connect_timeout", 1000}});
  }

  std::vector<std::string> seed(std::size_t n, Millis updatedAt) override {
    std::vector<std::string> keys;
    for (std::size_t i = 0; i < n; ++i) {
      const std::string number = "CUST-" + std::to_string(next_++);
      keys.push_back(simulator_->book().insert(
          "BD_Customer", {{"FNumber", number}, {"FName", "客户 " + number}, {"FCreateOrgId", {{"FNumber", "100"}}}},
          updatedAt));
    }
    return keys;
  }
  void touch(const std::string& key, Millis updatedAt) override { simulator_->book().touch("BD_Customer", key, updatedAt); }

  json document(const std::string& key) override {
    return {{"FDate", "2024-05-01"}, {"FSaleOrgId", {{"FNumber", "100"}}}, {"FCustId", {{"FNumber", "DEALER"}}},
            {"F_DMS_OrderNo", key},
            {"FSaleOrderEntry", json::array({{{"FMaterialId", {{"FNumber", "MAT1"}}}, {"FQty", 1}}})}};
  }
  json invalidDocument(const std::string& key) override {
    json d = document(key);
    d.erase("FCustId");
    return d;
  }
  std::size_t stored(const std::string& key) override {
    return simulator_->book().countWhere("SAL_SaleOrder", "F_DMS_OrderNo", key);
  }
  void injectFault(test::Fault fault) override {
    switch (fault) {
      case test::Fault::ServerError: simulator_->inject({sim::FaultKind::ServerError, ""}); break;
      case test::Fault::RateLimited: simulator_->inject({sim::FaultKind::RateLimited, "", 1, 429, 1}); break;
      case test::Fault::Timeout: simulator_->inject({sim::FaultKind::Timeout, ""}); break;
      case test::Fault::SessionExpired: simulator_->expireSessions(); break;
      case test::Fault::MalformedBody: simulator_->inject({sim::FaultKind::MalformedBody, ""}); break;
    }
  }

 private:
  std::unique_ptr<sim::KingdeeSimulator> simulator_;
  int next_ = 1;
};

}  // namespace
}  // namespace hub::connector::kingdee

namespace hub::test {
using KingdeeHarnesses = ::testing::Types<connector::kingdee::KingdeeHarness>;
INSTANTIATE_TYPED_TEST_SUITE_P(Kingdee, ConnectorContract, KingdeeHarnesses);
INSTANTIATE_TYPED_TEST_SUITE_P(Kingdee, HttpConnectorContract, KingdeeHarnesses);
INSTANTIATE_TYPED_TEST_SUITE_P(Kingdee, SessionConnectorContract, KingdeeHarnesses);
// Save and BatchSave answer at once (poll mode polls within the push): nothing is accepted for later.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(ConfirmingConnectorContract);
}  // namespace hub::test
