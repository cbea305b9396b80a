#include "tests/landscape/landscape_fixture.h"

#include <Poco/Net/ServerSocket.h>

#include <chrono>
#include <filesystem>
#include <regex>
#include <thread>

#include "tests/support/http_client.h"
#include "tests/support/paths.h"

namespace hub::test::landscape {

namespace {

const std::map<std::string, std::string> kDmsAuth = {{"Authorization", "Bearer dms-sim-token"}};

int freePort() {
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
  const int port = socket.address().port();
  socket.close();
  return port;
}

std::string rootOf(const std::string& url) {  // http://host:port
  const auto slash = url.find('/', url.find("//") + 2);
  return slash == std::string::npos ? url : url.substr(0, slash);
}

std::string replaceAll(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

json parseOrNull(const std::string& body) { return json::parse(body, nullptr, false); }

std::string textOf(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

}  // namespace

void LandscapeTest::SetUp() {
  kingdee = std::make_unique<ChildProcess>(
      std::vector<std::string>{hubSimBinary(), "kingdee", "--port", "0", "--seed", kSeed, "--scale", kScale});
  const auto kLine = kingdee->waitForLine("http://");
  ASSERT_TRUE(kLine) << kingdee->stderrText();
  kingdeeUrl = *kLine;
  kingdeeRoot = rootOf(kingdeeUrl);

  const int hubPort = freePort();
  hubUrl = "http://127.0.0.1:" + std::to_string(hubPort);
  dms = std::make_unique<ChildProcess>(std::vector<std::string>{
      hubSimBinary(), "dms", "--port", "0", "--seed", kSeed, "--scale", kScale, "--webhook-url",
      hubUrl + "/webhooks/orders", "--webhook-secret", kWebhookSecret});
  const auto dLine = dms->waitForLine("http://");
  ASSERT_TRUE(dLine) << dms->stderrText();
  dmsUrl = rootOf(*dLine);

  // The shipped example, test-sized: loopback ports, files in the temp dir, one-second schedules.
  std::string yaml = readFile((sourceDir() / "deploy" / "examples" / "landscape.yaml").string());
  ASSERT_FALSE(yaml.empty());
  yaml = replaceAll(yaml, "127.0.0.1:8080", "127.0.0.1:" + std::to_string(hubPort));
  yaml = replaceAll(yaml, "http://127.0.0.1:8091/k3cloud/", kingdeeUrl);
  yaml = replaceAll(yaml, "http://127.0.0.1:8092", dmsUrl);
  yaml = replaceAll(yaml, "../../data/", "");
  yaml = replaceAll(yaml, "../../mappings/shipped", "mappings");
  yaml = replaceAll(yaml, "level: info", "level: warn");
  yaml = replaceAll(yaml, "poll_interval: 500ms", "poll_interval: 50ms");
  yaml = std::regex_replace(yaml, std::regex("interval: [0-9]+m\\b"), "interval: 1s");
  if (database) {
    yaml = replaceAll(yaml, "  driver: sqlite\n", "  driver: postgresql\n  url: '" + database->url() + "'\n");
    yaml = replaceAll(yaml, "engine:\n", "cluster:\n  leader_ttl: 2s\nengine:\n");
  }
  config = dir.write("landscape.yaml", yaml);
  std::vector<std::string> nodeConfigs;
  for (int n = 2; n <= nodes; ++n) {
    // The same landscape on its own port; its path only names its endpoint file.
    std::string other = replaceAll(yaml, "127.0.0.1:" + std::to_string(hubPort), "127.0.0.1:" + std::to_string(freePort()));
    other = replaceAll(other, "path: hub.db", "path: hub-node" + std::to_string(n) + ".db");
    nodeConfigs.push_back(dir.write("landscape-node" + std::to_string(n) + ".yaml", other));
  }
  dir.write("secrets/kingdee_app_secret", "0123456789abcdef0123456789abcdef\n");
  dir.write("secrets/dms_webhook_secret", std::string(kWebhookSecret) + "\n");
  std::filesystem::create_directories(dir.path() / "mappings");
  for (const auto& f : std::filesystem::directory_iterator(sourceDir() / "mappings" / "shipped"))
    std::filesystem::copy_file(f.path(), dir.path() / "mappings" / f.path().filename());

  {
    ChildProcess check({hubBinary(), "config", "check", config}, {{"DMS_CLIENT_SECRET", "dms-sim-secret"}});
    ASSERT_EQ(check.wait(), 0) << check.stdoutText() << check.stderrText();
  }
  hubServe = std::make_unique<ChildProcess>(
      std::vector<std::string>{hubBinary(), "serve", "--config", config},
      std::map<std::string, std::string>{{"DMS_CLIENT_SECRET", "dms-sim-secret"}});
  for (int i = 0; i < 200; ++i) {
    try {
      if (httpRequest("GET", hubUrl + "/healthz", "", {}, 1000).status == 200) break;
    } catch (const std::exception&) {
      // not listening yet
    }
    ASSERT_TRUE(hubServe->running()) << hubServe->stderrText();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  for (const auto& c : nodeConfigs) {
    moreNodes.push_back(std::make_unique<ChildProcess>(
        std::vector<std::string>{hubBinary(), "serve", "--config", c},
        std::map<std::string, std::string>{{"DMS_CLIENT_SECRET", "dms-sim-secret"}}));
    ASSERT_TRUE(moreNodes.back()->waitForLine("hub listening on")) << moreNodes.back()->stderrText();
  }
  if (database) {
    store::StoreOptions o;
    o.driver = "postgresql";
    o.url = database->url();
    o.pool = 2;
    store = store::openStore(o);
  } else {
    store = store::openStore(store::sqliteAt(dir.file("hub.db")));
  }
}

void LandscapeTest::TearDown() {
  for (auto& node : moreNodes) {
    node->signal(SIGTERM);
    EXPECT_EQ(node->wait(std::chrono::seconds(20)), 0) << node->stderrText();
  }
  if (hubServe) {
    hubServe->signal(SIGTERM);
    EXPECT_EQ(hubServe->wait(std::chrono::seconds(20)), 0) << hubServe->stderrText();
  }
  store.reset();
  for (auto* sim : {dms.get(), kingdee.get()})
    if (sim) sim->signal(SIGTERM), sim->wait(std::chrono::seconds(10));
}

LandscapeTest::Cli LandscapeTest::hub(std::vector<std::string> args) {
  args.insert(args.begin(), hubBinary());
  args.push_back("--config");
  args.push_back(config);
  ChildProcess p(args, {{"DMS_CLIENT_SECRET", "dms-sim-secret"}});
  Cli r;
  r.code = p.wait(std::chrono::seconds(120)).value_or(-1);
  r.out = p.stdoutText();
  r.err = p.stderrText();
  return r;
}

json LandscapeTest::dmsGet(const std::string& pathAndQuery) {
  const auto r = httpRequest("GET", dmsUrl + pathAndQuery, "", kDmsAuth);
  EXPECT_EQ(r.status, 200) << pathAndQuery << ": " << r.body;
  return parseOrNull(r.body);
}

json LandscapeTest::dmsPost(const std::string& path, const json& body) {
  auto headers = kDmsAuth;
  headers["Content-Type"] = "application/json";
  const auto r = httpRequest("POST", dmsUrl + path, body.dump(), headers);
  EXPECT_EQ(r.status, 200) << path << ": " << r.body;
  return parseOrNull(r.body);
}

std::vector<json> LandscapeTest::dmsAll(const std::string& collection) {
  std::vector<json> out;
  std::string cursor;
  do {
    const json page = dmsGet("/api/v1/" + collection + "?limit=500" + (cursor.empty() ? "" : "&cursor=" + cursor));
    if (!page.is_object()) break;
    for (const auto& r : page.value("data", json::array())) out.push_back(r);
    cursor = page.value("next_cursor", json()).is_string() ? page["next_cursor"].get<std::string>() : "";
  } while (!cursor.empty());
  return out;
}

json LandscapeTest::kingdeeAdmin(const std::string& path) {
  return parseOrNull(httpRequest("GET", kingdeeRoot + "/__sim/" + path).body);
}

json LandscapeTest::dmsAdmin(const std::string& path) {
  return parseOrNull(httpRequest("GET", dmsUrl + "/__sim/" + path).body);
}

Snapshot LandscapeTest::snapshot() {
  Snapshot s;
  auto byKey = [](const std::vector<json>& records, const char* key) {
    std::map<std::string, json> m;
    for (const auto& r : records) m[textOf(r.value(key, json()))] = r;
    return m;
  };
  auto kd = [&](const char* form, const char* number) {
    const json objects = kingdeeAdmin(std::string("objects/") + form);
    return byKey(objects.is_array() ? objects.get<std::vector<json>>() : std::vector<json>{}, number);
  };
  s.dms_customers = byKey(dmsAll("customers"), "code");
  s.dms_products = byKey(dmsAll("products"), "sku");
  s.dms_invoices = byKey(dmsAll("invoices"), "invoice_no");
  s.dms_orders = byKey(dmsAll("orders"), "order_no");
  for (const auto& r : dmsAll("stock"))
    s.dms_stock[r.value("sku", "") + "|" + r.value("warehouse", "") + "|" + r.value("batch", "")] = r;
  s.kd_customers = kd("BD_Customer", "FNumber");
  s.kd_materials = kd("BD_MATERIAL", "FNumber");
  s.kd_orders = kd("SAL_SaleOrder", "FBillNo");
  s.kd_outbound = kd("SAL_OUTSTOCK", "FBillNo");
  s.kd_invoices = kd("IV_SALESIC", "FBillNo");
  for (auto& [k, v] : kd("IV_SALESOC", "FBillNo")) s.kd_invoices[k] = v;
  const json stock = kingdeeAdmin("objects/STK_Inventory");
  if (stock.is_array()) s.kd_stock = stock.get<std::vector<json>>();
  return s;
}

std::string LandscapeTest::divergence() {
  for (const auto& c : store->queue().counts())
    if (c.pending + c.leased + c.parked > 0)
      return "flow " + c.flow + " target " + c.target + ": " + std::to_string(c.pending + c.leased) + " pending, " +
             std::to_string(c.parked) + " parked";
  const json stats = dmsAdmin("stats");
  if (!stats.is_object() || stats.value("webhooks_pending", 1) != 0) return "DMS webhooks still pending";
  const Snapshot s = snapshot();
  if (s.kd_customers.empty() || s.kd_orders.empty()) return "nothing synchronised yet";
  for (const auto& [number, c] : s.kd_customers)
    if (!s.dms_customers.count(number) || s.dms_customers.at(number).value("name", "") != c.value("FName", ""))
      return "customer " + number + " not in the DMS";
  for (const auto& [number, m] : s.kd_materials)
    if (!s.dms_products.count(number)) return "material " + number + " not in the DMS";
  for (const auto& row : s.kd_stock) {
    const std::string key = textOf(row["FMaterialId"]["FNumber"]) + "|" + textOf(row["FStockId"]["FNumber"]) + "|" +
                            textOf(row["FLot"]["FNumber"]);
    if (!s.dms_stock.count(key) || s.dms_stock.at(key).value("on_hand", -1.0) != row.value("FBaseQty", -2.0))
      return "stock " + key + " not in the DMS";
  }
  for (const auto& [number, inv] : s.kd_invoices)
    if (!s.dms_invoices.count(number)) return "invoice " + number + " not in the DMS";
  for (const auto& [orderNo, order] : s.dms_orders) {
    if (!s.kd_orders.count(orderNo)) return "order " + orderNo + " not in Kingdee";
    if (order.value("erp_bill_no", json()) != json(orderNo)) return "order " + orderNo + " has no erp_bill_no";
  }
  for (const auto& [billNo, bill] : s.kd_outbound) {
    const std::string orderNo = textOf(bill["FEntity"][0]["FSoorDerno"]);
    bool found = false;
    for (const auto& shipment : s.dms_orders.count(orderNo) ? s.dms_orders.at(orderNo).value("shipments", json::array())
                                                            : json::array())
      found = found || shipment.value("shipment_no", "") == billNo;
    if (!found) return "shipment " + billNo + " not on DMS order " + orderNo;
  }
  return "";
}

std::string LandscapeTest::awaitConvergence(int seconds) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  std::string last = divergence();
  while (!last.empty() && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    last = divergence();
  }
  return last;
}

std::int64_t LandscapeTest::openDeadLetters() { return store->deadLetters().count({}); }

}  // namespace hub::test::landscape
