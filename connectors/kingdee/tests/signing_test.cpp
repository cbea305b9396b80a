// Every Kingdee value in ../shared/protocols/vectors.json, reproduced.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "connectors/kingdee/kingdee_signing.h"
#include "hub/core/digest.h"
#include "tests/support/paths.h"

namespace hub::connector::kingdee {
namespace {

using nlohmann::json;

json vectors(const std::filesystem::path& shared, const char* name) {
  std::ifstream in(shared / "protocols" / "vectors.json");
  return json::parse(in).at(name);
}

TEST(KingdeeSigning, GatewaySecretIsDerivedFromTheAppIdAsInTheVectors) {
  HUB_REQUIRE_SHARED(shared);
  for (const auto& v : vectors(shared, "kingdee_x_api_signature"))
    EXPECT_EQ(gatewaySecret(v["appId"].get<std::string>()), v["gatewaySecret"].get<std::string>());
}

TEST(KingdeeSigning, ApiStringToSignMatchesTheVectors) {
  HUB_REQUIRE_SHARED(shared);
  for (const auto& v : vectors(shared, "kingdee_x_api_signature"))
    EXPECT_EQ(apiStringToSign(v["path"].get<std::string>(), v["nonce"].get<std::string>(),
                              v["timestamp"].get<std::string>()),
              v["stringToSign"].get<std::string>());
}

TEST(KingdeeSigning, ApiSignatureMatchesTheVectors) {
  HUB_REQUIRE_SHARED(shared);
  for (const auto& v : vectors(shared, "kingdee_x_api_signature")) {
    const auto secret = gatewaySecret(v["appId"].get<std::string>());
    ASSERT_TRUE(secret);
    EXPECT_EQ(apiSignature(*secret, v["path"].get<std::string>(), v["nonce"].get<std::string>(),
                           v["timestamp"].get<std::string>()),
              v["X-Api-Signature"].get<std::string>());
  }
}

TEST(KingdeeSigning, KdAppdataAndSignatureMatchTheVectors) {
  HUB_REQUIRE_SHARED(shared);
  for (const auto& v : vectors(shared, "kingdee_x_kd_headers")) {
    const std::string plain = v["appDataPlain"].get<std::string>();
    EXPECT_EQ(digest::base64(plain), v["X-Kd-Appdata"].get<std::string>());
    EXPECT_EQ(kdSignature(v["appId"].get<std::string>(), plain, v["appSecret"].get<std::string>()),
              v["X-Kd-Signature"].get<std::string>());
  }
}

TEST(KingdeeSigning, AppDataPlainJoinsAcctUserLcidAndOrg) {
  EXPECT_EQ(appDataPlain("65a1b2c3d4e5f6", "dms_api", 2052, "100"), "65a1b2c3d4e5f6,dms_api,2052,100");
  EXPECT_EQ(appDataPlain("acct1", "administrator", 1033, ""), "acct1,administrator,1033,0");
}

TEST(KingdeeSigning, LoginSignMatchesTheVectorsInSha256AndSha1) {
  HUB_REQUIRE_SHARED(shared);
  for (const auto& v : vectors(shared, "kingdee_login_by_sign")) {
    const auto& in = v["acctID,username,appId,appSecret,timestamp"];
    const auto s = [&](int i) { return in[i].get<std::string>(); };
    EXPECT_EQ(loginSign(s(0), s(1), s(2), s(3), s(4)), v["sign_sha256"].get<std::string>());
    EXPECT_EQ(loginSign(s(0), s(1), s(2), s(3), s(4), SignHash::Sha1), v["sign_sha1"].get<std::string>());
  }
}

TEST(KingdeeSigning, HashMacIsBase64OfTheHexText) {
  const std::string mac = hashMac("message", "key");
  EXPECT_EQ(mac.size(), 88u);
  std::string decoded;
  ASSERT_TRUE(digest::base64Decode(mac, decoded));
  EXPECT_EQ(decoded, digest::hex(digest::hmacSha256("key", "message")));
}

TEST(KingdeeSigning, AppIdWithoutA32CharacterSecretHasNoGatewaySecret) {
  EXPECT_FALSE(gatewaySecret("224466"));
  EXPECT_FALSE(gatewaySecret("224466_short"));
  EXPECT_THROW(signedHeaders({"224466_short", "s", "a", "u", "0", 2052, "/p", "n", "1"}), std::invalid_argument);
}

TEST(KingdeeSigning, SignedHeadersCarryBothGroups) {
  SignedHeaderInput in{"224466_QUJDREVGR0hJSktMTU5PUFFSU1RVVldY", "0123456789abcdef0123456789abcdef",
                       "65a1b2c3d4e5f6", "dms_api", "100", 2052,
                       "/k3cloud/Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.Save.common.kdsvc",
                       "1700000000000", "1700000000000"};
  std::map<std::string, std::string> h;
  for (const auto& [k, v] : signedHeaders(in)) h[k] = v;
  EXPECT_EQ(h["X-Api-ClientID"], "224466");
  EXPECT_EQ(h["X-Api-Auth-Version"], "2.0");
  EXPECT_EQ(h["x-api-signheaders"], "x-api-timestamp,x-api-nonce");
  EXPECT_EQ(h["X-Api-Signature"], "MWMzNjBhYTFiMmE1Yzk3NjM1OTI5MzBmNjI0ZmU4Zjc2YWY1NWI2Y2E4NTZjY2Y1YTYyYzg2MTM2MzZkN2YyMw==");
  EXPECT_EQ(h["X-Kd-Appdata"], "NjVhMWIyYzNkNGU1ZjYsZG1zX2FwaSwyMDUyLDEwMA==");
  EXPECT_EQ(h["X-Kd-Signature"], "ZTQ1ZTUyYjU5MTY2NDk4YWZiYTlkOTViZDVmY2JjNGIxZTM1ODk1ZjdiYjAzZTE1YTk2M2JiNmNjMzQ4OTJlMg==");
  EXPECT_EQ(h["X-Kd-Appkey"], in.app_id);
}

}  // namespace
}  // namespace hub::connector::kingdee
