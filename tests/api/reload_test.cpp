// Hot reload: an invalid new configuration is refused with its problems
// (file:line:column) and the running one keeps serving; a valid one takes
// over. Through POST /api/v1/config/reload in process, and through SIGHUP and
// the API on a real `hub serve`.
#include "tests/api/api_fixture.h"
#include "tests/api/hub_process.h"
#include "tests/engine/engine_fixture.h"

namespace hub::api::test {
namespace {

using hub::test::eventually;

int lineCount(const std::string& text) { return static_cast<int>(std::count(text.begin(), text.end(), '\n')); }

// A flow whose third line has an unknown key at column 5.
const std::string kMisspelledFlow = "  - name: broken\n    entity: order\n    sourc: {connector: src, entity: x}\n";

class ReloadTest : public ApiTest {
 protected:
  std::vector<std::string> flowNames() {
    std::vector<std::string> names;
    const auto res = call("GET", "/api/v1/flows", token("viewer"));
    EXPECT_EQ(res.status, 200) << res.body;
    const auto body = json::parse(res.body);
    for (const auto& f : body["items"]) names.push_back(f["name"]);
    return names;
  }
  HttpResult reload() { return call("POST", "/api/v1/config/reload", token("admin")); }
};

TEST_F(ReloadTest, InvalidConfigurationIsRefusedWithFileLineAndColumn) {
  const int line = lineCount(configYaml()) + 3;
  dir.write("hub.yaml", configYaml(kMisspelledFlow));
  const auto res = reload();
  ASSERT_EQ(res.status, 422) << res.body;
  const auto body = json::parse(res.body);
  EXPECT_TRUE(body["error"].is_string());
  json p;
  for (const auto& candidate : body["problems"])
    if (candidate["message"].get<std::string>().find("sourc") != std::string::npos) p = candidate;
  ASSERT_TRUE(p.is_object()) << "no problem names the misspelled key: " << res.body;
  EXPECT_EQ(p["file"].get<std::string>().substr(p["file"].get<std::string>().size() - 8), "hub.yaml");
  EXPECT_EQ(p["line"], line);
  EXPECT_EQ(p["column"], 5);
  EXPECT_NE(p["text"].get<std::string>().find(":" + std::to_string(line) + ":5:"), std::string::npos) << p["text"];
}

TEST_F(ReloadTest, AfterARefusedReloadTheOldFlowsAreListedAndStillRun) {
  dir.write("hub.yaml", configYaml(kMisspelledFlow));
  ASSERT_EQ(reload().status, 422);
  EXPECT_EQ(flowNames(), (std::vector<std::string>{"orders", "idle"}));
  src->put("SO-AFTER", 1767225600000 + 500000, {{"id", "SO-AFTER"}, {"qty", 1}});
  EXPECT_EQ(call("POST", "/api/v1/flows/orders/run", token("operator")).status, 202);
  EXPECT_TRUE(eventually([&] { return erp.stored().count("SO-AFTER") == 1; })) << "the running flow stopped working";
}

TEST_F(ReloadTest, BrokenMappingIsRefusedAndTheLoadedOneStays) {
  dir.write("mappings/broken.yaml", "name: broken\nversion: '1'\nsource: {system: src, entity: orders}\n"
                                    "target: {system: erp, entity: orders}\nfields:\n  id: {expr: 'id ||'}\n");
  const auto res = reload();
  ASSERT_EQ(res.status, 422) << res.body;
  const auto problems = json::parse(res.body)["problems"];
  ASSERT_FALSE(problems.empty());
  EXPECT_NE(problems[0]["file"].get<std::string>().find("broken.yaml"), std::string::npos) << problems.dump();
  EXPECT_GT(problems[0]["line"].get<int>(), 0) << problems.dump();
  const auto mappings = json::parse(call("GET", "/api/v1/mappings", token("viewer")).body)["items"];
  ASSERT_EQ(mappings.size(), 1u);
  EXPECT_EQ(mappings[0]["name"], "order-map");
}

TEST_F(ReloadTest, ValidConfigurationChangesTheFlowList) {
  dir.write("hub.yaml", configYaml("  - name: extra\n    entity: order\n    source: {connector: src, entity: extra}\n"
                                   "    targets: [{connector: erp, entity: orders, options: {path: /orders/batch}}]\n"));
  const auto res = reload();
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(json::parse(res.body)["flows"], 3) << res.body;
  EXPECT_EQ(flowNames(), (std::vector<std::string>{"orders", "idle", "extra"}));
}

TEST_F(ReloadTest, EveryReloadIsAudited) {
  dir.write("hub.yaml", configYaml(kMisspelledFlow));
  ASSERT_EQ(reload().status, 422);
  dir.write("hub.yaml", configYaml());
  ASSERT_EQ(reload().status, 200);
  const auto items = json::parse(call("GET", "/api/v1/audit?subject=config", token("admin")).body)["items"];
  ASSERT_EQ(items.size(), 2u) << items.dump();
  EXPECT_EQ(items[0]["action"], "config.reload");
  EXPECT_EQ(items[1]["action"], "config.reload_rejected");
}

// The same through the real daemon.
class ServeReloadTest : public HubProcessTest {
 protected:
  void SetUp() override {
    writeConfig(flow("orders"));
    admin = createToken("admin");
    serve();
  }
  std::string admin;
};

TEST_F(ServeReloadTest, SighupWithAnInvalidConfigurationKeepsTheRunningOne) {
  const std::string good = writeConfig(flow("orders"));
  const int line = lineCount(hub::test::readFile(good)) + 3;
  writeConfig(flow("orders") + kMisspelledFlow);
  hub->signal(SIGHUP);
  ASSERT_TRUE(logged("reload_rejected")) << hub->stderrText();
  EXPECT_NE(hub->stderrText().find("hub.yaml:" + std::to_string(line) + ":5:"), std::string::npos) << hub->stderrText();
  EXPECT_EQ(flowNames(admin), std::vector<std::string>{"orders"});
  source.put("SO-1", "2026-01-01T00:00:00Z", {{"id", "SO-1"}});
  EXPECT_EQ(post("/api/v1/flows/orders/run", admin).status, 202);
  EXPECT_TRUE(eventually([&] { return sink.storedCount() == 1; })) << hub->stderrText();
}

TEST_F(ServeReloadTest, SighupWithAValidConfigurationChangesTheFlowList) {
  writeConfig(flow("orders") + flow("returns"));
  hub->signal(SIGHUP);
  ASSERT_TRUE(logged("\"reloaded\"")) << hub->stderrText();
  EXPECT_EQ(flowNames(admin), (std::vector<std::string>{"orders", "returns"}));
}

TEST_F(ServeReloadTest, ApiReloadOnTheRunningHubAnswersTheProblems) {
  writeConfig(flow("orders") + kMisspelledFlow);
  const auto res = post("/api/v1/config/reload", admin);
  ASSERT_EQ(res.status, 422) << res.body;
  const auto problems = json::parse(res.body)["problems"];
  ASSERT_FALSE(problems.empty()) << res.body;
  for (const auto& p : problems) EXPECT_NE(p["text"].get<std::string>().find("hub.yaml:"), std::string::npos) << res.body;
  EXPECT_EQ(flowNames(admin), std::vector<std::string>{"orders"});
}

TEST_F(ServeReloadTest, RefusedReloadsShowNoSecretInAnswersOrLog) {
  // The secret sits right where the new configuration is wrong.
  writeConfig(flow("orders") + "  - name: broken\n    entity: order\n    token: '" + kServeErpToken + "'\n");
  hub->signal(SIGHUP);
  ASSERT_TRUE(logged("reload_rejected")) << hub->stderrText();
  const auto res = post("/api/v1/config/reload", admin);
  EXPECT_EQ(res.status, 422);
  EXPECT_EQ(res.body.find(kServeErpToken), std::string::npos) << res.body;
  EXPECT_EQ(get("/api/v1/flows/orders", admin).body.find(kServeErpToken), std::string::npos);
  hub->signal(SIGTERM);
  EXPECT_EQ(hub->wait(std::chrono::seconds(10)), 0);
  EXPECT_EQ(hub->stderrText().find(kServeErpToken), std::string::npos) << hub->stderrText();
  EXPECT_EQ(hub->stdoutText().find(kServeErpToken), std::string::npos) << hub->stdoutText();
}

}  // namespace
}  // namespace hub::api::test
