#include <gtest/gtest.h>

#include "connectors/rest/rest_paging.h"
#include "connectors/spi/errors.h"

namespace hub::connector::rest {
namespace {

using nlohmann::json;

const Settings kSettings = parseSettings({{"base_url", "https://erp.example.com/api/"}});

http::HttpResponse answer(int status, const json& body) {
  http::HttpResponse r;
  r.status = status;
  r.body = body.dump();
  return r;
}

json items(int n, int from = 0) {
  json a = json::array();
  for (int i = from; i < from + n; ++i) a.push_back({{"id", "C-" + std::to_string(i)}, {"updated_at", "2023-11-14T22:13:20Z"}});
  return a;
}

TEST(RestPaging, PagePagingAsksForTheFirstPageThenTheNext) {
  const auto o = parseSourceOptions({{"path", "/customers"}, {"paging", "page"}});
  EXPECT_EQ(encodePageRequest(kSettings, o, {0, "", 50}).url,
            "https://erp.example.com/api/customers?page=1&page_size=50");
  const Page p = decodePage(o, {0, "", 2}, answer(200, items(2)), 0);
  EXPECT_FALSE(p.done);
  EXPECT_EQ(encodePageRequest(kSettings, o, {0, p.resume, 2}).url,
            "https://erp.example.com/api/customers?page=2&page_size=2");
}

TEST(RestPaging, ShortPageEndsTheScan) {
  const auto o = parseSourceOptions({{"path", "/customers"}, {"paging", "page"}});
  EXPECT_TRUE(decodePage(o, {0, R"({"page":3})", 5}, answer(200, items(4)), 0).done);
  EXPECT_TRUE(decodePage(o, {0, R"({"page":3})", 5}, answer(200, json::array()), 0).done);
}

TEST(RestPaging, OffsetPagingAdvancesByTheItemsReceived) {
  const auto o = parseSourceOptions({{"path", "/c"}, {"paging", "offset"}, {"offset_param", "skip"}, {"limit_param", "top"}});
  const Page p = decodePage(o, {0, R"({"offset":20})", 10}, answer(200, items(10)), 0);
  EXPECT_EQ(p.resume, R"({"offset":30})");
  EXPECT_EQ(encodePageRequest(kSettings, o, {0, p.resume, 10}).url, "https://erp.example.com/api/c?skip=30&top=10");
}

TEST(RestPaging, CursorPagingFollowsTheNextCursorFromTheAnswer) {
  const auto o = parseSourceOptions({{"path", "/c"}, {"paging", "cursor"}, {"next_cursor", "meta.next"}});
  EXPECT_EQ(encodePageRequest(kSettings, o, {0, "", 10}).url, "https://erp.example.com/api/c?page_size=10");
  const Page p = decodePage(o, {0, "", 10}, answer(200, {{"data", items(3)}, {"meta", {{"next", "abc=="}}}}), 0);
  EXPECT_FALSE(p.done);
  EXPECT_EQ(encodePageRequest(kSettings, o, {0, p.resume, 10}).url,
            "https://erp.example.com/api/c?cursor=abc%3D%3D&page_size=10");
}

TEST(RestPaging, NullOrRepeatedCursorEndsTheScan) {
  const auto o = parseSourceOptions({{"path", "/c"}, {"paging", "cursor"}});
  EXPECT_TRUE(decodePage(o, {0, "", 10}, answer(200, {{"data", items(3)}, {"next_cursor", nullptr}}), 0).done);
  EXPECT_TRUE(decodePage(o, {0, R"({"cursor":"x"})", 10}, answer(200, {{"data", items(3)}, {"next_cursor", "x"}}), 0).done);
}

TEST(RestPaging, UpdatedSinceIsSentInTheConfiguredFormat) {
  const auto o = parseSourceOptions({{"path", "/c"},
                                     {"updated_since_param", "modified_after"},
                                     {"updated_since_format", "epoch_s"},
                                     {"query", {{"status", "active"}}}});
  EXPECT_EQ(encodePageRequest(kSettings, o, {1700000000123, "", 10}).url,
            "https://erp.example.com/api/c?status=active&modified_after=1700000000");
}

TEST(RestPaging, RecordsBeforeSinceAreDropped) {
  const auto o = parseSourceOptions({{"path", "/c"}});
  json body = json::array({{{"id", "old"}, {"updated_at", "2023-11-14T22:13:19Z"}},
                           {{"id", "new"}, {"updated_at", "2023-11-14T22:13:20Z"}}});
  const Page p = decodePage(o, {1700000000000, "", 10}, answer(200, body), 0);
  ASSERT_EQ(p.records.size(), 1u);
  EXPECT_EQ(p.records[0].key, "new");
  EXPECT_EQ(p.records[0].updated_at, 1700000000000);
}

TEST(RestPaging, RecordsArrayIsFoundByPath) {
  const auto o = parseSourceOptions({{"path", "/c"}, {"records", "/result/rows"}, {"key", "no"}});
  const Page p = decodePage(o, {0, "", 10}, answer(200, {{"result", {{"rows", {{{"no", 5}}}}}}}), 0);
  ASSERT_EQ(p.records.size(), 1u);
  EXPECT_EQ(p.records[0].key, "5");
}

TEST(RestPaging, ItemWithoutKeyBecomesAProblemRecordNotALoss) {
  const auto o = parseSourceOptions({{"path", "/c"}});
  const Page p = decodePage(o, {0, "", 10}, answer(200, json::array({{{"name", "x"}}, {{"id", "ok"}}})), 0);
  ASSERT_EQ(p.records.size(), 2u);
  EXPECT_EQ(p.records[0].key, "/c#0");
  EXPECT_FALSE(p.records[0].problem.empty());
  EXPECT_TRUE(p.records[1].problem.empty());
}

TEST(RestPaging, ZoneLessTimestampsUseTheConfiguredZone) {
  const auto o = parseSourceOptions({{"path", "/c"}, {"updated_at", "modified"}, {"updated_at_zone", "+08:00"}});
  const Page p = decodePage(o, {0, "", 10}, answer(200, json::array({{{"id", 1}, {"modified", "2023-11-15 06:13:20"}}})), 0);
  EXPECT_EQ(p.records.at(0).updated_at, 1700000000000);
}

TEST(RestPaging, MalformedAnswerIsRetryable) {
  const auto o = parseSourceOptions({{"path", "/c"}});
  http::HttpResponse r;
  r.status = 200;
  r.body = "<html>gateway</html>";
  EXPECT_THROW(decodePage(o, {0, "", 10}, r, 0), RetryableError);
}

TEST(RestPaging, RateLimitCarriesRetryAfter) {
  const auto o = parseSourceOptions({{"path", "/c"}});
  auto r = answer(429, {{"error", "slow"}});
  r.headers.emplace_back("Retry-After", "7");
  try {
    decodePage(o, {0, "", 10}, r, 0);
    FAIL() << "no error";
  } catch (const RetryableError& e) {
    EXPECT_EQ(e.retry_after_ms, 7000);
    EXPECT_EQ(e.http_status, 429);
  }
}

TEST(RestPaging, UnauthorizedIsPermanentAuthError) {
  const auto o = parseSourceOptions({{"path", "/c"}});
  try {
    decodePage(o, {0, "", 10}, answer(401, {{"error", "bad token"}}), 0);
    FAIL() << "no error";
  } catch (const PermanentError& e) {
    EXPECT_EQ(e.error_type, "auth");
    EXPECT_NE(e.response_excerpt.find("bad token"), std::string::npos);
  }
}

}  // namespace
}  // namespace hub::connector::rest
