// Paging and id parameters from a URL are read with range checks: a negative,
// malformed or overlong number never wraps into a huge page or offset, and
// never silently lists a page other than the one asked for.
#include <gtest/gtest.h>

#include "hub/api/api_support.h"

namespace hub::api {
namespace {

http::Request withQuery(const std::string& name, const std::string& value) {
  http::Request r;
  r.query[name] = value;
  return r;
}

TEST(QueryParamsTest, AbsentLimitAndOffsetAreTheDefaultPage) {
  http::Response error;
  const auto page = pageParams(http::Request{}, error, 50, 1000);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->limit, 50u);
  EXPECT_EQ(page->offset, 0u);
}

TEST(QueryParamsTest, LimitWithMoreDigitsThanAnyNumberIsTheMaximum) {
  http::Response error;
  const auto page = pageParams(withQuery("limit", "99999999999999999999"), error, 50, 1000);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->limit, 1000u);
}

TEST(QueryParamsTest, OffsetPastEveryRowSaturatesInsteadOfWrapping) {
  http::Response error;
  const auto page = pageParams(withQuery("offset", "99999999999999999999999"), error);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->offset, static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max()));
}

struct BadPageParam {
  const char* name;
  const char* value;
};

class BadPageParamTest : public ::testing::TestWithParam<BadPageParam> {};

TEST_P(BadPageParamTest, IsABadRequestNamingTheParameter) {
  http::Response error;
  EXPECT_FALSE(pageParams(withQuery(GetParam().name, GetParam().value), error));
  EXPECT_EQ(error.status, 400);
  EXPECT_NE(error.body.find(std::string("'") + GetParam().name + "'"), std::string::npos) << error.body;
  EXPECT_NE(error.body.find(GetParam().value), std::string::npos) << error.body;
}

INSTANTIATE_TEST_SUITE_P(QueryParamsTest, BadPageParamTest,
                         ::testing::Values(BadPageParam{"limit", "-5"}, BadPageParam{"limit", "0"},
                                           BadPageParam{"limit", "ten"}, BadPageParam{"limit", "1e3"},
                                           BadPageParam{"offset", "-1"}, BadPageParam{"offset", "1.5"}));

TEST(QueryParamsTest, IdBeyondInt64IsABadRequest) {
  http::Request r;
  r.params["id"] = "99999999999999999999";
  http::Response error;
  EXPECT_FALSE(idParam(r, "id", error));
  EXPECT_EQ(error.status, 400);
}

}  // namespace
}  // namespace hub::api
