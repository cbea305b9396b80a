// The three authentication styles against the simulator over loopback.
#include <thread>

#include "connectors/kingdee/kingdee_session.h"
#include "connectors/kingdee/kingdee_signing.h"
#include "connectors/kingdee/tests/kingdee_fixture.h"
#include "hub/core/digest.h"
#include "tests/support/http_client.h"

namespace hub::connector::kingdee {
namespace {

using nlohmann::json;

class KingdeeSessionTest : public KingdeeLoopback {
 protected:
  // A DynamicFormService call signed the way the SDKs sign it; `in.path` is filled in.
  http::HttpResponse signedRequest(const std::string& operation, SignedHeaderInput in, const std::string& body) {
    http::HttpRequest req;
    req.method = "POST";
    req.url = formServiceUrl(operation);
    req.body = body;
    in.path = "/k3cloud/" + std::string(kFormService) + operation + ".common.kdsvc";
    req.headers = signedHeaders(in);
    return client.send(req, operation);
  }
  static std::string sessionCookie(const http::HttpResponse& res) {
    for (const auto& v : res.headerValues("Set-Cookie"))
      if (v.rfind("kdservice-sessionid=", 0) == 0) return v.substr(20, v.find(';') - 20);
    return "";
  }
  http::HttpClient client{http::ClientOptions{}};
};

TEST_F(KingdeeSessionTest, LogsInOnceAndReusesTheSessionCookie) {
  seedCustomers(3, 1714527000000);
  auto conn = connect();
  auto source = conn->openSource("BD_Customer", json::object());
  EXPECT_EQ(pullAll(*source, 0, 10).size(), 3u);
  EXPECT_EQ(pullAll(*source, 0, 10).size(), 3u);
  EXPECT_EQ(simulator.calls("ValidateUser"), 1);
  EXPECT_EQ(simulator.calls("ExecuteBillQuery"), 2);
}

TEST_F(KingdeeSessionTest, WrongPasswordIsAPermanentAuthErrorWithKingdeesMessage) {
  json s = settings();
  s["password"] = "wrong";
  auto source = connect(s)->openSource("BD_Customer", json::object());
  try {
    source->pull({0, "", 10});
    FAIL() << "no error";
  } catch (const PermanentError& e) {
    EXPECT_EQ(e.error_type, "auth");
    EXPECT_NE(std::string(e.what()).find("用户名或密码错误"), std::string::npos) << e.what();
  }
}

TEST_F(KingdeeSessionTest, ExpiredSessionIsRenewedOnceAndTheCallRepeated) {
  seedCustomers(2, 1714527000000);
  auto source = connect()->openSource("BD_Customer", json::object());
  EXPECT_EQ(source->pull({0, "", 10}).records.size(), 2u);
  simulator.expireSessions();
  EXPECT_EQ(source->pull({0, "", 10}).records.size(), 2u);
  EXPECT_EQ(simulator.calls("ValidateUser"), 2);
  EXPECT_EQ(simulator.calls("ExecuteBillQuery"), 3);  // the refused call, then its repeat
}

TEST_F(KingdeeSessionTest, RenewalIsLoggedForSupportStaff) {
  std::vector<std::string> events;
  ConnectorContext ctx;
  ctx.log = [&](std::string_view e, const json&) { events.emplace_back(e); };
  KingdeeSession session(sessionSettings(), ctx);
  const json query = {{"FormId", "BD_Customer"}, {"FieldKeys", "FNumber"}};
  session.call("ExecuteBillQuery", "", query);
  simulator.expireSessions();
  session.call("ExecuteBillQuery", "", query);
  EXPECT_EQ(events, (std::vector<std::string>{"kingdee_session_renewed"}));
}

TEST(KingdeeSessionIdle, SessionIdleLongerThanTheTtlIsRenewed) {
  sim::SimulatorOptions o;
  o.session_idle_ttl = 30;
  sim::KingdeeSimulator simulator(o);
  simulator.start();
  SessionSettings s;
  s.base_url = simulator.baseUrl();
  s.acct_id = o.acct_id;
  s.username = o.username;
  s.password = o.password;
  KingdeeSession session(s, ConnectorContext{});
  const json query = {{"FormId", "BD_Customer"}, {"FieldKeys", "FNumber"}};
  session.call("ExecuteBillQuery", "", query);
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  session.call("ExecuteBillQuery", "", query);
  EXPECT_EQ(session.loginCount(), 2);
}

TEST_F(KingdeeSessionTest, ConcurrentCallsShareOneLogin) {
  seedCustomers(5, 1714527000000);
  auto conn = connect();
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&] {
      auto source = conn->openSource("BD_Customer", json::object());
      if (pullAll(*source, 0, 2).size() == 5) ++ok;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 4);
  EXPECT_EQ(simulator.calls("ValidateUser"), 1);
}

TEST_F(KingdeeSessionTest, EveryCallWaitsForTheInstancesRateLimit) {
  seedCustomers(1, 1714527000000);
  std::atomic<int> paced{0};
  ConnectorContext ctx = context();
  ctx.pace = [&] { return ++paced, true; };
  auto source = connect(settings(), ctx)->openSource("BD_Customer", json::object());
  pullAll(*source, 0, 10);
  EXPECT_EQ(paced, 2);  // the login and the query
}

TEST_F(KingdeeSessionTest, NothingIsSentOnceTheHubIsStopping) {
  ConnectorContext ctx = context();
  ctx.pace = [] { return false; };
  auto source = connect(settings(), ctx)->openSource("BD_Customer", json::object());
  try {
    source->pull({0, "", 10});
    FAIL() << "a call went out";
  } catch (const RetryableError& e) {
    EXPECT_EQ(e.error_type, "stopping");
    EXPECT_FALSE(e.ambiguous);
  }
  EXPECT_EQ(simulator.calls("ValidateUser") + simulator.calls("ExecuteBillQuery"), 0);
}

TEST_F(KingdeeSessionTest, AbortAtTheShutdownDeadlineEndsACallInFlight) {
  std::atomic<bool> abort{false};
  ConnectorContext ctx = context();
  ctx.aborted = [&] { return abort.load(); };
  json s = settings();
  s["timeout"] = 20000;
  auto source = connect(s, ctx)->openSource("BD_Customer", json::object());
  simulator.inject({sim::FaultKind::Latency, "ExecuteBillQuery", 1, 500, 1, 15000});
  std::thread deadline([&] {
    waitUntil([&] { return simulator.calls("ExecuteBillQuery") > 0; });
    abort = true;
  });
  const auto started = std::chrono::steady_clock::now();
  const auto error = retryableErrorOf([&] { source->pull({0, "", 10}); });
  deadline.join();
  ASSERT_TRUE(error) << "the call was not aborted";
  EXPECT_EQ(error->error_type, "aborted");
  EXPECT_TRUE(error->ambiguous);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

TEST_F(KingdeeSessionTest, LoginBySignLogsInWithoutSendingTheSecret) {
  seedCustomers(2, 1714527000000);
  auto source = connectAs("login_by_sign")->openSource("BD_Customer", json::object());
  EXPECT_EQ(pullAll(*source, 0, 10).size(), 2u);
  EXPECT_EQ(simulator.calls("LoginBySign"), 1);
  EXPECT_EQ(simulator.calls("ValidateUser"), 0);
}

TEST_F(KingdeeSessionTest, LoginBySignWithTheWrongSecretIsRefused) {
  json s = settings("login_by_sign");
  s["app_secret"] = "not-the-secret";
  auto source = connect(s)->openSource("BD_Customer", json::object());
  try {
    source->pull({0, "", 10});
    FAIL() << "no error";
  } catch (const PermanentError& e) {
    EXPECT_EQ(e.error_type, "auth");
    EXPECT_NE(std::string(e.what()).find("签名验证失败"), std::string::npos) << e.what();
  }
}

TEST_F(KingdeeSessionTest, SimulatorRefusesALoginBySignWithAnExpiredTimestamp) {
  const auto& o = simulator.options();
  const std::string ts = std::to_string(nowMillis() / 1000 - 3600);
  const json body = {{"acctID", o.acct_id}, {"username", o.username}, {"appId", o.app_id}, {"timestamp", ts},
                     {"sign", loginSign(o.acct_id, o.username, o.app_id, o.app_secret, ts)}, {"lcid", 2052}};
  const auto res = test::httpRequest(
      "POST", simulator.baseUrl() + "Kingdee.BOS.WebApi.ServicesStub.AuthService.LoginBySign.common.kdsvc", body.dump());
  const json answer = json::parse(res.body);
  EXPECT_EQ(answer["LoginResultType"], -1);
  EXPECT_EQ(answer["IsSuccessByAPI"], false);
  EXPECT_NE(answer["Message"].get<std::string>().find("过期"), std::string::npos);
}

TEST_F(KingdeeSessionTest, SignedHeadersNeedNoLoginCall) {
  seedCustomers(2, 1714527000000);
  auto source = connectAs("signed_headers")->openSource("BD_Customer", json::object());
  EXPECT_EQ(pullAll(*source, 0, 10).size(), 2u);
  EXPECT_EQ(simulator.calls("ValidateUser") + simulator.calls("LoginBySign"), 0);
  EXPECT_EQ(simulator.logins(), 0);
}

TEST_F(KingdeeSessionTest, SignedCallsSendBackTheSessionCookieTheServerSet) {
  seedCustomers(2, 1714527000000);
  auto source = connectAs("signed_headers")->openSource("BD_Customer", json::object());
  EXPECT_EQ(pullAll(*source, 0, 1).size(), 2u);  // three calls
  EXPECT_EQ(simulator.sessions(), 1u);
}

TEST_F(KingdeeSessionTest, SignedHeadersWithTheWrongSecretAreAPermanentAuthError) {
  json s = settings("signed_headers");
  s["app_secret"] = "not-the-secret";
  auto source = connect(s)->openSource("BD_Customer", json::object());
  try {
    source->pull({0, "", 10});
    FAIL() << "no error";
  } catch (const PermanentError& e) {
    EXPECT_EQ(e.error_type, "auth");
    EXPECT_NE(std::string(e.what()).find("X-Kd-Signature"), std::string::npos) << e.what();
  }
  EXPECT_EQ(simulator.calls("ExecuteBillQuery"), 1) << "a refused signature is not a lost session: no retry";
}

TEST_F(KingdeeSessionTest, SimulatorRefusesSignedHeadersWithAStaleTimestamp) {
  const auto& o = simulator.options();
  const std::string ts = std::to_string(nowMillis() - 3600000);
  const auto res = signedRequest("ExecuteBillQuery", {o.app_id, o.app_secret, o.acct_id, o.username, "0", 2052, "", ts, ts},
                                 R"({"data":{"FormId":"BD_Customer","FieldKeys":"FNumber"}})");
  const json answer = json::parse(res.body);
  EXPECT_EQ(answer[0][0]["Result"]["ResponseStatus"]["MsgCode"], 2);
  EXPECT_NE(res.body.find("x-api-timestamp"), std::string::npos);
}

TEST_F(KingdeeSessionTest, SimulatorAnswersABadSignatureAsRefusedAuthenticationNotAsALostSession) {
  const auto& o = simulator.options();
  const std::string ts = std::to_string(nowMillis());
  const auto res = signedRequest("Save", {o.app_id, "not-the-secret", o.acct_id, o.username, "0", 2052, "", ts, ts},
                                 R"({"formid":"BD_Customer","data":{"Model":{"FName":"x"}}})");
  const json status = json::parse(res.body)["Result"]["ResponseStatus"];
  EXPECT_EQ(status["IsSuccess"], false);
  EXPECT_EQ(status["MsgCode"], 2) << "MsgCode 2 (没有权限), not 1 (上下文丢失: log in again and retry)";
  EXPECT_NE(res.body.find("X-Kd-Signature"), std::string::npos) << res.body;
}

TEST_F(KingdeeSessionTest, SimulatorStillSetsTheSessionCookieForSignedRequests) {
  const auto& o = simulator.options();
  const std::string ts = std::to_string(nowMillis());
  const auto res = signedRequest("ExecuteBillQuery", {o.app_id, o.app_secret, o.acct_id, o.username, "0", 2052, "", ts, ts},
                                 R"({"data":{"FormId":"BD_Customer","FieldKeys":"FNumber"}})");
  EXPECT_EQ(json::parse(res.body), json::array());
  EXPECT_FALSE(sessionCookie(res).empty()) << "no kdservice-sessionid cookie";
}

TEST_F(KingdeeSessionTest, SimulatorAcceptsTheSdksCookieHeaderWithTheSessionOfASignedAnswer) {
  seedCustomers(1, 1714527000000);
  const auto& o = simulator.options();
  const std::string ts = std::to_string(nowMillis());
  const std::string query = R"({"data":{"FormId":"BD_Customer","FieldKeys":"FNumber"}})";
  const std::string sid = sessionCookie(
      signedRequest("ExecuteBillQuery", {o.app_id, o.app_secret, o.acct_id, o.username, "0", 2052, "", ts, ts}, query));
  ASSERT_FALSE(sid.empty());
  // The Java SDK joins cookies with "; ", the Python SDK with ";" alone.
  for (const std::string& cookie : {"Theme=standard; kdservice-sessionid=" + sid, "Theme=standard;kdservice-sessionid=" + sid}) {
    const auto res = test::httpRequest("POST", formServiceUrl("ExecuteBillQuery"), query,
                                       {{"Cookie", cookie}});
    EXPECT_EQ(json::parse(res.body), json::parse(R"([["C0001"]])")) << cookie;
  }
}

TEST_F(KingdeeSessionTest, SimulatorListsItsDataCentreInTheSdksShape) {
  // The SDKs' GetDataCenters(): no login, no parameters.
  const auto res = test::httpRequest(
      "POST", simulator.baseUrl() + "Kingdee.BOS.ServiceFacade.ServicesStub.Account.AccountService.GetDataCenterList.common.kdsvc",
      "{}");
  ASSERT_EQ(res.status, 200) << res.body;
  const json centres = json::parse(res.body);
  ASSERT_TRUE(centres.is_array() && centres.size() == 1) << res.body;
  EXPECT_EQ(centres[0]["Id"], simulator.options().acct_id);
  for (const char* key : {"Number", "Name", "Version", "GDCID"}) EXPECT_TRUE(centres[0][key].is_string()) << key;
  EXPECT_TRUE(centres[0]["AuthenticationMethods"].is_array());
}

TEST_F(KingdeeSessionTest, SimulatorAcceptsThePositionalBodyForm) {
  seedCustomers(1, 1714527000000);
  const auto& o = simulator.options();
  const std::string auth = simulator.baseUrl() + "Kingdee.BOS.WebApi.ServicesStub.AuthService.ValidateUser.common.kdsvc";
  const auto login = test::httpRequest("POST", auth, json{{"parameters", {o.acct_id, o.username, o.password, 2052}}}.dump());
  const json answer = json::parse(login.body);
  ASSERT_EQ(answer["LoginResultType"], 1);
  const std::string sid = answer["KDSVCSessionId"];
  const std::string data = R"({"FormId":"BD_Customer","FieldKeys":"FNumber"})";
  const auto res = test::httpRequest(
      "POST", formServiceUrl("ExecuteBillQuery"),
      json{{"parameters", {data}}}.dump(), {{"Cookie", "kdservice-sessionid=" + sid}});
  EXPECT_EQ(json::parse(res.body), json::parse(R"([["C0001"]])"));
}

TEST_F(KingdeeSessionTest, SimulatorAnswersAMalformedRequestBodyInKingdeesErrorShape) {
  const auto res = test::httpRequest(
      "POST", formServiceUrl("Save"), "{not json");
  EXPECT_EQ(res.status, 200);
  const json answer = json::parse(res.body);
  EXPECT_EQ(answer["Result"]["ResponseStatus"]["IsSuccess"], false);
  EXPECT_EQ(answer["Result"]["ResponseStatus"]["ErrorCode"], 500);
}

TEST_F(KingdeeSessionTest, FaultsCanBeInjectedThroughTheAdminEndpoint) {
  seedCustomers(1, 1714527000000);
  const std::string admin = "http://127.0.0.1:" + std::to_string(simulator.port()) + "/__sim/faults";
  const auto injected = test::httpRequest("POST", admin, R"({"kind":"server_error","operation":"ExecuteBillQuery","status":502})");
  ASSERT_EQ(injected.status, 201) << injected.body;
  auto source = connect()->openSource("BD_Customer", json::object());
  try {
    source->pull({0, "", 10});
    FAIL() << "no fault";
  } catch (const RetryableError& e) {
    EXPECT_EQ(e.http_status, 502);
  }
  EXPECT_EQ(source->pull({0, "", 10}).records.size(), 1u);
  EXPECT_EQ(test::httpRequest("POST", admin, R"({"kind":"earthquake"})").status, 400);
}

TEST_F(KingdeeSessionTest, SimulatorSetsBothSessionCookies) {
  const auto& o = simulator.options();
  http::HttpClient client({});
  http::HttpRequest req;
  req.method = "POST";
  req.url = simulator.baseUrl() + "Kingdee.BOS.WebApi.ServicesStub.AuthService.ValidateUser.common.kdsvc";
  req.body = json{{"acctid", o.acct_id}, {"username", o.username}, {"password", o.password}, {"lcid", 2052}}.dump();
  std::string cookies;
  for (const auto& v : client.send(req, "login").headerValues("Set-Cookie")) cookies += v + "\n";
  EXPECT_NE(cookies.find("kdservice-sessionid="), std::string::npos) << cookies;
  EXPECT_NE(cookies.find("ASP.NET_SessionId="), std::string::npos) << cookies;
}

}  // namespace
}  // namespace hub::connector::kingdee
