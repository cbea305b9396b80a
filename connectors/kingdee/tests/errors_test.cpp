// What each kind of Kingdee answer means for the engine, as a table.
#include <gtest/gtest.h>

#include "connectors/kingdee/kingdee_errors.h"
#include "connectors/spi/errors.h"

namespace hub::connector::kingdee {
namespace {

struct Case {
  const char* name;
  int status;
  const char* retry_after;
  const char* body;
  Disposition disposition;
  const char* error_type;
};

const Case kCases[] = {
    {"plain query rows", 200, "", R"([[1,"C001"]])", Disposition::Delivered, ""},
    {"empty query result", 200, "", "[]", Disposition::Delivered, ""},
    {"successful save", 200, "",
     R"({"Result":{"ResponseStatus":{"IsSuccess":true,"Errors":[],"SuccessEntitys":[{"Id":1,"Number":"X","DIndex":0}],"MsgCode":0},"Id":1,"Number":"X"}})",
     Disposition::Delivered, ""},
    {"per-record validation errors are decoded by the sink", 200, "",
     R"({"Result":{"ResponseStatus":{"ErrorCode":500,"IsSuccess":false,"Errors":[{"FieldName":"FCustId","Message":"必填","DIndex":1}],"SuccessEntitys":[{"Id":1,"Number":"X","DIndex":0}],"MsgCode":0}}})",
     Disposition::Delivered, ""},
    {"session lost", 200, "",
     R"({"Result":{"ResponseStatus":{"ErrorCode":500,"IsSuccess":false,"Errors":[{"Message":"会话信息已丢失，请重新登录"}],"MsgCode":1}}})",
     Disposition::Retry, "session_expired"},
    {"session lost inside a wrapped query answer", 200, "",
     R"([[{"Result":{"ResponseStatus":{"ErrorCode":500,"IsSuccess":false,"Errors":[{"Message":"会话信息已丢失，请重新登录","DIndex":0}],"MsgCode":1}}}]])",
     Disposition::Retry, "session_expired"},
    {"refused authentication is permanent", 200, "",
     R"({"Result":{"ResponseStatus":{"ErrorCode":500,"IsSuccess":false,"Errors":[{"Message":"X-Kd-Signature 校验失败","DIndex":0}],"MsgCode":2}}})",
     Disposition::Permanent, "auth"},
    {"refused authentication inside a wrapped query answer", 200, "",
     R"([[{"Result":{"ResponseStatus":{"ErrorCode":500,"IsSuccess":false,"Errors":[{"Message":"X-Kd-Signature 校验失败","DIndex":0}],"MsgCode":2}}}]])",
     Disposition::Permanent, "auth"},
    {"rate limited is retried", 200, "",
     R"({"Result":{"ResponseStatus":{"ErrorCode":500,"IsSuccess":false,"Errors":[{"Message":"访问过于频繁","DIndex":0}],"MsgCode":14}}})",
     Disposition::Retry, "rate_limited"},
    {"query error is permanent", 200, "",
     R"([[{"Result":{"ResponseStatus":{"ErrorCode":500,"IsSuccess":false,"Errors":[{"Message":"字段不存在","DIndex":0}],"MsgCode":0}}}]])",
     Disposition::Permanent, "business"},
    {"unknown form is permanent", 200, "",
     R"({"Result":{"ResponseStatus":{"ErrorCode":500,"IsSuccess":false,"Errors":[{"Message":"业务对象不存在"}],"MsgCode":0}}})",
     Disposition::Permanent, "business"},
    {"lower-case keys are read too", 200, "", R"({"result":{"responseStatus":{"isSuccess":false,"msgCode":1}}})",
     Disposition::Retry, "session_expired"},
    {"malformed body", 200, "", R"([[{"Result":{"Respo)", Disposition::Retry, "malformed_response"},
    {"response_error prefix", 200, "", "response_error:Object reference not set", Disposition::Retry, "server_error"},
    {"http 500", 500, "", "<html>error</html>", Disposition::Retry, "http_500"},
    {"http 503", 503, "", "", Disposition::Retry, "http_503"},
    {"http 429", 429, "3", "", Disposition::Retry, "http_429"},
    {"http 404", 404, "", "not found", Disposition::Permanent, "http_404"},
    {"http 401", 401, "", "", Disposition::Permanent, "http_401"},
    {"http 204 is not an answer", 204, "", "", Disposition::Retry, "http_204"},
};

class KingdeeErrorTable : public ::testing::TestWithParam<Case> {};

TEST_P(KingdeeErrorTable, AnswerClassifiesAsExpected) {
  const Case& c = GetParam();
  const Verdict v = classifyAnswer(c.status, c.retry_after, c.body, 0);
  EXPECT_EQ(v.disposition, c.disposition) << c.name;
  EXPECT_EQ(v.error_type, c.error_type) << c.name;
}

INSTANTIATE_TEST_SUITE_P(Answers, KingdeeErrorTable, ::testing::ValuesIn(kCases), [](const auto& info) {
  std::string n;
  for (const char* p = info.param.name; *p; ++p) n += std::isalnum(static_cast<unsigned char>(*p)) ? *p : '_';
  return n;
});

TEST(KingdeeErrors, RetryAfterSecondsBecomeMilliseconds) {
  EXPECT_EQ(classifyAnswer(429, "3", "", 0).retry_after, 3000);
}

TEST(KingdeeErrors, SessionLostMessageIsKingdeesOwn) {
  const Verdict v = classifyAnswer(
      200, "", R"({"Result":{"ResponseStatus":{"IsSuccess":false,"Errors":[{"FieldName":"","Message":"会话信息已丢失，请重新登录"}],"MsgCode":1}}})", 0);
  EXPECT_EQ(v.message, "会话信息已丢失，请重新登录");
}

TEST(KingdeeErrors, DescribeNamesFieldAndMessage) {
  const auto s = findResponseStatus(nlohmann::json::parse(
      R"({"Result":{"ResponseStatus":{"IsSuccess":false,"Errors":[{"FieldName":"FCustId","Message":"客户不存在","DIndex":0}]}}})"));
  ASSERT_TRUE(s);
  EXPECT_EQ(s->describe(), "FCustId: 客户不存在");
  EXPECT_EQ(s->errors.at(0).dindex, 0);
}

TEST(KingdeeErrors, ThrownVerdictCarriesTypeStatusAndRetryAfter) {
  try {
    throwVerdict(classifyAnswer(429, "2", "{}", 0), "Kingdee.Save");
    FAIL() << "no throw";
  } catch (const RetryableError& e) {
    EXPECT_EQ(e.error_type, "http_429");
    EXPECT_EQ(e.http_status, 429);
    EXPECT_EQ(e.retry_after_ms, 2000);
  }
  EXPECT_THROW(throwVerdict(classifyAnswer(400, "", "{}", 0), "Kingdee.Save"), PermanentError);
}

}  // namespace
}  // namespace hub::connector::kingdee
