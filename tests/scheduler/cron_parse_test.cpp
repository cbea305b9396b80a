// Parsing: what is accepted, and errors that name the field and the column.
#include <gtest/gtest.h>

#include "scheduler/cron.h"

namespace hub::sched {
namespace {

CronError errorOf(const std::string& text) {
  const auto parsed = CronExpr::parse(text);
  EXPECT_FALSE(parsed) << text << " should not parse";
  return parsed ? CronError{} : parsed.error();
}

struct BadRow {
  const char* name;
  const char* expr;
  int column;
  const char* field;
  const char* message_part;
};

const BadRow kBad[] = {
    {"MinuteOutOfRange", "61 * * * *", 1, "minute", "61 is out of range 0-59"},
    {"HourOutOfRange", "0 24 * * *", 3, "hour", "24 is out of range 0-23"},
    {"ValueInsideAList", "0 0 1,2,99 * *", 9, "day-of-month", "99 is out of range 1-31"},
    {"DayOfMonthZero", "0 0 0 * *", 5, "day-of-month", "0 is out of range 1-31"},
    {"MonthOutOfRange", "0 0 1 13 *", 7, "month", "13 is out of range 1-12"},
    {"WeekdayOutOfRange", "0 0 * * 8", 9, "day-of-week", "0 and 7 are Sunday"},
    {"UnknownMonthNameSuggests", "0 0 1 JAM *", 7, "month", "did you mean 'JAN'"},
    {"UnknownWeekdayName", "0 0 * * FRY", 9, "day-of-week", "unknown weekday 'FRY'"},
    {"NamesOnlyInMonthAndWeekday", "0 MON * * *", 3, "hour", "'MON' is not a number"},
    {"ZeroStep", "*/0 * * * *", 3, "minute", "step must be at least 1"},
    {"MissingStep", "0 0/ * * *", 5, "hour", "step is missing"},
    {"StepNotANumber", "*/x * * * *", 3, "minute", "step 'x' is not a number"},
    {"BackwardsRange", "0 0 * * 5-1", 9, "day-of-week", "runs backwards"},
    {"SecondRangeEndOutOfRange", "0 10-70 * * *", 6, "hour", "70 is out of range 0-23"},
    {"EmptyListItem", "0 1,,2 * * *", 5, "hour", "empty item"},
    {"QuestionMarkOnlyInDayFields", "? * * * *", 1, "minute", "only allowed in day-of-month and day-of-week"},
    {"LastDayOnlyInDayFields", "L * * * *", 1, "minute", "day fields' specials"},
    {"LAloneInWeekdayIsAmbiguous", "0 0 * * L", 9, "day-of-week", "ambiguous"},
    {"StepAfterL", "0 0 L/2 * *", 5, "day-of-month", "a step cannot follow 'L'"},
    {"WeekOfMonthTooLarge", "0 0 * * FRI#6", 13, "day-of-week", "week number from 1 to 5"},
    {"NearestWeekdayOutOfRange", "0 0 32W * *", 5, "day-of-month", "32 is out of range 1-31"},
    {"LMinusTooLarge", "0 0 L-31 * *", 7, "day-of-month", "from 0 to 30"},
    {"SixFieldSecondsOutOfRange", "60 0 0 * * *", 1, "second", "60 is out of range 0-59"},
    {"ColumnCountsLeadingSpaces", "  0 0 * * 9", 11, "day-of-week", "9 is out of range"},
    {"TooManyFields", "0 0 * * * * 2026", 13, "", "too many fields"},
    {"TooFewFields", "0 0 * *", 8, "", "too few fields"},
    {"EmptyExpression", "   ", 1, "", "empty"},
    {"UnknownMacroSuggests", "@dayly", 1, "", "did you mean '@daily'"},
    {"RebootIsNotASchedule", "@reboot", 1, "", "unknown macro"},
};

class CronParseErrors : public ::testing::TestWithParam<BadRow> {};

TEST_P(CronParseErrors, NameTheFieldAndColumn) {
  const BadRow& row = GetParam();
  const CronError e = errorOf(row.expr);
  EXPECT_EQ(e.column, row.column) << e.format();
  EXPECT_EQ(e.field, row.field) << e.format();
  EXPECT_NE(e.message.find(row.message_part), std::string::npos) << e.format();
}

INSTANTIATE_TEST_SUITE_P(Expressions, CronParseErrors, ::testing::ValuesIn(kBad),
                         [](const ::testing::TestParamInfo<BadRow>& info) { return std::string(info.param.name); });

TEST(CronParse, ErrorFormatLeadsWithFieldAndColumn) {
  EXPECT_EQ(errorOf("0 0 1,2,99 * *").format(), "day-of-month at column 9: 99 is out of range 1-31");
  EXPECT_EQ(errorOf("0 0 * *").format().rfind("column 8: too few fields", 0), 0u);
}

TEST(CronParse, AcceptsEverySpecialTogether) {
  for (const char* text : {"0 0 L,15W,LW,L-3 JAN-MAR,DEC ?", "0 0 ? * MON#1,FRIL,5L", "0 0 1-10/3,20 * SUN-SAT/2",
                           "0 0 * * 7", "0 0 12 * * *", "\t*/5\t* * * *  ", "@ANNUALLY", "@midnight"}) {
    const auto parsed = CronExpr::parse(text);
    EXPECT_TRUE(parsed) << text << ": " << (parsed ? "" : parsed.error().format());
  }
}

TEST(CronParse, KeepsTheTextAsWrittenWithoutOuterSpaces) {
  EXPECT_EQ(CronExpr::parse("  0 2 * * *  ")->text(), "0 2 * * *");
  EXPECT_EQ(CronExpr::parse("@daily")->text(), "@daily");
}

TEST(CronParse, HourWildcardOnlyForStarOrStep) {
  EXPECT_TRUE(CronExpr::parse("0 * * * *")->hourIsWildcard());
  EXPECT_TRUE(CronExpr::parse("0 */2 * * *")->hourIsWildcard());
  EXPECT_TRUE(CronExpr::parse("0 1-5/2 * * *")->hourIsWildcard());
  EXPECT_FALSE(CronExpr::parse("0 2 * * *")->hourIsWildcard());
  EXPECT_FALSE(CronExpr::parse("* 1-3 * * *")->hourIsWildcard());
  EXPECT_FALSE(CronExpr::parse("0 0 2 * * *")->hourIsWildcard());  // 6 fields: the hour is the third
}

TEST(CheckSchedule, AcceptsAValidExpression) { EXPECT_FALSE(checkSchedule("0 2 * * MON-FRI")); }

TEST(CheckSchedule, ExplainsASyntaxErrorWithItsColumn) {
  const auto err = checkSchedule("0 25 * * *");
  ASSERT_TRUE(err);
  EXPECT_EQ(*err, "invalid cron expression '0 25 * * *': hour at column 3: 25 is out of range 0-23");
}

TEST(CheckSchedule, RejectsAnExpressionThatNeverFires) {
  const auto err = checkSchedule("0 0 30 2 *");
  ASSERT_TRUE(err);
  EXPECT_NE(err->find("never fires"), std::string::npos) << *err;
}

TEST(CheckSchedule, AcceptsFebruary29) { EXPECT_FALSE(checkSchedule("0 0 29 2 *")); }

}  // namespace
}  // namespace hub::sched
