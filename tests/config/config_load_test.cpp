#include <gtest/gtest.h>

#include "hub/core/log.h"
#include "tests/config/config_fixture.h"
#include "tests/support/child_process.h"
#include "tests/support/paths.h"
#include "tests/support/temp_dir.h"

namespace hub::test {
namespace {

class ConfigLoadTest : public ::testing::Test {
 protected:
  void TearDown() override { Redactor::global().clear(); }
};

TEST_F(ConfigLoadTest, EmptyFileGivesTheDocumentedDefaults) {
  auto loaded = load("");
  ASSERT_TRUE(loaded) << formatAll(loaded.error());
  const auto& c = loaded->config;
  EXPECT_EQ(c.server.host, "127.0.0.1");
  EXPECT_EQ(c.server.port, 8080);
  EXPECT_EQ(c.server.max_body_bytes, 1u << 20);
  EXPECT_EQ(c.store.driver, "sqlite");
  EXPECT_EQ(c.store.path, "/etc/hub/data/hub.db");
  EXPECT_TRUE(c.store.synchronous_full);
  EXPECT_EQ(c.mapping_dir, "/etc/hub/mappings");
  EXPECT_EQ(c.timezone, "Asia/Shanghai");
}

TEST_F(ConfigLoadTest, FlowDefaultsAndTargetNames) {
  auto loaded = load(
      "connectors:\n  - {name: dms, type: fake, base_url: http://dms}\n"
      "flows:\n  - name: f\n    source: {connector: dms, entity: orders}\n"
      "    targets: [{connector: dms, entity: customers, mapping: m1}]\n");
  ASSERT_TRUE(loaded) << formatAll(loaded.error());
  const auto& f = loaded->config.flows.at(0);
  EXPECT_EQ(f.entity, "orders");
  EXPECT_EQ(f.source.page_size, 100u);
  EXPECT_EQ(f.source.overlap, 300000);
  EXPECT_EQ(f.batch_size, 50u);
  EXPECT_EQ(f.retry.max_attempts, 10);
  EXPECT_EQ(f.targets.at(0).name, "dms.customers");
  EXPECT_EQ(f.targets.at(0).mapping, "m1");
  EXPECT_EQ(loaded->config.connector("dms")->settings["page_limit"], 100);
}

// README: "a bare number is seconds".
TEST_F(ConfigLoadTest, BareDurationNumberIsSeconds) {
  auto loaded = load("server:\n  shutdown_deadline: 30\n");
  ASSERT_TRUE(loaded) << formatAll(loaded.error());
  EXPECT_EQ(loaded->config.server.shutdown_deadline, 30000);
}

// The default of a setting written once, in hubSpec(): what a flow without a
// retry block gets, and so what the engine's RetryPolicy is built from.
TEST_F(ConfigLoadTest, RetryDefaultsAreTheSpecs) {
  auto loaded = load(kOneFlow);
  ASSERT_TRUE(loaded) << formatAll(loaded.error());
  const auto member = [](const connector::SettingsSpec& spec, const std::string& name) -> const connector::Field& {
    for (const auto& f : spec)
      if (f.name == name) return f;
    throw std::out_of_range(name);
  };
  const auto& retrySpec = member(member(config::hubSpec(), "flows").item->fields, "retry").fields;
  const auto specDefault = [&](const std::string& name) { return *member(retrySpec, name).default_value; };
  const auto& retry = loaded->config.flows.at(0).retry;
  EXPECT_EQ(retry.base, specDefault("base"));
  EXPECT_EQ(retry.factor, specDefault("factor"));
  EXPECT_EQ(retry.cap, specDefault("cap"));
  EXPECT_EQ(retry.max_attempts, specDefault("max_attempts"));
  EXPECT_EQ(retry.jitter, specDefault("jitter"));
}

TEST_F(ConfigLoadTest, EnvironmentVariableIsSubstitutedAndRegisteredAsSecret) {
  Env env;
  env.vars["DMS_TOKEN"] = "tok-9f8e7d6c5b";
  auto loaded = load("connectors:\n  - {name: dms, type: fake, base_url: http://dms, token: '${DMS_TOKEN}'}\n", env);
  ASSERT_TRUE(loaded) << formatAll(loaded.error());
  EXPECT_EQ(loaded->config.connector("dms")->settings["token"], "tok-9f8e7d6c5b");
  EXPECT_EQ(redact("auth tok-9f8e7d6c5b"), "auth ***");
}

TEST_F(ConfigLoadTest, FileReferenceIsSubstitutedRelativeToTheConfigFolder) {
  Env env;
  env.files["/etc/hub/secrets/dms.token"] = "file-secret-123";
  auto loaded = load("connectors:\n  - {name: dms, type: fake, base_url: http://dms, token: '${file:secrets/dms.token}'}\n", env);
  ASSERT_TRUE(loaded) << formatAll(loaded.error());
  EXPECT_EQ(loaded->config.connector("dms")->settings["token"], "file-secret-123");
}

TEST_F(ConfigLoadTest, SubstitutionInsideALongerValue) {
  Env env;
  env.vars["HOST"] = "dms.example.cn";
  auto loaded = load("connectors:\n  - {name: dms, type: fake, base_url: 'https://${HOST}/api'}\n", env);
  ASSERT_TRUE(loaded) << formatAll(loaded.error());
  EXPECT_EQ(loaded->config.connector("dms")->settings["base_url"], "https://dms.example.cn/api");
}

TEST_F(ConfigLoadTest, DoubleDollarWritesALiteralReference) {
  auto loaded = load("connectors:\n  - {name: dms, type: fake, base_url: 'http://x/$${literal}'}\n");
  ASSERT_TRUE(loaded) << formatAll(loaded.error());
  EXPECT_EQ(loaded->config.connector("dms")->settings["base_url"], "http://x/${literal}");
}

TEST_F(ConfigLoadTest, LiteralSecretFieldIsRegisteredForRedaction) {
  auto loaded = load("connectors:\n  - {name: dms, type: fake, base_url: http://dms, token: plain-text-secret}\n");
  ASSERT_TRUE(loaded);
  EXPECT_EQ(redact("plain-text-secret"), "***");
}

TEST_F(ConfigLoadTest, ProblemMessagesNeverCarryASecret) {
  Env env;
  env.vars["WORKERS"] = "secret-worker-count";
  auto loaded = load("engine:\n  workers: ${WORKERS}\n", env);
  ASSERT_FALSE(loaded);
  const std::string text = formatAll(loaded.error());
  EXPECT_EQ(text.find("secret-worker-count"), std::string::npos) << text;
  EXPECT_NE(text.find("'workers' must be an integer"), std::string::npos) << text;
}

TEST_F(ConfigLoadTest, MissingFileIsAProblemNamingIt) {
  auto loaded = config::loadConfig("/nonexistent/hub.yaml", fakeRegistry());
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().at(0).format(), "/nonexistent/hub.yaml: cannot read configuration file");
}

// The real binary: `hub config check` output and the hub's logs never show a secret.
TEST_F(ConfigLoadTest, ConfigCheckOutputMasksSecretsFromTheEnvironment) {
  TempDir dir;
  const std::string path = dir.write("hub.yaml",
                                     "store:\n  url: ${PG_URL}\n  driver: sqlite\nengine:\n  workers: 2\n");
  ChildProcess hub({hubBinary(), "config", "check", path, "--print"}, {{"PG_URL", "postgres://u:pg-secret-42@db/x"}});
  ASSERT_EQ(hub.wait(), 0) << hub.stderrText();
  EXPECT_EQ(hub.stdoutText().find("pg-secret-42"), std::string::npos);
  EXPECT_EQ(hub.stderrText().find("pg-secret-42"), std::string::npos);
}

TEST_F(ConfigLoadTest, ConfigCheckExitsTwoAndReportsLocations) {
  TempDir dir;
  const std::string path = dir.write("hub.yaml", "server:\n  lisen: x\n");
  ChildProcess hub({hubBinary(), "config", "check", path});
  EXPECT_EQ(hub.wait(), 2);
  EXPECT_NE(hub.stderrText().find(path + ":2:3: unknown key 'lisen'"), std::string::npos) << hub.stderrText();
}

}  // namespace
}  // namespace hub::test
