// Signature schemes as pure functions: the published and computed vectors of
// ../shared/protocols/vectors.json, then a table of refusals per scheme, then
// random single-bit mutations of valid deliveries (never accepted).
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <random>
#include <regex>

#include "hub/core/digest.h"
#include "hub/webhooks/signature.h"
#include "hub/webhooks/webhook_config.h"
#include "tests/support/paths.h"

namespace hub::webhooks {
namespace {

using nlohmann::json;

json vectors(const std::filesystem::path& shared) {
  std::ifstream in(shared / "protocols" / "vectors.json");
  return json::parse(in);
}

SignatureSettings settings(Scheme scheme, std::vector<std::string> secrets) {
  SignatureSettings s;
  s.scheme = scheme;
  s.secrets = std::move(secrets);
  return s;
}

constexpr Millis kNow = 1700000000000;
const std::string kStdSecret = "whsec_QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=";
const std::string kStdOther = "whsec_MDEyMzQ1Njc4OWFiY2RlZmdoaWprbG1u";
const std::string kBody = R"({"id":"evt_1","type":"order.created"})";

http::Headers standardHeaders(const std::string& secret, const std::string& id, std::int64_t ts,
                              const std::string& body) {
  return {{"webhook-id", id},
          {"webhook-timestamp", std::to_string(ts)},
          {"webhook-signature", signStandard(secret, id, ts, body)}};
}

TEST(SignatureVectors, StandardWebhooksRowsSignAndVerify) {
  HUB_REQUIRE_SHARED(shared);
  const auto rows = vectors(shared)["standard_webhooks"];
  ASSERT_GE(rows.size(), 3u);
  for (const auto& row : rows) {
    const auto secret = row["secret"].get<std::string>();
    const auto id = row["webhook-id"].get<std::string>();
    const auto ts = row["webhook-timestamp"].get<std::int64_t>();
    const auto body = row["body"].get<std::string>();
    EXPECT_EQ(signStandard(secret, id, ts, body), row["webhook-signature"]) << id;
    http::Headers h = {{"webhook-id", id},
                       {"webhook-timestamp", std::to_string(ts)},
                       {"webhook-signature", row["webhook-signature"].get<std::string>()}};
    const auto v = verify(settings(Scheme::Standard, {secret}), h, body, ts * 1000);
    EXPECT_TRUE(v.ok()) << id << ": " << v.reason;
    EXPECT_EQ(v.delivery_id, id);
  }
}

TEST(SignatureVectors, GithubRowsSignAndVerify) {
  HUB_REQUIRE_SHARED(shared);
  const auto rows = vectors(shared)["github"];  // a range-for over a member of a temporary would dangle
  for (const auto& row : rows) {
    const auto secret = row["secret"].get<std::string>();
    const auto body = row["body"].get<std::string>();
    EXPECT_EQ(signHmac(secret, body), row["X-Hub-Signature-256"]) << body;
    auto s = settings(Scheme::Hmac, {secret});
    s.id_header = "X-GitHub-Delivery";
    http::Headers h = {{"X-Hub-Signature-256", row["X-Hub-Signature-256"].get<std::string>()}};
    auto v = verify(s, h, body, kNow);
    EXPECT_TRUE(v.ok()) << body << ": " << v.reason;
    EXPECT_EQ(v.delivery_id, "sha256:" + digest::sha256Hex(body)) << "no delivery header: the body hash";
    h["X-GitHub-Delivery"] = "72d3162e-cc78-11e3-81ab-4c9367dc0958";
    EXPECT_EQ(verify(s, h, body, kNow).delivery_id, "72d3162e-cc78-11e3-81ab-4c9367dc0958");
  }
}

TEST(SignatureVectors, StripeRowsSignAndVerify) {
  HUB_REQUIRE_SHARED(shared);
  const auto rows = vectors(shared)["stripe"];  // a range-for over a member of a temporary would dangle
  for (const auto& row : rows) {
    const auto secret = row["secret"].get<std::string>();
    const auto body = row["body"].get<std::string>();
    const auto t = row["t"].get<std::int64_t>();
    EXPECT_EQ(signStripe(secret, t, body), row["header"]) << body;
    const auto v = verify(settings(Scheme::Stripe, {secret}), {{"Stripe-Signature", row["header"]}}, body, t * 1000);
    EXPECT_TRUE(v.ok()) << body << ": " << v.reason;
    const auto doc = json::parse(body.empty() ? "null" : body);
    const std::string expected =
        doc.is_object() && doc.contains("id") ? doc["id"].get<std::string>() : "sha256:" + digest::sha256Hex(body);
    EXPECT_EQ(v.delivery_id, expected);
  }
}

struct Row {
  std::string name;
  SignatureSettings settings;
  std::function<http::Headers()> headers;
  std::string body;
  Verdict expected;
};

std::vector<Row> table() {
  const auto std1 = settings(Scheme::Standard, {kStdSecret});
  const auto rotated = settings(Scheme::Standard, {kStdOther, kStdSecret});
  const auto ts = kNow / 1000;
  auto withSig = [](http::Headers h, std::string sig) {
    h["webhook-signature"] = std::move(sig);
    return h;
  };
  const auto good = standardHeaders(kStdSecret, "msg_1", ts, kBody);
  const std::string goodSig = good.at("webhook-signature");
  auto gh = settings(Scheme::Hmac, {"hub-secret"});
  auto stripe = settings(Scheme::Stripe, {"whsec_test_secret"});
  auto basic = settings(Scheme::Basic, {"SAPRFC:Idoc-2024!"});
  const std::string stripeSig = signStripe("whsec_test_secret", ts, kBody);
  const std::string stripeV1 = stripeSig.substr(stripeSig.find("v1="));
  auto custom = settings(Scheme::Hmac, {"k"});
  custom.header = "X-Signature";
  custom.prefix = "";
  return {
      {"std valid", std1, [=] { return good; }, kBody, Verdict::Ok},
      {"std rotated list, second secret signs", rotated, [=] { return good; }, kBody, Verdict::Ok},
      {"std wrong then right signature", std1,
       [=] { return withSig(good, "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= " + goodSig); }, kBody, Verdict::Ok},
      {"std v2 entry then v1", std1, [=] { return withSig(good, "v2,abc " + goodSig); }, kBody, Verdict::Ok},
      {"std unpadded base64", std1, [=] { return withSig(good, goodSig.substr(0, goodSig.size() - 1)); }, kBody,
       Verdict::Ok},
      {"std svix-branded headers", std1,
       [=] {
         return http::Headers{
             {"svix-id", "msg_1"}, {"svix-timestamp", std::to_string(ts)}, {"svix-signature", goodSig}};
       },
       kBody, Verdict::Ok},
      {"std 300 s old", std1, [=] { return standardHeaders(kStdSecret, "m", ts - 300, kBody); }, kBody, Verdict::Ok},
      {"std 300 s ahead", std1, [=] { return standardHeaders(kStdSecret, "m", ts + 300, kBody); }, kBody, Verdict::Ok},
      {"std 301 s old", std1, [=] { return standardHeaders(kStdSecret, "m", ts - 301, kBody); }, kBody,
       Verdict::StaleTimestamp},
      {"std 301 s ahead", std1, [=] { return standardHeaders(kStdSecret, "m", ts + 301, kBody); }, kBody,
       Verdict::FutureTimestamp},
      {"std stale and forged", std1,
       [=] { return withSig(standardHeaders(kStdSecret, "m", ts - 3600, kBody), "v1," + std::string(43, 'A') + "="); },
       kBody, Verdict::BadSignature},
      {"std no headers", std1, [] { return http::Headers{}; }, kBody, Verdict::MissingSignature},
      {"std no signature", std1,
       [=] {
         auto h = good;
         h.erase("webhook-signature");
         return h;
       },
       kBody, Verdict::MissingSignature},
      {"std no id", std1,
       [=] {
         auto h = good;
         h.erase("webhook-id");
         return h;
       },
       kBody, Verdict::MissingSignature},
      {"std no timestamp", std1,
       [=] {
         auto h = good;
         h.erase("webhook-timestamp");
         return h;
       },
       kBody, Verdict::MissingSignature},
      {"std empty signature", std1, [=] { return withSig(good, "  "); }, kBody, Verdict::MissingSignature},
      {"std wrong secret", settings(Scheme::Standard, {kStdOther}), [=] { return good; }, kBody, Verdict::BadSignature},
      {"std flipped body byte", std1, [=] { return good; }, R"({"id":"evt_2","type":"order.created"})",
       Verdict::BadSignature},
      {"std re-serialised body", std1, [=] { return good; }, json::parse(kBody).dump(2), Verdict::BadSignature},
      {"std other id", std1,
       [=] {
         auto h = good;
         h["webhook-id"] = "msg_2";
         return h;
       },
       kBody, Verdict::BadSignature},
      {"std entry without comma", std1, [=] { return withSig(good, "v1" + goodSig.substr(3)); }, kBody,
       Verdict::MalformedSignature},
      {"std v2 only", std1, [=] { return withSig(good, "v2" + goodSig.substr(2)); }, kBody,
       Verdict::UnsupportedSignature},
      {"std v1a only", std1, [=] { return withSig(good, "v1a,c2lnbmF0dXJl"); }, kBody, Verdict::UnsupportedSignature},
      {"std timestamp not a number", std1,
       [=] {
         auto h = good;
         h["webhook-timestamp"] = "soon";
         return h;
       },
       kBody, Verdict::MalformedSignature},
      {"std timestamp with fraction", std1,
       [=] {
         auto h = good;
         h["webhook-timestamp"] = std::to_string(ts) + ".5";
         return h;
       },
       kBody, Verdict::MalformedSignature},
      {"std timestamp negative", std1,
       [=] {
         auto h = good;
         h["webhook-timestamp"] = "-1";
         return h;
       },
       kBody, Verdict::MalformedSignature},
      {"std base64 garbage", std1, [=] { return withSig(good, "v1,!!!!"); }, kBody, Verdict::BadSignature},
      {"std secret not base64 is never a key", settings(Scheme::Standard, {"whsec_***"}), [=] { return good; }, kBody,
       Verdict::BadSignature},
      {"std no secrets", settings(Scheme::Standard, {}), [=] { return good; }, kBody, Verdict::BadSignature},
      {"hmac valid", gh,
       [=] {
         return http::Headers{{"X-Hub-Signature-256", signHmac("hub-secret", kBody)}};
       },
       kBody, Verdict::Ok},
      {"hmac upper-case hex", gh,
       [=] {
         std::string sig = signHmac("hub-secret", kBody);
         for (auto& c : sig) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
         return http::Headers{{"X-Hub-Signature-256", sig}};
       },
       kBody, Verdict::Ok},
      {"hmac rotated", settings(Scheme::Hmac, {"old", "hub-secret"}),
       [=] {
         return http::Headers{{"X-Hub-Signature-256", signHmac("hub-secret", kBody)}};
       },
       kBody, Verdict::Ok},
      {"hmac custom header, no prefix", custom,
       [=] {
         return http::Headers{{"X-Signature", signHmac("k", kBody, "")}};
       },
       kBody, Verdict::Ok},
      {"hmac missing", gh, [] { return http::Headers{}; }, kBody, Verdict::MissingSignature},
      {"hmac sha1 prefix", gh,
       [=] {
         return http::Headers{{"X-Hub-Signature-256", "sha1=" + signHmac("hub-secret", kBody, "")}};
       },
       kBody, Verdict::MalformedSignature},
      {"hmac short hex", gh,
       [=] {
         return http::Headers{{"X-Hub-Signature-256", signHmac("hub-secret", kBody).substr(0, 40)}};
       },
       kBody, Verdict::MalformedSignature},
      {"hmac not hex", gh,
       [=] {
         return http::Headers{{"X-Hub-Signature-256", "sha256=" + std::string(64, 'z')}};
       },
       kBody, Verdict::MalformedSignature},
      {"hmac wrong secret", gh,
       [=] {
         return http::Headers{{"X-Hub-Signature-256", signHmac("other", kBody)}};
       },
       kBody, Verdict::BadSignature},
      {"hmac flipped body", gh,
       [=] {
         return http::Headers{{"X-Hub-Signature-256", signHmac("hub-secret", kBody)}};
       },
       kBody + " ", Verdict::BadSignature},
      {"stripe valid", stripe,
       [=] {
         return http::Headers{{"Stripe-Signature", stripeSig}};
       },
       kBody, Verdict::Ok},
      {"stripe wrong then right v1 and a v0", stripe,
       [=] {
         return http::Headers{{"Stripe-Signature",
                               "t=" + std::to_string(ts) + ",v1=" + std::string(64, '0') + ", " + stripeV1 + ",v0=ab"}};
       },
       kBody, Verdict::Ok},
      {"stripe missing", stripe, [] { return http::Headers{}; }, kBody, Verdict::MissingSignature},
      {"stripe no t", stripe,
       [=] {
         return http::Headers{{"Stripe-Signature", stripeV1}};
       },
       kBody, Verdict::MalformedSignature},
      {"stripe t not a number", stripe,
       [=] {
         return http::Headers{{"Stripe-Signature", "t=abc," + stripeV1}};
       },
       kBody, Verdict::MalformedSignature},
      {"stripe only v0", stripe,
       [=] {
         return http::Headers{{"Stripe-Signature", "t=" + std::to_string(ts) + ",v0=" + std::string(64, 'a')}};
       },
       kBody, Verdict::UnsupportedSignature},
      {"stripe wrong secret", settings(Scheme::Stripe, {"whsec_another"}),
       [=] {
         return http::Headers{{"Stripe-Signature", stripeSig}};
       },
       kBody, Verdict::BadSignature},
      {"stripe secret is not base64-decoded", settings(Scheme::Stripe, {"whsec_test_secret"}),
       [=] {
         return http::Headers{{"Stripe-Signature", signStripe("test_secret", ts, kBody)}};
       },
       kBody, Verdict::BadSignature},
      {"stripe 301 s old", stripe,
       [=] {
         return http::Headers{{"Stripe-Signature", signStripe("whsec_test_secret", ts - 301, kBody)}};
       },
       kBody, Verdict::StaleTimestamp},
      {"stripe 301 s ahead", stripe,
       [=] {
         return http::Headers{{"Stripe-Signature", signStripe("whsec_test_secret", ts + 301, kBody)}};
       },
       kBody, Verdict::FutureTimestamp},
      {"basic valid", basic,
       [] {
         return http::Headers{{"Authorization", "Basic " + digest::base64("SAPRFC:Idoc-2024!")}};
       },
       kBody, Verdict::Ok},
      {"basic scheme name in any case", basic,
       [] {
         return http::Headers{{"Authorization", "BASIC " + digest::base64("SAPRFC:Idoc-2024!")}};
       },
       kBody, Verdict::Ok},
      {"basic missing", basic, [] { return http::Headers{}; }, kBody, Verdict::MissingSignature},
      {"basic bearer instead", basic,
       [] {
         return http::Headers{{"Authorization", "Bearer abc"}};
       },
       kBody, Verdict::MalformedSignature},
      {"basic not base64", basic,
       [] {
         return http::Headers{{"Authorization", "Basic ***"}};
       },
       kBody, Verdict::MalformedSignature},
      {"basic wrong password", basic,
       [] {
         return http::Headers{{"Authorization", "Basic " + digest::base64("SAPRFC:guess")}};
       },
       kBody, Verdict::BadSignature},
      {"basic password alone", basic,
       [] {
         return http::Headers{{"Authorization", "Basic " + digest::base64("Idoc-2024!")}};
       },
       kBody, Verdict::MalformedSignature},
  };
}

TEST(SignatureTable, EachRowGetsItsVerdict) {
  const auto rows = table();
  EXPECT_GE(rows.size(), 40u);
  for (const auto& row : rows) {
    const auto v = verify(row.settings, row.headers(), row.body, kNow);
    EXPECT_EQ(toString(v.verdict), std::string(toString(row.expected))) << row.name << ": " << v.reason;
    EXPECT_FALSE(v.reason.empty()) << row.name;
    EXPECT_EQ(v.ok(), !v.delivery_id.empty()) << row.name << ": an id exactly when verified";
    for (const auto& secret : row.settings.secrets)
      if (secret.size() >= 3) {
        EXPECT_EQ(v.reason.find(secret), std::string::npos) << row.name << " echoes a secret";
      }
    // Nothing that looks like a signature (expected or given): no long hex or base64 runs.
    EXPECT_FALSE(std::regex_search(v.reason, std::regex("[0-9a-fA-F]{32}|[A-Za-z0-9+/]{40}")))
        << row.name << ": " << v.reason;
  }
}

TEST(SignatureTable, StatusPerVerdict) {
  EXPECT_EQ(httpStatus(Verdict::MissingSignature), 401);
  EXPECT_EQ(httpStatus(Verdict::MalformedSignature), 401);
  EXPECT_EQ(httpStatus(Verdict::UnsupportedSignature), 401);
  EXPECT_EQ(httpStatus(Verdict::BadSignature), 401);
  EXPECT_EQ(httpStatus(Verdict::StaleTimestamp), 400);
  EXPECT_EQ(httpStatus(Verdict::FutureTimestamp), 400);
}

TEST(SignatureTable, ToleranceIsConfigurable) {
  auto s = settings(Scheme::Standard, {kStdSecret});
  s.tolerance = 10000;
  const auto ts = kNow / 1000;
  EXPECT_TRUE(verify(s, standardHeaders(kStdSecret, "m", ts - 10, kBody), kBody, kNow).ok());
  EXPECT_EQ(verify(s, standardHeaders(kStdSecret, "m", ts - 11, kBody), kBody, kNow).verdict, Verdict::StaleTimestamp);
  // Sub-second clock readings do not shift the window: whole seconds, like the reference library.
  EXPECT_TRUE(verify(s, standardHeaders(kStdSecret, "m", ts - 10, kBody), kBody, kNow + 999).ok());
}

// R6 at volume: flipping any single bit of the id, the timestamp, the signature
// or the body never yields an accepted (or "authentic but stale") delivery.
TEST(SignatureMutations, NoSingleBitFlipIsAccepted) {
  std::mt19937 rng(20261123);
  const auto ts = kNow / 1000;
  int checked = 0;
  for (int i = 0; i < 4000; ++i) {
    const std::string body = R"({"id":"SO-)" + std::to_string(i) + R"(","qty":)" + std::to_string(i % 17) + "}";
    const Scheme scheme = static_cast<Scheme>(i % 3);
    auto s = settings(scheme, {scheme == Scheme::Standard ? kStdSecret : "hub-secret"});
    std::vector<std::pair<std::string, std::string>> parts;  // header name ("" = body), value
    if (scheme == Scheme::Standard) {
      for (const auto& [k, v] : standardHeaders(kStdSecret, "msg_" + std::to_string(i), ts, body))
        parts.emplace_back(k, v);
    } else if (scheme == Scheme::Hmac) {
      parts.emplace_back("X-Hub-Signature-256", signHmac("hub-secret", body));
    } else {
      parts.emplace_back("Stripe-Signature", signStripe("hub-secret", ts, body));
    }
    parts.emplace_back("", body);
    auto& part = parts[std::uniform_int_distribution<std::size_t>(0, parts.size() - 1)(rng)];
    std::string& text = part.second;
    const std::size_t at = std::uniform_int_distribution<std::size_t>(0, text.size() - 1)(rng);
    const char before = text[at];
    text[at] = static_cast<char>(text[at] ^ (1 << std::uniform_int_distribution<int>(0, 6)(rng)));
    // Hex digests are read case-insensitively, so a case flip of a hex letter is the same signature.
    if (scheme != Scheme::Standard && !part.first.empty() && std::isalpha(static_cast<unsigned char>(before)) &&
        std::tolower(static_cast<unsigned char>(before)) == std::tolower(static_cast<unsigned char>(text[at])))
      continue;
    http::Headers h;
    std::string mutatedBody;
    for (const auto& [k, v] : parts) (k.empty() ? mutatedBody : h[k]) = v;
    const auto v = verify(s, h, mutatedBody, kNow);
    ASSERT_FALSE(v.ok()) << "mutation " << i << " of " << (part.first.empty() ? "body" : part.first) << " accepted";
    ASSERT_NE(v.verdict, Verdict::StaleTimestamp) << i;
    ASSERT_NE(v.verdict, Verdict::FutureTimestamp) << i;
    ++checked;
  }
  EXPECT_GT(checked, 3500);
}

TEST(WebhookConfig, ReadsTriggersWithDefaultsAndRotation) {
  const auto triggers = json::parse(R"([
    {"interval": 60000},
    {"webhook": {"mode": "notify", "scheme": "hmac", "secret": "a", "secrets": ["b", ""], "header": "X-Sig",
                 "prefix": "", "id_header": "X-GitHub-Delivery", "tolerance": 1000}},
    {"webhook": {"secret": "whsec_QUJD"}},
    {"webhook": {"scheme": "ed25519", "secret": "x"}}
  ])");
  const auto hooks = webhooksOf(triggers);
  ASSERT_EQ(hooks.size(), 2u) << "an unknown scheme is left out, never guessed";
  EXPECT_EQ(hooks[0].mode, Mode::Notify);
  EXPECT_EQ(hooks[0].signature.scheme, Scheme::Hmac);
  EXPECT_EQ(hooks[0].signature.secrets, (std::vector<std::string>{"a", "b"})) << "empty secrets are never keys";
  EXPECT_EQ(hooks[0].signature.header, "X-Sig");
  EXPECT_EQ(hooks[0].signature.id_header, "X-GitHub-Delivery");
  EXPECT_EQ(hooks[0].signature.tolerance, 1000);
  EXPECT_EQ(hooks[1].mode, Mode::Payload);
  EXPECT_EQ(hooks[1].signature.scheme, Scheme::Standard);
  EXPECT_EQ(hooks[1].signature.tolerance, 300000);
  EXPECT_TRUE(webhooksOf(json::array()).empty());
}

TEST(WebhookConfig, StandardKeyDecodesWithOrWithoutPrefix) {
  EXPECT_EQ(standardKey("whsec_QUJD"), "ABC");
  EXPECT_EQ(standardKey("QUJD"), "ABC");
  EXPECT_EQ(standardKey("whsec_QUI"), "AB") << "missing padding is tolerated";
  EXPECT_FALSE(standardKey("whsec_"));
  EXPECT_FALSE(standardKey("hub-secret!"));
  EXPECT_THROW(signStandard("not base64!", "m", 1, ""), std::invalid_argument);
}

}  // namespace
}  // namespace hub::webhooks
