// Paging and id parameters from a URL are read with range checks: a negative
// or overlong number never wraps into a huge page or offset.
#include <gtest/gtest.h>

#include "hub/api/api_support.h"

namespace hub::api {
namespace {

http::Request withQuery(const std::string& name, const std::string& value) {
  http::Request r;
  r.query[name] = value;
  return r;
}

TEST(QueryParamsTest, NegativeLimitIsTheDefaultNotTheMaximum) {
  EXPECT_EQ(limitParam(withQuery("limit", "-5"), 50, 1000), 50u);
}

TEST(QueryParamsTest, LimitWithMoreDigitsThanAnyNumberIsTheMaximum) {
  EXPECT_EQ(limitParam(withQuery("limit", "99999999999999999999"), 50, 1000), 1000u);
}

TEST(QueryParamsTest, NegativeOffsetIsZero) {
  EXPECT_EQ(offsetParam(withQuery("offset", "-1")), 0u);
}

TEST(QueryParamsTest, IdBeyondInt64IsABadRequest) {
  http::Request r;
  r.params["id"] = "99999999999999999999";
  http::Response error;
  EXPECT_FALSE(idParam(r, "id", error));
  EXPECT_EQ(error.status, 400);
}

}  // namespace
}  // namespace hub::api
