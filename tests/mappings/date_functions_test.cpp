// date_parse, date_format, now: explicit patterns, zone-less text read in the
// configured zone (Asia/Shanghai unless told otherwise).
#include "tests/mappings/hub_eval.h"

namespace {

using hub::mapping::test::HubEval;
using nlohmann::json;
using hub::jmes::ErrorKind;

TEST(DateParseFunction, ReadsZonelessTextInShanghaiTime) {
  HubEval ev;
  EXPECT_EQ(ev.value("date_parse('20240501 103000', '%Y%m%d %H%M%S')"), "2024-05-01T10:30:00+08:00");
}

TEST(DateParseFunction, HonoursAnExplicitOffset) {
  HubEval ev;
  EXPECT_EQ(ev.value("date_parse('2024-05-01 02:30:00 +0000', '%F %T %z')"), "2024-05-01T10:30:00+08:00");
}

TEST(DateParseFunction, AcceptsSingleDigitMonthsAndDays) {
  HubEval ev;
  EXPECT_EQ(ev.value("date_parse('2024/5/1', '%Y/%m/%d')"), "2024-05-01T00:00:00+08:00");
}

TEST(DateParseFunction, AnotherZoneCanBeNamed) {
  HubEval ev;
  EXPECT_EQ(ev.value("date_parse('2024-01-15 09:00', '%Y-%m-%d %H:%M', 'Europe/Berlin')"), "2024-01-15T09:00:00+01:00");
}

TEST(DateParseFunction, TextNotMatchingThePatternIsInvalidValue) {
  HubEval ev;
  const auto e = ev.error("date_parse('2024-13-01', '%Y-%m-%d')");
  EXPECT_EQ(e.kind, ErrorKind::InvalidValue);
  EXPECT_NE(e.message.find("date_parse() argument 1"), std::string::npos) << e.message;
}

TEST(DateParseFunction, UnknownPatternLetterIsInvalidValue) {
  HubEval ev;
  const auto e = ev.error("date_parse('x', p)", json{{"p", "%Q"}});
  EXPECT_EQ(e.kind, ErrorKind::InvalidValue);
  EXPECT_NE(e.message.find("unknown pattern letter %Q"), std::string::npos) << e.message;
}

TEST(DateParseFunction, NullGivesNull) {
  HubEval ev;
  EXPECT_EQ(ev.value("date_parse(missing, '%Y')"), nullptr);
}

TEST(DateFormatFunction, FormatsInTheConfiguredZone) {
  HubEval ev;
  EXPECT_EQ(ev.value("date_format('2024-04-30T18:30:00Z', '%Y-%m-%d %H:%M:%S')"), "2024-05-01 02:30:00");
}

TEST(DateFormatFunction, ZonelessTextStaysLocal) {
  HubEval ev;
  EXPECT_EQ(ev.value("date_format('2024-05-01 10:30:00', '%Y年%m月%d日')"), "2024年05月01日");
}

TEST(DateFormatFunction, AcceptsEpochMilliseconds) {
  HubEval ev;
  EXPECT_EQ(ev.value("date_format(`1714530600000`, '%F %T %z')"), "2024-05-01 10:30:00 +0800");
}

TEST(DateFormatFunction, KnowsDaylightSavingTime) {
  HubEval ev;
  EXPECT_EQ(ev.value("date_format('2024-07-01T12:00:00Z', '%H:%M %:z %Z', 'Europe/Berlin')"), "14:00 +02:00 CEST");
}

TEST(DateFormatFunction, UsesTheMappingZone) {
  HubEval ev;
  ev.zone = "America/New_York";
  EXPECT_EQ(ev.value("date_format('2024-01-01T00:00:00Z', '%F %H')"), "2023-12-31 19");
}

TEST(DateFormatFunction, NonIsoTextIsInvalidValue) {
  HubEval ev;
  EXPECT_EQ(ev.error("date_format('05/01/2024', '%F')").kind, ErrorKind::InvalidValue);
}

TEST(DateFormatFunction, UnknownZoneIsInvalidValue) {
  HubEval ev;
  EXPECT_EQ(ev.error("date_format('2024-01-01', '%F', z)", json{{"z", "Mars/Olympus"}}).kind, ErrorKind::InvalidValue);
}

TEST(NowFunction, UsesTheInjectedClock) {
  HubEval ev;
  ev.now = [] { return hub::Millis(1714530600123); };
  EXPECT_EQ(ev.value("now()"), "2024-05-01T10:30:00.123+08:00");
}

}  // namespace
