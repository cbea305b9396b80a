#pragma once
// A started DMS simulator and a dms connector pointed at it, for loopback tests.
#include <gtest/gtest.h>

#include "connectors/dms/dms_connector.h"
#include "connectors/dms/sim/dms_simulator.h"
#include "connectors/spi/errors.h"

namespace hub::test {

class DmsFixture : public ::testing::Test {
 protected:
  using Sim = connector::dms::sim::DmsSimulator;

  static connector::dms::sim::SimulatorOptions fastOptions() {
    connector::dms::sim::SimulatorOptions o;
    o.timeout_fault_delay = 800;  // past the connector's 300 ms below
    return o;
  }
  void SetUp() override {
    sim = std::make_unique<Sim>(fastOptions());
    sim->start();
  }
  // Static token unless `clientCredentials`.
  std::unique_ptr<connector::Connector> connect(bool clientCredentials = false) {
    connector::ConnectorContext ctx;
    ctx.instance = "dms-test";
    ctx.observe_http = [this](const connector::HttpObservation& o) { observed.push_back(o); };
    nlohmann::json settings = {{"base_url", sim->baseUrl()}, {"timeout", "300ms"}};
    if (clientCredentials) {
      settings["client_id"] = "hub";
      settings["client_secret"] = "dms-sim-secret";
    } else {
      settings["token"] = "dms-sim-token";
    }
    return connector::dms::connectorType().create(ctx, settings);
  }
  static connector::OutboundRecord outbound(const std::string& key, nlohmann::json doc, std::string idem = {}) {
    connector::OutboundRecord r;
    r.key = key;
    r.idempotency_key = idem.empty() ? "idem-" + key : idem;
    r.document = std::move(doc);
    return r;
  }
  static nlohmann::json customer(const std::string& code, const std::string& name = "成都鑫源商贸有限公司") {
    return {{"code", code}, {"name", name}, {"group", "KH01"}, {"status", "active"}};
  }
  // A dealer, two products and an order with two lines (qty 10 and 5).
  void seedOrder(const std::string& orderNo) {
    sim->put("customers", customer("C00001"), 1700000000000);
    for (const char* sku : {"MAT00001", "MAT00002"})
      sim->put("products", {{"sku", sku}, {"name", "矿泉水"}, {"base_unit", "BOX"}}, 1700000000000);
    sim->put("orders",
             {{"order_no", orderNo}, {"dealer_code", "C00001"}, {"status", "approved"},
              {"lines", {{{"line_no", 1}, {"sku", "MAT00001"}, {"qty", 10}}, {{"line_no", 2}, {"sku", "MAT00002"}, {"qty", 5}}}}},
             1700000000000);
  }
  std::size_t effects(const std::string& effect) const {
    std::size_t n = 0;
    for (const auto& e : sim->ledger()) n += e.effect == effect;
    return n;
  }

  std::unique_ptr<Sim> sim;
  std::vector<connector::HttpObservation> observed;
};

}  // namespace hub::test
