// `hub schedule next` through the real binary: output format and exit codes.
#include <gtest/gtest.h>

#include "tests/support/child_process.h"
#include "tests/support/paths.h"

namespace hub::test {
namespace {

struct Result {
  int code;
  std::string out, err;
};

Result hub(std::vector<std::string> args) {
  args.insert(args.begin(), hubBinary());
  ChildProcess p(args);
  const auto code = p.wait();
  return {code.value_or(-1), p.stdoutText(), p.stderrText()};
}

TEST(ScheduleNextCli, PrintsTimesWithOffsetsAcrossSpringForward) {
  const auto r = hub({"schedule", "next", "30 2 * * *", "--tz", "America/New_York", "--from", "2026-03-07T00:00:00",
                      "--count", "3"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "2026-03-07T02:30:00-05:00\n2026-03-08T03:00:00-04:00\n2026-03-09T02:30:00-04:00\n");
}

TEST(ScheduleNextCli, DefaultsToShanghaiAndFiveTimes) {
  const auto r = hub({"schedule", "next", "0 9 * * MON-FRI", "--from", "2026-01-01T00:00:00+08:00"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "2026-01-01T09:00:00+08:00\n2026-01-02T09:00:00+08:00\n2026-01-05T09:00:00+08:00\n"
            "2026-01-06T09:00:00+08:00\n2026-01-07T09:00:00+08:00\n");
}

TEST(ScheduleNextCli, BadExpressionPointsAtTheColumnAndExits2) {
  const auto r = hub({"schedule", "next", "0 0 1,2,99 * *"});
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(r.out.empty());
  EXPECT_NE(r.err.find("day-of-month at column 9: 99 is out of range 1-31"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("  0 0 1,2,99 * *\n          ^\n"), std::string::npos) << r.err;
}

TEST(ScheduleNextCli, UnknownZoneIsAUsageErrorWithASuggestion) {
  const auto r = hub({"schedule", "next", "0 2 * * *", "--tz", "Asia/Shanghia"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("did you mean 'Asia/Shanghai'"), std::string::npos) << r.err;
}

TEST(ScheduleNextCli, BadCountAndBadFromAreUsageErrors) {
  EXPECT_EQ(hub({"schedule", "next", "0 2 * * *", "--count", "0"}).code, 2);
  EXPECT_EQ(hub({"schedule", "next", "0 2 * * *", "--count", "many"}).code, 2);
  EXPECT_EQ(hub({"schedule", "next", "0 2 * * *", "--from", "tomorrow"}).code, 2);
}

TEST(ScheduleNextCli, MissingExpressionIsAUsageError) { EXPECT_EQ(hub({"schedule", "next"}).code, 2); }

TEST(ScheduleNextCli, NeverFiringExpressionExits1) {
  const auto r = hub({"schedule", "next", "0 0 30 2 *"});
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(r.out.empty());
  EXPECT_NE(r.err.find("no fire time within 5 years"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace hub::test
