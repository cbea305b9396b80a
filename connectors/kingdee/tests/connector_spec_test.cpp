// The connector type's declared settings and its pure cross-field checks.
#include <gtest/gtest.h>

#include "connectors/kingdee/kingdee_connector.h"
#include "connectors/spi/errors.h"

namespace hub::connector::kingdee {
namespace {

using nlohmann::json;

json base() {
  return {{"base_url", "https://erp.example.cn/k3cloud/"}, {"acct_id", "65a1b2c3d4e5f6"}, {"username", "dms_api"},
          {"password", "x"}};
}

std::vector<std::string> pointers(const json& settings) {
  std::vector<std::string> out;
  for (const auto& i : connectorType().validate(settings)) out.push_back(i.pointer);
  return out;
}

TEST(KingdeeConnectorSpec, SecretsAreMarkedForRedaction) {
  for (const auto& f : connectorType().settings)
    EXPECT_EQ(f.secret, f.name == "password" || f.name == "app_secret") << f.name;
}

TEST(KingdeeConnectorSpec, ValidSessionLoginSettingsPass) { EXPECT_TRUE(pointers(base()).empty()); }

TEST(KingdeeConnectorSpec, ValidateUserNeedsAPassword) {
  json s = base();
  s.erase("password");
  EXPECT_EQ(pointers(s), (std::vector<std::string>{"/password"}));
}

TEST(KingdeeConnectorSpec, SignedModesNeedAppIdAndSecret) {
  json s = base();
  s["auth"] = "login_by_sign";
  EXPECT_EQ(pointers(s), (std::vector<std::string>{"/app_id", "/app_secret"}));
}

TEST(KingdeeConnectorSpec, SignedHeadersNeedAnAppIdWithADerivableGatewaySecret) {
  json s = base();
  s["auth"] = "signed_headers";
  s["app_id"] = "224466_tooshort";
  s["app_secret"] = "x";
  EXPECT_EQ(pointers(s), (std::vector<std::string>{"/app_id"}));
  s["app_id"] = "224466_QUJDREVGR0hJSktMTU5PUFFSU1RVVldY";
  EXPECT_TRUE(pointers(s).empty());
}

// page_limit's range is in the spec, checked when hub.yaml is read.
TEST(KingdeeConnectorSpec, UrlAndZoneAreChecked) {
  json s = base();
  s["base_url"] = "erp.example.cn/k3cloud";
  s["server_time_zone"] = "China/Beijing";
  EXPECT_EQ(pointers(s), (std::vector<std::string>{"/base_url", "/server_time_zone"}));
}

TEST(KingdeeConnectorSpec, PollSettingsOutOfRangeAreRefusedWhenTheSinkOpens) {
  auto conn = connectorType().create(ConnectorContext{}, base());
  auto open = [&](const json& poll) {
    json options = {{"save_mode", "poll"}};
    options.update(poll);
    return conn->openSink("SAL_SaleOrder", options);
  };
  EXPECT_THROW(open({{"max_polls", 0}}), PermanentError);
  EXPECT_THROW(open({{"max_polls", 601}}), PermanentError);
  EXPECT_THROW(open({{"poll_interval", 5}}), PermanentError);
  EXPECT_THROW(open({{"poll_interval", 60001}}), PermanentError);
  EXPECT_NO_THROW(open({{"max_polls", 600}, {"poll_interval", 10}}));
}

TEST(KingdeeConnectorSpec, EveryFormReadsAndAllButInventoryWrite) {
  const auto t = connectorType();
  EXPECT_EQ(t.source_entities.size(), 8u);
  EXPECT_EQ(t.sink_entities.size(), 7u);
  EXPECT_EQ(std::count(t.sink_entities.begin(), t.sink_entities.end(), "STK_Inventory"), 0);
}

}  // namespace
}  // namespace hub::connector::kingdee
