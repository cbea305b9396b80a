// R13: configured secret values never leave the hub: not in any API answer
// (flows, dead letters, ...) and not in any log line, even when a connected
// system echoes the credential back in its error.
#include "connectors/sim/sim_http_server.h"
#include "tests/api/api_fixture.h"
#include "tests/engine/engine_fixture.h"

namespace hub::api::test {
namespace {

using hub::test::eventually;

const std::string kEchoToken = "echo-bearer-t0ps3cr3t-5d1e";

class SecretsTest : public ApiTest {
 protected:
  void SetUp() override {
    // A system that refuses every record and quotes the request's credential in its answer.
    echo = std::make_unique<sim::SimHttpServer>([](const sim::SimRequest& req) {
      return sim::SimResponse::json(
          400, json{{"error", "refused; you sent Authorization: " + req.header("Authorization")}}.dump());
    });
    echo->start();
    ApiTest::SetUp();
  }
  void TearDown() override {
    ApiTest::TearDown();
    if (echo) echo->stop();
  }
  std::string extraConnectors() const override {
    return "  - {name: echo, type: rest, base_url: '" + echo->url() + "', auth: {type: bearer, token: '" + kEchoToken +
           "'}}\n";
  }
  std::string extraFlows() const override {
    return "  - name: leaky\n    entity: order\n    source: {connector: src, entity: leaky}\n"
           "    targets: [{connector: echo, entity: orders,\n"
           "               options: {path: /orders/batch, batch: array, wrap: records}}]\n"
           "    retry: {base: 10ms, cap: 20ms, max_attempts: 1}\n";
  }
  // A dead letter of flow leaky whose failure quoted the echo token.
  store::Id echoedDeadLetter() {
    src->put("LEAK-1", 1767225600000, {{"id", "LEAK-1"}, {"qty", 1}});
    EXPECT_TRUE(eventually([&] { return engine->runNow("leaky", "test").has_value(); }));
    store::DeadLetterFilter f;
    f.flow = "leaky";
    std::vector<store::DeadLetter> found;
    EXPECT_TRUE(eventually([&] { return !(found = store->deadLetters().list(f)).empty(); }));
    return found.empty() ? 0 : found[0].id;
  }
  static void expectNoSecret(const std::string& where, const std::string& text) {
    for (const auto* secret : {&kErpToken, &kWebhookSecret, &kEchoToken})
      EXPECT_EQ(text.find(*secret), std::string::npos) << where << " contains a configured secret:\n" << text;
  }
  std::unique_ptr<sim::SimHttpServer> echo;
};

TEST_F(SecretsTest, FlowListAndFlowDetailsShowNoConnectorOrWebhookSecret) {
  const std::string viewer = token("viewer");
  for (const std::string path : {"/api/v1/flows", "/api/v1/flows/orders", "/api/v1/flows/leaky"}) {
    const auto res = call("GET", path, viewer);
    ASSERT_EQ(res.status, 200) << path;
    expectNoSecret(path, res.body);
  }
}

TEST_F(SecretsTest, ADeadLetterQuotingTheCredentialShowsItMasked) {
  const store::Id id = echoedDeadLetter();
  ASSERT_NE(id, 0);
  const std::string viewer = token("viewer");
  const auto one = call("GET", "/api/v1/dead-letters/" + std::to_string(id), viewer);
  ASSERT_EQ(one.status, 200);
  expectNoSecret("the dead letter", one.body);
  EXPECT_NE(one.body.find("Authorization: Bearer ***"), std::string::npos) << "the echo is kept, masked:\n" << one.body;
  const auto list = call("GET", "/api/v1/dead-letters?flow=leaky", viewer);
  ASSERT_EQ(list.status, 200);
  expectNoSecret("the dead-letter list", list.body);
}

TEST_F(SecretsTest, NoAnswerOfAnyRouteContainsASecret) {
  echoedDeadLetter();
  for (const auto& r : router->routes()) {
    const auto c = successCall(r);
    ASSERT_TRUE(c) << r.method << " " << r.pattern;
    const auto res = call(r.method, c->path, token("admin"), c->body, c->headers);
    expectNoSecret(r.method + " " + c->path, res.body);
  }
}

TEST_F(SecretsTest, NoLogLineContainsASecret) {
  echoedDeadLetter();
  for (const auto& r : router->routes())
    if (const auto c = successCall(r)) call(r.method, c->path, token("admin"), c->body, c->headers);
  const auto lines = logLines();
  ASSERT_FALSE(lines.empty()) << "nothing was logged";
  for (const auto& line : lines) expectNoSecret("a log line", line);
}

}  // namespace
}  // namespace hub::api::test
