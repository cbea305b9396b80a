#include "hub/http/router.h"

#include <gtest/gtest.h>

namespace hub::http {
namespace {

Request req(const std::string& method, const std::string& path) {
  Request r;
  r.method = method;
  r.path = path;
  return r;
}

Router sample() {
  Router r;
  r.add({"GET", "/api/v1/flows", "list flows", "viewer", "flows"},
        [](Request&) { return Response::json(200, {{"route", "list"}}); });
  r.add({"GET", "/api/v1/flows/{name}", "show flow", "viewer", "flows"},
        [](Request& q) { return Response::json(200, {{"route", "show"}, {"name", q.params["name"]}}); });
  r.add({"POST", "/api/v1/flows/{name}/run", "run flow", "operator", "flows"},
        [](Request& q) { return Response::json(202, {{"ran", q.params["name"]}}); });
  r.add({"GET", "/api/v1/flows/status", "literal beats parameter", "viewer", "flows"},
        [](Request&) { return Response::json(200, {{"route", "status"}}); });
  return r;
}

TEST(RouterTest, PathParametersAreCaptured) {
  auto r = req("GET", "/api/v1/flows/orders-to-erp");
  const auto res = sample().dispatch(r);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(nlohmann::json::parse(res.body)["name"], "orders-to-erp");
}

TEST(RouterTest, LiteralSegmentWinsOverAParameter) {
  auto r = req("GET", "/api/v1/flows/status");
  EXPECT_EQ(nlohmann::json::parse(sample().dispatch(r).body)["route"], "status");
}

TEST(RouterTest, UnknownPathIsAJson404) {
  auto r = req("GET", "/nope");
  const auto res = sample().dispatch(r);
  EXPECT_EQ(res.status, 404);
  EXPECT_EQ(nlohmann::json::parse(res.body)["error"], "no route for GET /nope");
}

TEST(RouterTest, KnownPathWithAnotherMethodIsA405ListingAllowedMethods) {
  auto r = req("DELETE", "/api/v1/flows/x/run");
  const auto res = sample().dispatch(r);
  EXPECT_EQ(res.status, 405);
  EXPECT_EQ(res.headers.at("Allow"), "POST");
  EXPECT_TRUE(nlohmann::json::parse(res.body).contains("error"));
}

TEST(RouterTest, TrailingSlashMatchesTheSameRoute) {
  auto r = req("GET", "/api/v1/flows/");
  EXPECT_EQ(sample().dispatch(r).status, 200);
}

TEST(RouterTest, GuardCanRefuseBeforeTheHandlerRuns) {
  Router r = sample();
  bool ran = false;
  r.add({"GET", "/secret", "s", "admin", "x"}, [&](Request&) {
    ran = true;
    return Response::json(200, {});
  });
  r.setGuard([](const RouteInfo& info, Request&) -> std::optional<Response> {
    if (info.role == "admin") return Response::error(403, "admin role required");
    return std::nullopt;
  });
  auto q = req("GET", "/secret");
  EXPECT_EQ(r.dispatch(q).status, 403);
  EXPECT_FALSE(ran);
}

TEST(RouterTest, RoutesAreListedWithTheirMetadata) {
  const auto routes = sample().routes();
  ASSERT_EQ(routes.size(), 4u);
  EXPECT_EQ(routes[2].role, "operator");
}

}  // namespace
}  // namespace hub::http
