// The loader's webhook checks: secrets that could never verify (or that anyone
// could sign with) are refused at load time with their location, instead of
// every delivery failing with 401 later.
#include <gtest/gtest.h>

#include "hub/config/hub_config.h"
#include "hub/webhooks/webhook_config.h"
#include "tests/doubles/memory_system.h"

namespace hub::webhooks {
namespace {

tl::expected<config::LoadedConfig, Problems> load(const std::string& webhook) {
  const std::string yaml =
      "connectors:\n  - {name: src, type: memory, system: cfg-src}\n  - {name: dst, type: memory, system: cfg-dst}\n"
      "flows:\n  - name: orders\n    source: {connector: src, entity: orders}\n"
      "    targets: [{connector: dst, entity: orders}]\n    triggers:\n      - webhook: " +
      webhook + "\n";
  return config::parseConfig(yaml, "hub.yaml", "/tmp", hub::test::testRegistry());
}

std::string problems(const tl::expected<config::LoadedConfig, Problems>& r) {
  return r ? std::string() : formatAll(r.error());
}

TEST(WebhookConfigLoad, EachSchemeLoadsWithDefaults) {
  auto r = load("{scheme: stripe, secret: whsec_plain_text_is_fine_here}");
  ASSERT_TRUE(r) << problems(r);
  auto hooks = webhooksOf(r->config.flows.at(0).triggers);
  ASSERT_EQ(hooks.size(), 1u);
  EXPECT_EQ(hooks[0].signature.scheme, Scheme::Stripe);
  EXPECT_EQ(hooks[0].mode, Mode::Payload);
  EXPECT_EQ(hooks[0].signature.tolerance, 300000);

  r = load("{scheme: hmac, secret: 'It''s a Secret to Everybody', id_header: X-GitHub-Delivery, tolerance: 10s}");
  ASSERT_TRUE(r) << problems(r);
  hooks = webhooksOf(r->config.flows.at(0).triggers);
  EXPECT_EQ(hooks.at(0).signature.header, "X-Hub-Signature-256");
  EXPECT_EQ(hooks.at(0).signature.prefix, "sha256=");
  EXPECT_EQ(hooks.at(0).signature.id_header, "X-GitHub-Delivery");
  EXPECT_EQ(hooks.at(0).signature.secrets, std::vector<std::string>{"It's a Secret to Everybody"});

  r = load(
      "{mode: notify, secrets: [whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw, "
      "'whsec_QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=']}");
  ASSERT_TRUE(r) << problems(r);
  hooks = webhooksOf(r->config.flows.at(0).triggers);
  EXPECT_EQ(hooks.at(0).mode, Mode::Notify);
  EXPECT_EQ(hooks.at(0).signature.scheme, Scheme::Standard);
  EXPECT_EQ(hooks.at(0).signature.secrets.size(), 2u);
}

TEST(WebhookConfigLoad, StandardSecretThatIsNotBase64IsRefusedWhereItIs) {
  const auto r = load("{secret: hub-secret!}");
  ASSERT_FALSE(r);
  const auto text = problems(r);
  EXPECT_NE(text.find("hub.yaml:9"), std::string::npos) << text;
  EXPECT_NE(text.find("must be whsec_ followed by base64"), std::string::npos) << text;
  EXPECT_EQ(text.find("hub-secret!"), std::string::npos) << "the problem does not quote the secret: " << text;
}

TEST(WebhookConfigLoad, EmptySecretsAreRefused) {
  EXPECT_NE(problems(load("{scheme: hmac, secret: ''}")).find("is empty"), std::string::npos);
  EXPECT_NE(problems(load("{scheme: hmac, secrets: []}")).find("needs a 'secret'"), std::string::npos);
  EXPECT_NE(problems(load("{scheme: hmac, secrets: [ok-secret, '']}")).find("is empty"), std::string::npos);
}

TEST(WebhookConfigLoad, UnknownSchemeIsRefusedByTheSpec) {
  const auto text = problems(load("{scheme: ed25519, secret: x}"));
  EXPECT_NE(text.find("stripe"), std::string::npos) << "the choices are listed: " << text;
}

}  // namespace
}  // namespace hub::webhooks
