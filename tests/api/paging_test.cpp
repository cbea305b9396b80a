// The list routes read ?limit= and ?offset= strictly: a typo is a JSON 400
// that names the parameter, never a silently different page.
#include <nlohmann/json.hpp>

#include <algorithm>

#include "tests/api/api_fixture.h"

namespace hub::api::test {
namespace {

class PagingTest : public ApiTest, public ::testing::WithParamInterface<std::string> {};

TEST_P(PagingTest, ALimitThatIsNoNumberIsAJsonBadRequest) {
  const auto res = call("GET", GetParam() + "?limit=ten", token("admin"));
  EXPECT_EQ(res.status, 400);
  const auto body = nlohmann::json::parse(res.body, nullptr, false);
  ASSERT_TRUE(body.is_object()) << res.body;
  EXPECT_NE(res.body.find("'limit'"), std::string::npos) << res.body;
}

TEST_P(PagingTest, ANegativeOffsetIsAJsonBadRequest) {
  const auto res = call("GET", GetParam() + "?offset=-1", token("admin"));
  EXPECT_EQ(res.status, 400);
  EXPECT_NE(res.body.find("'offset'"), std::string::npos) << res.body;
}

TEST_P(PagingTest, TheAnswerSaysWhichPageItIs) {
  const auto res = call("GET", GetParam() + "?limit=5000&offset=2", token("admin"));
  ASSERT_EQ(res.status, 200) << res.body;
  const auto body = nlohmann::json::parse(res.body);
  EXPECT_EQ(body.value("limit", 0), 1000);
  EXPECT_EQ(body.value("offset", 0), 2);
}

INSTANTIATE_TEST_SUITE_P(ListRoutes, PagingTest,
                         ::testing::Values("/api/v1/runs", "/api/v1/dead-letters", "/api/v1/audit"),
                         [](const auto& info) {
                           std::string name = info.param.substr(info.param.rfind('/') + 1);
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

}  // namespace
}  // namespace hub::api::test
