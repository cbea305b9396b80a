#include "tests/api/api_fixture.h"

#include "hub/api/auth.h"
#include "hub/core/digest.h"
#include "hub/core/log.h"
#include "hub/daemon/config_hooks.h"
#include "hub/daemon/services.h"
#include "hub/webhooks/signature.h"
#include "tests/engine/engine_fixture.h"

namespace hub::api::test {

const std::string kErpToken = "erp-bearer-s3cr3t-7f9c2a41";
const std::string kWebhookSecret = "whsec_" + digest::base64("api-test-signing-key-0123456789");

using hub::test::eventually;

namespace {
const char* kMapping =
    "name: order-map\nversion: '1'\nsource: {system: src, entity: orders}\ntarget: {system: erp, entity: orders}\n"
    "fields:\n  id: {expr: id}\n  qty: {expr: qty}\n";
}  // namespace

std::string ApiTest::configYaml(const std::string& moreFlows) const {
  return "store:\n  path: " + dir.file("hub.db") + "\nmapping_dir: " + dir.file("mappings") +
         "\nconnectors:\n"
         "  - {name: src, type: memory, system: " + srcName + "}\n"
         "  - {name: erp, type: rest, base_url: '" + erp.baseUrl() + "', timeout: 2s,\n"
         "     auth: {type: bearer, token: '" + kErpToken + "'}}\n" +
         extraConnectors() +
         "flows:\n"
         "  - name: orders\n"
         "    entity: order\n"
         "    source: {connector: src, entity: orders}\n"
         "    targets:\n"
         "      - {connector: erp, entity: orders, mapping: order-map,\n"
         "         options: {path: /orders/batch, batch: array, wrap: records}}\n"
         "    retry: {base: 10ms, cap: 50ms, max_attempts: 2}\n"
         "    triggers:\n"
         "      - webhook: {mode: payload, secret: '" + kWebhookSecret + "'}\n"
         "  - name: idle\n"
         "    entity: order\n"
         "    source: {connector: src, entity: idle}\n"
         "    targets: [{connector: erp, entity: orders, options: {path: /orders/batch, batch: array, wrap: records}}]\n" +
         moreFlows;
}

void ApiTest::SetUp() {
  log::setLevel(log::Level::Debug);
  log::setSink([this](std::string_view line) {
    std::lock_guard lock(mutex_);
    lines_.emplace_back(line);
  });
  srcName = "api-src-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name());
  src = hub::test::MemorySystem::named(srcName);
  src->reset();
  dir.write("mappings/order.yaml", kMapping);
  configPath = dir.write("hub.yaml", configYaml(extraFlows()));

  auto loaded = config::loadConfig(configPath, hub::test::testRegistry(), daemon::configHooks());
  ASSERT_TRUE(loaded) << formatAll(loaded.error());
  auto scape = engine::Landscape::build(*loaded, hub::test::testRegistry(), &metrics);
  ASSERT_TRUE(scape) << formatAll(scape.error());
  store = store::openStore(store::sqliteAt(dir.file("hub.db")));
  engine::EngineOptions o;
  o.workers = 2;
  o.poll_interval = 20;
  o.sweep_interval = 50;
  engine = std::make_unique<engine::Engine>(*store, *scape, o, SystemClock::instance(), &metrics);
  engine->start();

  ctx = std::make_unique<ApiContext>(ApiContext{
      *store, *engine, SystemClock::instance(),
      [this] { return daemon::reloadConfiguration(configPath, hub::test::testRegistry(), *engine, &metrics); },
      &metrics, [] { return true; }, tokenHash(localToken)});
  intake = std::make_unique<webhooks::WebhookIntake>(
      *engine, *store, [this](const std::string& flow, const std::string& result) { metrics.webhook(flow, result); });
  router = daemon::hubRouter(*ctx, *intake);
  http::ServerOptions so;
  so.on_request = [this](const std::string& method, int status) { metrics.apiRequest(method, status); };
  server = std::make_unique<http::HttpServer>(so, router);
  server->start();
  base = "http://127.0.0.1:" + std::to_string(server->port());

  // Objects every route can act on: a finished run with a delivered record
  // (which leaves a cross-reference) and a dead letter.
  deliver("SO-1");
  ASSERT_FALSE(HasFatalFailure());
  firstRun = store->runs().list("orders", 1, 0).at(0).id;
  deadLetter();
}

void ApiTest::TearDown() {
  if (server) server->stop(2000);
  if (engine) engine->stop(5000);
  log::resetSink();
  log::setLevel(log::Level::Info);
}

std::string ApiTest::token(const std::string& role, store::Id* id) {
  const std::string value = newToken();
  const store::Id made = store->tokens().create(role + "-" + std::to_string(++serial_), role, tokenHash(value), nowMillis());
  if (id) *id = made;
  return value;
}

HttpResult ApiTest::call(const std::string& method, const std::string& path, const std::string& token,
                         const std::string& body, std::map<std::string, std::string> headers) {
  if (!token.empty()) headers["Authorization"] = "Bearer " + token;
  if (!body.empty() && !headers.count("Content-Type")) headers["Content-Type"] = "application/json";
  return hub::test::httpRequest(method, base + path, body, headers);
}

namespace {
// A pull of `flow` now; waits while another run holds the flow's gate.
void pullNow(engine::Engine& engine, const std::string& flow) {
  ASSERT_TRUE(eventually([&] { return engine.runNow(flow, "test").has_value(); })) << "the run gate stayed closed";
}
}  // namespace

void ApiTest::deliver(const std::string& key) {
  src->put(key, 1767225600000 + static_cast<Millis>(++serial_) * 1000, {{"id", key}, {"qty", 2}});
  pullNow(*engine, "orders");
  ASSERT_TRUE(eventually([&] { return erp.stored().count(key) == 1; })) << key << " was not delivered";
}

store::Id ApiTest::deadLetter() {
  const std::string key = "BAD-" + std::to_string(++serial_);
  rejected_.insert(key);
  erp.rejectKeys(rejected_);
  src->put(key, 1767225600000 + static_cast<Millis>(serial_) * 1000, {{"id", key}, {"qty", 3}});
  pullNow(*engine, "orders");
  store::DeadLetterFilter f;
  f.key = key;
  std::vector<store::DeadLetter> found;
  EXPECT_TRUE(eventually([&] { return !(found = store->deadLetters().list(f)).empty(); })) << key << " never failed";
  return found.empty() ? 0 : found[0].id;
}

HttpResult ApiTest::postWebhook(const std::string& flow, const std::string& body, const std::string& id) {
  const std::int64_t ts = nowMillis() / 1000;
  return hub::test::httpRequest("POST", base + "/webhooks/" + flow, body,
                                {{"Content-Type", "application/json"},
                                 {"webhook-id", id},
                                 {"webhook-timestamp", std::to_string(ts)},
                                 {"webhook-signature", webhooks::signStandard(kWebhookSecret, id, ts, body)}});
}

std::optional<Call> ApiTest::successCall(const http::RouteInfo& route) {
  const std::string r = route.method + " " + route.pattern;
  const std::string id = std::to_string(++serial_);
  auto same = [&] { return Call{route.pattern, "", {}}; };
  if (r == "GET /healthz" || r == "GET /readyz" || r == "GET /metrics" || r == "GET /api/v1/openapi.json" ||
      r == "GET /api/v1/flows" || r == "GET /api/v1/runs" || r == "GET /api/v1/queue" ||
      r == "GET /api/v1/dead-letters" || r == "GET /api/v1/mappings" || r == "GET /api/v1/audit" ||
      r == "GET /api/v1/tokens")
    return same();
  if (r == "GET /api/v1/flows/{name}") return Call{"/api/v1/flows/orders", "", {}};
  if (r == "POST /api/v1/flows/{name}/run") return Call{"/api/v1/flows/orders/run", "", {}};
  if (r == "POST /api/v1/flows/{name}/pause") return Call{"/api/v1/flows/idle/pause", "", {}};
  if (r == "POST /api/v1/flows/{name}/resume") return Call{"/api/v1/flows/idle/resume", "", {}};
  if (r == "POST /api/v1/flows/{name}/reset")
    return Call{"/api/v1/flows/idle/reset", R"({"since": "2026-01-01T00:00:00+08:00"})", {}};
  if (r == "GET /api/v1/runs/{id}") return Call{"/api/v1/runs/" + std::to_string(firstRun), "", {}};
  if (r == "GET /api/v1/dead-letters/{id}") return Call{"/api/v1/dead-letters/" + std::to_string(deadLetter()), "", {}};
  if (r == "POST /api/v1/dead-letters/{id}/replay")
    return Call{"/api/v1/dead-letters/" + std::to_string(deadLetter()) + "/replay", "", {}};
  if (r == "POST /api/v1/dead-letters/{id}/discard")
    return Call{"/api/v1/dead-letters/" + std::to_string(deadLetter()) + "/discard", R"({"reason": "test"})", {}};
  if (r == "POST /api/v1/dead-letters/replay")
    return Call{route.pattern, json{{"ids", {deadLetter()}}}.dump(), {}};
  if (r == "POST /api/v1/dead-letters/discard")
    return Call{route.pattern, json{{"ids", {deadLetter()}}, {"reason", "test"}}.dump(), {}};
  if (r == "POST /api/v1/mappings/validate") return Call{route.pattern, kMapping, {{"Content-Type", "application/yaml"}}};
  if (r == "POST /api/v1/mappings/{name}/test")
    return Call{"/api/v1/mappings/order-map/test", R"({"record": {"id": "SO-9", "qty": 1}})", {}};
  if (r == "GET /api/v1/xref") return Call{"/api/v1/xref?entity=order&local_id=SO-1", "", {}};
  if (r == "GET /api/v1/trace/{entity}/{key}") return Call{"/api/v1/trace/order/SO-1", "", {}};
  if (r == "DELETE /api/v1/tokens/{id}") {
    store::Id victim = 0;
    token("viewer", &victim);
    return Call{"/api/v1/tokens/" + std::to_string(victim), "", {}};
  }
  if (r == "POST /api/v1/config/reload") return same();
  if (r == "POST /webhooks/{flow}") {
    const std::string body = json{{"id", "WH-" + id}, {"qty", 1}}.dump();
    const std::int64_t ts = nowMillis() / 1000;
    return Call{"/webhooks/orders", body,
                {{"webhook-id", "delivery-" + id},
                 {"webhook-timestamp", std::to_string(ts)},
                 {"webhook-signature", webhooks::signStandard(kWebhookSecret, "delivery-" + id, ts, body)}}};
  }
  return std::nullopt;
}

std::vector<std::string> ApiTest::logLines() {
  std::lock_guard lock(mutex_);
  return lines_;
}

}  // namespace hub::api::test
