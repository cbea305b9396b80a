// The OpenAPI document served at /api/v1/openapi.json and the router say the
// same thing: every route is documented with its method, path and role, and
// every documented operation is a route.
#include "tests/api/api_fixture.h"

namespace hub::api::test {
namespace {

const std::set<std::string> kMethods = {"get", "put", "post", "delete", "patch", "head", "options", "trace"};

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

class OpenApiTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    ASSERT_FALSE(HasFatalFailure());
    const auto res = call("GET", "/api/v1/openapi.json");
    ASSERT_EQ(res.status, 200);
    doc = json::parse(res.body, nullptr, false);
    ASSERT_FALSE(doc.is_discarded()) << "the document is not JSON";
  }
  // "METHOD /path" -> the operation object.
  std::map<std::string, json> operations() {
    std::map<std::string, json> out;
    for (const auto& [path, item] : doc["paths"].items())
      for (const auto& [method, op] : item.items())
        if (kMethods.count(method)) out[upper(method) + " " + path] = op;
    return out;
  }
  json doc;
};

TEST_F(OpenApiTest, IsAnOpenApi3DocumentWithInfoAndPaths) {
  ASSERT_TRUE(doc.contains("openapi") && doc["openapi"].is_string());
  EXPECT_EQ(doc["openapi"].get<std::string>().rfind("3.", 0), 0u) << doc["openapi"];
  ASSERT_TRUE(doc.contains("info") && doc["info"].is_object());
  EXPECT_TRUE(doc["info"].contains("title") && doc["info"]["title"].is_string());
  EXPECT_TRUE(doc["info"].contains("version") && doc["info"]["version"].is_string());
  ASSERT_TRUE(doc.contains("paths") && doc["paths"].is_object());
  for (const auto& [path, item] : doc["paths"].items()) EXPECT_EQ(path.rfind("/", 0), 0u) << path;
}

TEST_F(OpenApiTest, EveryRouteIsDocumentedWithItsMethodAndPath) {
  const auto ops = operations();
  for (const auto& r : router->routes()) {
    EXPECT_TRUE(ops.count(r.method + " " + r.pattern)) << r.method << " " << r.pattern << " is not in openapi.json";
  }
}

TEST_F(OpenApiTest, EveryDocumentedOperationIsARoute) {
  std::set<std::string> routes;
  for (const auto& r : router->routes()) routes.insert(r.method + " " + r.pattern);
  for (const auto& [op, _] : operations()) EXPECT_TRUE(routes.count(op)) << op << " is documented but not served";
}

TEST_F(OpenApiTest, EveryOperationStatesTheRoleTheRouteEnforces) {
  const auto ops = operations();
  for (const auto& r : router->routes()) {
    const auto it = ops.find(r.method + " " + r.pattern);
    if (it == ops.end()) continue;  // reported above
    const json& op = it->second;
    ASSERT_TRUE(op.contains("x-hub-role")) << it->first;
    EXPECT_EQ(op["x-hub-role"], r.role.empty() ? "public" : r.role) << it->first;
  }
}

TEST_F(OpenApiTest, ProtectedOperationsNeedTheBearerSchemeAndPublicOnesNothing) {
  ASSERT_TRUE(doc["components"]["securitySchemes"].contains("bearer"));
  EXPECT_EQ(lower(doc["components"]["securitySchemes"]["bearer"].value("scheme", "")), "bearer");
  for (const auto& [name, op] : operations()) {
    const bool isPublic = op.value("x-hub-role", "") == "public";
    ASSERT_TRUE(op.contains("security")) << name;
    if (isPublic) {
      EXPECT_EQ(op["security"], json::array()) << name;
    } else {
      EXPECT_EQ(op["security"], json::parse(R"([{"bearer": []}])")) << name;
      EXPECT_TRUE(op["responses"].contains("401")) << name << " does not document 401";
      EXPECT_TRUE(op["responses"].contains("403")) << name << " does not document 403";
    }
  }
}

TEST_F(OpenApiTest, EveryPathParameterIsDeclared) {
  for (const auto& [path, item] : doc["paths"].items()) {
    for (const auto& [method, op] : item.items()) {
      if (!kMethods.count(method)) continue;
      std::set<std::string> declared;
      for (const auto* params : {&item, &op})
        if (params->contains("parameters"))
          for (const auto& p : (*params)["parameters"])
            if (p.value("in", "") == "path") declared.insert(p.value("name", ""));
      for (std::size_t at = path.find('{'); at != std::string::npos; at = path.find('{', at + 1)) {
        const std::string name = path.substr(at + 1, path.find('}', at) - at - 1);
        EXPECT_TRUE(declared.count(name)) << method << " " << path << " does not declare {" << name << "}";
      }
    }
  }
}

TEST_F(OpenApiTest, EveryOperationHasASummaryAndASuccessResponse) {
  for (const auto& [name, op] : operations()) {
    EXPECT_FALSE(op.value("summary", "").empty()) << name;
    bool success = false;
    if (op.contains("responses"))
      for (const auto& [code, _] : op["responses"].items()) success |= code.rfind("2", 0) == 0;
    EXPECT_TRUE(success) << name << " documents no 2xx response";
  }
}

}  // namespace
}  // namespace hub::api::test
