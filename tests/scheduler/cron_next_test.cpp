// Next fire times, one row per behaviour. Expected values are reasoned by
// hand from the calendar (2026-01-01 is a Thursday) and the New York rules:
// 2026-03-08 02:00 EST jumps to 03:00 EDT (07:00Z); 2026-11-01 02:00 EDT
// falls back to 01:00 EST (06:00Z).
#include <gtest/gtest.h>

#include <cctype>

#include "scheduler/cron.h"

namespace hub::sched {
namespace {

struct Row {
  const char* name;
  const char* expr;
  const char* zone;
  const char* from;      // ISO 8601 with offset
  const char* expected;  // ISO 8601 in the zone, with offset
};

constexpr const char* NY = "America/New_York";
constexpr const char* SH = "Asia/Shanghai";
constexpr const char* UTC = "UTC";

const Row kRows[] = {
    // Plain fields, lists, ranges, steps.
    {"EveryMinuteStartsAtTheNextMinute", "* * * * *", UTC, "2026-01-01T00:00:30Z", "2026-01-01T00:01:00+00:00"},
    {"FireTimeEqualToFromIsNotRepeated", "0 9,12,18 * * *", UTC, "2026-01-01T12:00:00Z", "2026-01-01T18:00:00+00:00"},
    {"StarStepFiveMinutes", "*/5 * * * *", UTC, "2026-01-01T00:07:00Z", "2026-01-01T00:10:00+00:00"},
    {"RangeWithStepWrapsToNextHour", "10-40/10 * * * *", UTC, "2026-01-01T00:41:00Z", "2026-01-01T01:10:00+00:00"},
    {"ValueWithStepRunsToFieldEnd", "5/15 * * * *", UTC, "2026-01-01T00:06:00Z", "2026-01-01T00:20:00+00:00"},
    {"HourRangeEndsThenNextDay", "0 9-17 * * *", UTC, "2026-01-01T17:00:00Z", "2026-01-02T09:00:00+00:00"},
    {"YearRollsOver", "0 0 1 1 *", UTC, "2026-06-01T00:00:00Z", "2027-01-01T00:00:00+00:00"},
    {"LastMinuteOfTheYear", "59 23 31 12 *", UTC, "2026-12-31T23:59:00Z", "2027-12-31T23:59:00+00:00"},
    // Names.
    {"WeekdayRangeSkipsTheWeekend", "0 9 * * MON-FRI", UTC, "2026-01-02T10:00:00Z", "2026-01-05T09:00:00+00:00"},
    {"SevenIsSunday", "0 0 * * 7", UTC, "2026-01-01T00:00:00Z", "2026-01-04T00:00:00+00:00"},
    {"LowercaseWeekdayNames", "0 8 * * sat,sun", UTC, "2026-01-01T00:00:00Z", "2026-01-03T08:00:00+00:00"},
    {"WeekdayRangeEndingOnSunday", "0 8 * * FRI-SUN", UTC, "2026-01-03T09:00:00Z", "2026-01-04T08:00:00+00:00"},
    {"MonthNames", "0 0 1 JAN,JUL *", UTC, "2026-01-01T00:00:00Z", "2026-07-01T00:00:00+00:00"},
    {"QuestionMarkIsStar", "0 12 ? * WED", UTC, "2026-01-01T00:00:00Z", "2026-01-07T12:00:00+00:00"},
    // Macros.
    {"DailyMacroInShanghai", "@daily", SH, "2026-01-01T12:00:00+08:00", "2026-01-02T00:00:00+08:00"},
    {"WeeklyMacroIsSundayMidnight", "@weekly", UTC, "2026-01-01T00:00:00Z", "2026-01-04T00:00:00+00:00"},
    {"HourlyMacro", "@hourly", UTC, "2026-01-01T00:15:00Z", "2026-01-01T01:00:00+00:00"},
    // Seconds (6 fields).
    {"SecondsStep", "*/15 * * * * *", UTC, "2026-01-01T00:00:07Z", "2026-01-01T00:00:15+00:00"},
    {"SecondsListCarriesIntoMinute", "0,30 * * * * *", UTC, "2026-01-01T00:00:30Z", "2026-01-01T00:01:00+00:00"},
    {"SecondsFixedTimeNextDay", "30 0 12 * * *", UTC, "2026-01-01T12:00:30Z", "2026-01-02T12:00:30+00:00"},
    // Asia/Shanghai, the hub's default zone (UTC+8, no DST).
    {"ShanghaiLocalTime", "0 2 * * *", SH, "2026-01-01T00:00:00+08:00", "2026-01-01T02:00:00+08:00"},
    {"ShanghaiFromAUtcInstant", "30 9 * * *", SH, "2026-01-01T02:00:00Z", "2026-01-02T09:30:00+08:00"},
    {"ShanghaiHasNoGapOnUsDstDay", "30 2 8 3 *", SH, "2026-03-01T00:00:00+08:00", "2026-03-08T02:30:00+08:00"},
    {"ShanghaiLastDayOfFebruary", "0 0 L * *", SH, "2026-02-01T00:00:00+08:00", "2026-02-28T00:00:00+08:00"},
    // Month ends, L and W.
    {"Day31SkipsFebruary", "0 0 31 * *", UTC, "2026-01-31T00:00:00Z", "2026-03-31T00:00:00+00:00"},
    {"Day31SkipsApril", "0 0 31 * *", UTC, "2026-04-01T00:00:00Z", "2026-05-31T00:00:00+00:00"},
    {"LastDayOfThirtyDayMonth", "0 0 L * *", UTC, "2026-04-15T00:00:00Z", "2026-04-30T00:00:00+00:00"},
    {"LastDayOfLeapFebruary", "0 0 L 2 *", UTC, "2028-01-01T00:00:00Z", "2028-02-29T00:00:00+00:00"},
    {"TwoDaysBeforeLastDay", "0 0 L-2 * *", UTC, "2026-02-01T00:00:00Z", "2026-02-26T00:00:00+00:00"},
    {"LastWeekdayWhenMonthEndsOnSaturday", "0 0 LW * *", UTC, "2026-01-01T00:00:00Z", "2026-01-30T00:00:00+00:00"},
    {"LastWeekdayWhenMonthEndsOnSunday", "0 0 LW * *", UTC, "2026-05-01T00:00:00Z", "2026-05-29T00:00:00+00:00"},
    {"NearestWeekdayOfSaturdayIsFriday", "0 0 15W * *", UTC, "2026-08-01T00:00:00Z", "2026-08-14T00:00:00+00:00"},
    {"NearestWeekdayNeverLeavesTheMonthAtStart", "0 0 1W * *", UTC, "2026-07-31T12:00:00Z",
     "2026-08-03T00:00:00+00:00"},
    {"NearestWeekdayNeverLeavesTheMonthAtEnd", "0 0 31W * *", UTC, "2026-05-01T00:00:00Z",
     "2026-05-29T00:00:00+00:00"},
    {"NearestWeekdaySkipsMonthsWithoutTheDay", "0 0 31W * *", UTC, "2026-06-01T00:00:00Z",
     "2026-07-31T00:00:00+00:00"},
    // Leap years.
    {"February29FromNonLeapYear", "0 0 29 2 *", UTC, "2025-01-01T00:00:00Z", "2028-02-29T00:00:00+00:00"},
    {"February29ToTheNextLeapYear", "0 0 29 2 *", UTC, "2028-02-29T00:00:00Z", "2032-02-29T00:00:00+00:00"},
    // '#' and 'L' in day-of-week.
    {"ThirdFridayByName", "0 10 * * FRI#3", UTC, "2026-01-01T00:00:00Z", "2026-01-16T10:00:00+00:00"},
    {"ThirdFridayByNumber", "0 10 * * 5#3", UTC, "2026-01-16T10:00:00Z", "2026-02-20T10:00:00+00:00"},
    {"FifthMondaySkipsMonthsWithFour", "0 0 * * MON#5", UTC, "2026-01-01T00:00:00Z", "2026-03-30T00:00:00+00:00"},
    {"LastFridayByNumber", "0 0 * * 5L", UTC, "2026-01-01T00:00:00Z", "2026-01-30T00:00:00+00:00"},
    {"LastFridayByName", "0 0 * * FRIL", UTC, "2026-01-30T00:00:00Z", "2026-02-27T00:00:00+00:00"},
    // Vixie day rules.
    {"BothDayFieldsRestrictedMeansEither", "0 0 13 * FRI", UTC, "2026-01-09T00:00:00Z", "2026-01-13T00:00:00+00:00"},
    {"BothDayFieldsRestrictedThenTheFriday", "0 0 13 * FRI", UTC, "2026-01-13T00:00:00Z",
     "2026-01-16T00:00:00+00:00"},
    {"DayOfMonthStartingWithStarMeansBoth", "0 0 */2 * MON", UTC, "2026-01-01T00:00:00Z",
     "2026-01-05T00:00:00+00:00"},
    // New York, spring forward on 2026-03-08: 02:00-02:59 does not exist.
    {"SpringGapFixedTimeRunsWhenGapEnds", "30 2 * * *", NY, "2026-03-08T00:00:00-05:00", "2026-03-08T03:00:00-04:00"},
    {"SpringGapFixedTimeRunsOnlyOnce", "30 2 * * *", NY, "2026-03-08T03:00:00-04:00", "2026-03-09T02:30:00-04:00"},
    {"SpringGapOnTheHour", "0 2 * * *", NY, "2026-03-07T12:00:00-05:00", "2026-03-08T03:00:00-04:00"},
    {"SpringGapOneDateOnly", "30 2 8 3 *", NY, "2026-03-01T00:00:00-05:00", "2026-03-08T03:00:00-04:00"},
    {"SpringGapWithSeconds", "15 30 2 * * *", NY, "2026-03-08T01:59:00-05:00", "2026-03-08T03:00:00-04:00"},
    {"SpringGapEverySecondOfAFixedMinuteRunsOnce", "* 30 2 * * *", NY, "2026-03-08T03:00:00-04:00",
     "2026-03-09T02:30:00-04:00"},
    {"SpringTimeAfterGapIsUnchanged", "0 3 * * *", NY, "2026-03-08T01:59:00-05:00", "2026-03-08T03:00:00-04:00"},
    {"SpringWildcardHourSkipsTheGap", "*/30 * * * *", NY, "2026-03-08T01:30:00-05:00", "2026-03-08T03:00:00-04:00"},
    {"SpringWildcardHourMinute30", "30 * * * *", NY, "2026-03-08T01:30:00-05:00", "2026-03-08T03:30:00-04:00"},
    {"SpringHourStepSkipsTheGap", "0 */2 * * *", NY, "2026-03-08T01:00:00-05:00", "2026-03-08T04:00:00-04:00"},
    // New York, fall back on 2026-11-01: 01:00-01:59 happens twice.
    {"FallOverlapFixedTimeFirstOccurrence", "30 1 * * *", NY, "2026-11-01T00:00:00-04:00",
     "2026-11-01T01:30:00-04:00"},
    {"FallOverlapFixedTimeNotRepeated", "30 1 * * *", NY, "2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00"},
    {"FallOverlapFixedTimeFromSecondPass", "30 1 * * *", NY, "2026-11-01T01:10:00-05:00",
     "2026-11-02T01:30:00-05:00"},
    {"FallFixedHourOneOnTheHour", "0 1 * * *", NY, "2026-10-31T12:00:00-04:00", "2026-11-01T01:00:00-04:00"},
    {"FallTwoOClockHappensOnceInStandardTime", "0 2 * * *", NY, "2026-11-01T00:00:00-04:00",
     "2026-11-01T02:00:00-05:00"},
    {"FallWildcardRepeatsIntoStandardTime", "*/30 * * * *", NY, "2026-11-01T01:30:00-04:00",
     "2026-11-01T01:00:00-05:00"},
    {"FallWildcardSecondPassContinues", "*/30 * * * *", NY, "2026-11-01T01:00:00-05:00", "2026-11-01T01:30:00-05:00"},
    {"FallHourlyFiresEachRealHour", "0 * * * *", NY, "2026-11-01T01:00:00-04:00", "2026-11-01T01:00:00-05:00"},
};

class CronNextTable : public ::testing::TestWithParam<Row> {};

TEST_P(CronNextTable, FiresAtTheExpectedTime) {
  const Row& row = GetParam();
  const auto expr = CronExpr::parse(row.expr);
  ASSERT_TRUE(expr) << expr.error().format();
  const auto zone = Zone::find(row.zone);
  ASSERT_TRUE(zone) << row.zone;
  const auto from = parseIsoInstant(row.from);
  ASSERT_TRUE(from) << row.from;
  const auto next = nextFire(*expr, *zone, *from);
  ASSERT_TRUE(next) << row.expr << " never fires after " << row.from;
  EXPECT_EQ(formatInZone(*next, *zone), row.expected) << row.expr << " in " << row.zone << " after " << row.from;
}

INSTANTIATE_TEST_SUITE_P(Expressions, CronNextTable, ::testing::ValuesIn(kRows),
                         [](const ::testing::TestParamInfo<Row>& info) { return std::string(info.param.name); });

TEST(CronNextTableSize, HoldsAtLeastFortyExpressions) { EXPECT_GE(std::size(kRows), 40u); }

}  // namespace
}  // namespace hub::sched
