#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "connectors/dms/standard_webhooks.h"
#include "tests/support/paths.h"

namespace hub::connector::dms {
namespace {

using nlohmann::json;

json vectors(const std::filesystem::path& shared) {
  std::ifstream in(shared / "protocols" / "vectors.json");
  return json::parse(in)["standard_webhooks"];
}

TEST(StandardWebhooks, SignaturesMatchEveryVectorInShared) {
  HUB_REQUIRE_SHARED(shared);
  const json rows = vectors(shared);
  ASSERT_FALSE(rows.empty());
  for (const auto& row : rows)
    EXPECT_EQ(webhookSignature(row["secret"].get<std::string>(), row["webhook-id"].get<std::string>(),
                               row["webhook-timestamp"].get<std::int64_t>(), row["body"].get<std::string>()),
              row["webhook-signature"].get<std::string>())
        << row["webhook-id"];
}

TEST(StandardWebhooks, VerificationAcceptsEveryVectorAtItsTime) {
  HUB_REQUIRE_SHARED(shared);
  for (const auto& row : vectors(shared)) {
    const auto ts = row["webhook-timestamp"].get<std::int64_t>();
    EXPECT_TRUE(verifyWebhook(row["secret"].get<std::string>(), row["webhook-id"].get<std::string>(), std::to_string(ts),
                              row["webhook-signature"].get<std::string>(), row["body"].get<std::string>(), ts));
  }
}

class Negative : public ::testing::Test {
 protected:
  const std::string secret = "whsec_QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=";
  const std::string body = R"({"id":"evt_1","type":"order.created"})";
  const std::string good = webhookSignature(secret, "msg_001", 1700000000, body);
};

TEST_F(Negative, FlippedBodyByteFails) {
  std::string tampered = body;
  tampered[5] ^= 1;
  EXPECT_FALSE(verifyWebhook(secret, "msg_001", "1700000000", good, tampered, 1700000000));
}

TEST_F(Negative, TimestampBeyondFiveMinutesEitherWayFails) {
  EXPECT_FALSE(verifyWebhook(secret, "msg_001", "1700000000", good, body, 1700000301));
  EXPECT_FALSE(verifyWebhook(secret, "msg_001", "1700000000", good, body, 1699999699));
  EXPECT_TRUE(verifyWebhook(secret, "msg_001", "1700000000", good, body, 1700000300));
}

TEST_F(Negative, AnyMatchingEntryOfARotatedListPasses) {
  EXPECT_TRUE(verifyWebhook(secret, "msg_001", "1700000000", "v1,AAAA " + good, body, 1700000000));
}

TEST_F(Negative, OtherSchemeVersionsAreIgnored) {
  EXPECT_FALSE(verifyWebhook(secret, "msg_001", "1700000000", "v2," + good.substr(3), body, 1700000000));
}

TEST_F(Negative, MissingOrMalformedHeadersFail) {
  EXPECT_FALSE(verifyWebhook(secret, "msg_001", "", good, body, 1700000000));
  EXPECT_FALSE(verifyWebhook(secret, "msg_001", "17e8", good, body, 1700000000));
  EXPECT_FALSE(verifyWebhook(secret, "msg_001", "1700000000", "", body, 1700000000));
  EXPECT_FALSE(verifyWebhook("not-a-secret!", "msg_001", "1700000000", good, body, 1700000000));
}

TEST_F(Negative, TimestampTooLongForAnyTimeFails) {
  EXPECT_FALSE(verifyWebhook(secret, "msg_001", "99999999999999999999", good, body, 1700000000));
}

TEST(StandardWebhooks, NewSecretsAreWhsecWith24Bytes) {
  const std::string s = newWebhookSecret();
  EXPECT_EQ(s.rfind("whsec_", 0), 0u);
  EXPECT_EQ(s.size(), 6u + 32u);
  EXPECT_NE(s, newWebhookSecret());
}

}  // namespace
}  // namespace hub::connector::dms
