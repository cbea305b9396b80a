// R13: every route the daemon serves, enumerated from its router (so a new
// route cannot skip these), answers 401 without a valid token, 403 to a role
// below its own, and succeeds for its own role on a real object.
#include "hub/api/auth.h"
#include "tests/api/api_fixture.h"

namespace hub::api::test {
namespace {

int rank(const std::string& role) {
  if (role == "viewer") return 1;
  if (role == "operator") return 2;
  if (role == "admin") return 3;
  return 0;
}

const std::vector<std::string> kRoles = {"viewer", "operator", "admin"};

std::string describe(const http::RouteInfo& r) { return r.method + " " + r.pattern; }

// A path that reaches the route, whatever its parameters are.
std::string somePath(const http::RouteInfo& r) {
  std::string path;
  std::size_t i = 0;
  while (i < r.pattern.size()) {
    if (r.pattern[i] == '{') {
      path += "1";
      i = r.pattern.find('}', i) + 1;
    } else {
      path += r.pattern[i++];
    }
  }
  return path;
}

bool isJsonError(const HttpResult& res) {
  const auto j = json::parse(res.body, nullptr, false);
  return j.is_object() && j.contains("error") && j["error"].is_string() && !j["error"].get<std::string>().empty();
}

class AuthorizationTest : public ApiTest {
 protected:
  std::vector<http::RouteInfo> protectedRoutes() {
    std::vector<http::RouteInfo> out;
    for (const auto& r : router->routes())
      if (!r.role.empty()) out.push_back(r);
    return out;
  }
};

TEST_F(AuthorizationTest, EveryRouteDeclaresPublicOrAKnownRole) {
  for (const auto& r : router->routes()) {
    EXPECT_TRUE(r.role.empty() || rank(r.role) > 0) << describe(r) << " has role '" << r.role << "'";
  }
  EXPECT_GE(protectedRoutes().size(), 20u) << "the admin API's routes are not mounted";
}

TEST_F(AuthorizationTest, OnlyHealthMetricsTheDocumentAndSignedWebhooksArePublic) {
  std::set<std::string> publicRoutes;
  for (const auto& r : router->routes())
    if (r.role.empty()) publicRoutes.insert(describe(r));
  EXPECT_EQ(publicRoutes, (std::set<std::string>{"GET /healthz", "GET /readyz", "GET /metrics",
                                                 "GET /api/v1/openapi.json", "POST /webhooks/{flow}"}));
}

TEST_F(AuthorizationTest, EveryProtectedRouteAnswers401WithoutAToken) {
  for (const auto& r : protectedRoutes()) {
    const auto res = call(r.method, somePath(r));
    EXPECT_EQ(res.status, 401) << describe(r);
    EXPECT_TRUE(isJsonError(res)) << describe(r) << ": " << res.body;
    EXPECT_EQ(res.headers.count("www-authenticate") ? res.headers.at("www-authenticate").rfind("Bearer", 0) : 1u, 0u) << describe(r);
  }
}

TEST_F(AuthorizationTest, EveryProtectedRouteAnswers401ToAnUnknownToken) {
  const std::vector<std::string> bads = {api::newToken(), "not-a-token", token("admin").substr(1)};
  for (const auto& r : protectedRoutes()) {
    for (const auto& bad : bads) {
      const auto res = call(r.method, somePath(r), bad);
      EXPECT_EQ(res.status, 401) << describe(r) << " with '" << bad << "'";
      EXPECT_TRUE(isJsonError(res)) << describe(r) << ": " << res.body;
    }
  }
}

TEST_F(AuthorizationTest, EveryProtectedRouteAnswers401ToARevokedToken) {
  store::Id id = 0;
  const std::string revoked = token("admin", &id);
  ASSERT_TRUE(store->tokens().revoke(id, nowMillis()));
  for (const auto& r : protectedRoutes()) {
    const auto res = call(r.method, somePath(r), revoked);
    EXPECT_EQ(res.status, 401) << describe(r);
    EXPECT_TRUE(isJsonError(res)) << describe(r) << ": " << res.body;
  }
}

TEST_F(AuthorizationTest, TheDaemonsLocalCredentialActsAsAnOperatorNeverAsAdmin) {
  for (const auto& r : protectedRoutes()) {
    const auto res = call(r.method, somePath(r), localToken);
    if (r.role == "admin") {
      EXPECT_EQ(res.status, 403) << describe(r);
    } else {
      EXPECT_NE(res.status, 401) << describe(r);
      EXPECT_NE(res.status, 403) << describe(r);
    }
  }
  const auto run = call("POST", "/api/v1/flows/orders/run", localToken);
  EXPECT_EQ(run.status, 202) << run.body;
  const auto audit = store->audit().list("flow/orders", 10, 0);
  ASSERT_FALSE(audit.empty());
  EXPECT_EQ(audit[0].actor, "local:cli");
}

TEST_F(AuthorizationTest, AuthorizationHeaderWithoutTheBearerSchemeIs401) {
  const std::string admin = token("admin");
  for (const std::string& header : std::vector<std::string>{"Basic " + admin, admin, std::string("Bearer "), "bearer" + admin}) {
    const auto res = hub::test::httpRequest("GET", base + "/api/v1/flows", "", {{"Authorization", header}});
    EXPECT_EQ(res.status, 401) << "'" << header << "'";
  }
}

TEST_F(AuthorizationTest, EveryProtectedRouteAnswers403ToEachRoleBelowItsOwn) {
  std::map<std::string, std::string> tokens;
  for (const auto& role : kRoles) tokens[role] = token(role);
  int checked = 0;
  for (const auto& r : protectedRoutes()) {
    for (const auto& role : kRoles) {
      if (rank(role) >= rank(r.role)) continue;
      const auto res = call(r.method, somePath(r), tokens[role]);
      EXPECT_EQ(res.status, 403) << describe(r) << " as " << role;
      EXPECT_TRUE(isJsonError(res)) << describe(r) << ": " << res.body;
      ++checked;
    }
  }
  EXPECT_GT(checked, 0) << "no route needs more than viewer";
}

TEST_F(AuthorizationTest, EveryRouteSucceedsForTheLeastRoleItNames) {
  for (const auto& r : router->routes()) {
    const auto c = successCall(r);
    ASSERT_TRUE(c) << describe(r) << " has no success fixture in ApiTest::successCall: add one";
    auto headers = c->headers;
    if (!r.role.empty()) headers["Authorization"] = "Bearer " + token(r.role);
    const auto res = call(r.method, c->path, "", c->body, headers);
    EXPECT_GE(res.status, 200) << describe(r) << " -> " << c->path << ": " << res.body;
    EXPECT_LT(res.status, 300) << describe(r) << " -> " << c->path << ": " << res.body;
  }
}

TEST_F(AuthorizationTest, AdminMayCallEveryRoute) {
  for (const auto& r : router->routes()) {
    const auto c = successCall(r);
    ASSERT_TRUE(c) << describe(r);
    const auto res = call(r.method, c->path, token("admin"), c->body, c->headers);
    EXPECT_TRUE(res.status >= 200 && res.status < 300) << describe(r) << ": " << res.status << " " << res.body;
  }
}

TEST_F(AuthorizationTest, TokenCheckComesBeforeLookingForTheObject) {
  const auto res = call("GET", "/api/v1/flows/no-such-flow");
  EXPECT_EQ(res.status, 401) << "an anonymous caller must not learn which flows exist";
}

TEST_F(AuthorizationTest, RevokingATokenThroughTheApiLocksItOutAtOnce) {
  store::Id id = 0;
  const std::string victim = token("operator", &id);
  ASSERT_EQ(call("GET", "/api/v1/flows", victim).status, 200);
  ASSERT_EQ(call("DELETE", "/api/v1/tokens/" + std::to_string(id), token("admin")).status, 200);
  EXPECT_EQ(call("GET", "/api/v1/flows", victim).status, 401);
}

TEST_F(AuthorizationTest, ChangesAreAuditedWithTheTokenThatMadeThem) {
  const std::string op = token("operator");
  ASSERT_EQ(call("POST", "/api/v1/flows/idle/pause", op).status, 200);
  const auto audit = json::parse(call("GET", "/api/v1/audit?subject=flow/idle", token("admin")).body);
  ASSERT_FALSE(audit["items"].empty()) << audit.dump();
  EXPECT_EQ(audit["items"][0]["action"], "flow.pause");
  EXPECT_EQ(audit["items"][0]["actor"].get<std::string>().rfind("token:operator-", 0), 0u) << audit.dump();
}

}  // namespace
}  // namespace hub::api::test
