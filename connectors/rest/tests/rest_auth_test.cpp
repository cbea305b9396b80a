#include <gtest/gtest.h>

#include "connectors/rest/rest_auth.h"

namespace hub::connector::rest {
namespace {

using nlohmann::json;

std::string headerOf(const http::HttpRequest& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return "<absent>";
}

http::HttpRequest signedRequest(const json& auth) {
  const Settings s = parseSettings({{"base_url", "https://erp.example.com"}, {"auth", auth}});
  http::HttpRequest r;
  r.method = "POST";
  r.url = "https://erp.example.com/api/v1/customers?dry_run=1";
  r.body = R"({"id":"C-1"})";
  authorize(s, r, 1700000000000);
  return r;
}

TEST(RestAuth, BearerTokenGoesIntoAuthorization) {
  const auto r = signedRequest({{"type", "bearer"}, {"token", "t0k"}});
  EXPECT_EQ(headerOf(r, "Authorization"), "Bearer t0k");
}

TEST(RestAuth, BasicCredentialsAreBase64OfUserColonPassword) {
  const auto r = signedRequest({{"type", "basic"}, {"username", "Aladdin"}, {"password", "open sesame"}});
  EXPECT_EQ(headerOf(r, "Authorization"), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");  // RFC 7617's example
}

TEST(RestAuth, ApiKeyGoesIntoTheConfiguredHeader) {
  const auto r = signedRequest({{"type", "api_key"}, {"header", "X-Dealer-Key"}, {"value", "k-123"}});
  EXPECT_EQ(headerOf(r, "X-Dealer-Key"), "k-123");
}

TEST(RestAuth, CanonicalRequestJoinsMethodTargetTimestampAndBodyHash) {
  EXPECT_EQ(canonicalRequest("get", "/a?b=1", "1700000000", ""),
            "GET\n/a?b=1\n1700000000\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(RestAuth, PathAndQueryIsTheUrlAfterTheHost) {
  EXPECT_EQ(pathAndQuery("https://h:8443/x/y?z=1#frag"), "/x/y?z=1");
  EXPECT_EQ(pathAndQuery("http://h"), "/");
  EXPECT_EQ(pathAndQuery("http://h?q=1"), "/?q=1");
}

// Reproduce by hand:
//   BH=$(printf '%s' '{"id":"C-1"}' | openssl dgst -sha256 -r | cut -d' ' -f1)
//   printf 'POST\n/api/v1/customers?dry_run=1\n1700000000\n%s' "$BH" | openssl dgst -sha256 -hmac hub-rest-secret
TEST(RestAuth, HmacSignatureMatchesTheOpensslComputedVector) {
  const auto r = signedRequest({{"type", "hmac"}, {"secret", "hub-rest-secret"}, {"key_id", "dealer-7"}});
  EXPECT_EQ(headerOf(r, "X-Timestamp"), "1700000000");
  EXPECT_EQ(headerOf(r, "X-Key-Id"), "dealer-7");
  EXPECT_EQ(headerOf(r, "X-Signature"), "4076a674a7884b51dc81fec22494b8d474ae642c86bec97d0bf172a0a166de07");
}

// Same vector: ... | openssl dgst -sha256 -hmac hub-rest-secret -binary | base64
TEST(RestAuth, HmacSchemeIsConfigurable) {
  const auto r = signedRequest({{"type", "hmac"},
                                {"secret", "aHViLXJlc3Qtc2VjcmV0"},  // base64 of hub-rest-secret
                                {"secret_encoding", "base64"},
                                {"signature_encoding", "base64"},
                                {"signature_prefix", "v1="},
                                {"signature_header", "Signature"},
                                {"timestamp_header", "Date-Stamp"}});
  EXPECT_EQ(headerOf(r, "Date-Stamp"), "1700000000");
  EXPECT_EQ(headerOf(r, "Signature"), "v1=QHamdKeIS1Hcgf7CJJS41HSuZCyGvsl9C/FyoKFm3gc=");
  EXPECT_EQ(headerOf(r, "X-Key-Id"), "<absent>");
}

TEST(RestAuth, StaticHeadersAreSentWithEveryCall) {
  const Settings s = parseSettings({{"base_url", "http://h"}, {"headers", {{"X-Tenant", "shanghai"}}}});
  http::HttpRequest r;
  authorize(s, r, 0);
  EXPECT_EQ(headerOf(r, "X-Tenant"), "shanghai");
}

TEST(RestSettings, MissingCredentialsAreReportedByPointer) {
  const auto issues = validateSettings({{"base_url", "https://h"}, {"auth", {{"type", "bearer"}}}});
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].pointer, "/auth/token");
}

TEST(RestSettings, BaseUrlMustBeHttp) {
  const auto issues = validateSettings({{"base_url", "ftp://h"}});
  ASSERT_FALSE(issues.empty());
  EXPECT_EQ(issues[0].pointer, "/base_url");
}

TEST(RestSettings, SecretsAreMarkedSecret) {
  for (const auto& f : settingsSpec()) {
    if (f.name != "auth") continue;
    for (const auto& member : f.fields) {
      const bool secret = member.name == "token" || member.name == "password" || member.name == "value" ||
                          member.name == "secret";
      EXPECT_EQ(member.secret, secret) << member.name;
    }
  }
}

TEST(RestSettings, TlsVerificationIsOnByDefault) {
  EXPECT_TRUE(parseSettings({{"base_url", "https://h"}}).verify_tls);
}

}  // namespace
}  // namespace hub::connector::rest
