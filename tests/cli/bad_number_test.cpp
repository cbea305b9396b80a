// A number on the command line that is not one, or lies outside what the
// option takes, is a usage error (exit 2) naming the option and its range,
// never an abort: the real `hub` binary with a loadable configuration, so the
// number is the only thing wrong.
#include <gtest/gtest.h>

#include "tests/support/child_process.h"
#include "tests/support/paths.h"
#include "tests/support/temp_dir.h"

namespace hub::test {
namespace {

struct BadNumber {
  std::string name;
  std::vector<std::string> args;  // after `hub`; --config is added
  std::string message;
};

void PrintTo(const BadNumber& row, std::ostream* out) { *out << row.name; }

class BadNumberTest : public ::testing::TestWithParam<BadNumber> {};

TEST_P(BadNumberTest, IsAUsageErrorNamingTheOptionAndRange) {
  TempDir dir;
  const std::string config = dir.write("hub.yaml", "store: {path: hub.db}\n");
  std::vector<std::string> argv = {hubBinary()};
  argv.insert(argv.end(), GetParam().args.begin(), GetParam().args.end());
  argv.insert(argv.end(), {"--config", config});
  ChildProcess hub(argv, {}, dir.path().string());
  EXPECT_EQ(hub.wait(), 2);
  EXPECT_NE(hub.stderrText().find("error: " + GetParam().message), std::string::npos) << hub.stderrText();
}

INSTANTIATE_TEST_SUITE_P(
    Cli, BadNumberTest,
    ::testing::Values(
        BadNumber{"RunsLimitNotANumber", {"runs", "list", "--limit", "abc"},
                  "--limit must be a whole number from 1 to 100000, not 'abc'"},
        BadNumber{"RunsLimitNegative", {"runs", "list", "--limit", "-1"},
                  "--limit must be a whole number from 1 to 100000, not '-1'"},
        BadNumber{"RunId", {"runs", "show", "12x"}, "run id must be a whole number of at least 1, not '12x'"},
        BadNumber{"DeadLetterLimit", {"dlq", "list", "--limit", "0"},
                  "--limit must be a whole number from 1 to 100000, not '0'"},
        BadNumber{"DeadLetterOffsetBeyondInt64", {"dlq", "list", "--offset", "99999999999999999999"},
                  "--offset must be a whole number of at least 0, not '99999999999999999999'"},
        BadNumber{"DeadLetterId", {"dlq", "show", "-3"}, "dead-letter id must be a whole number of at least 1, not '-3'"},
        BadNumber{"ReplayTimeout", {"dlq", "replay", "1", "--timeout", "forever"},
                  "--timeout must be a duration (500ms, 30s, 5m, 2h) from 1s to 1d, not 'forever'"},
        BadNumber{"FlowForecast", {"flow", "list", "--next", "1e3"},
                  "--next must be a whole number from 0 to 100, not '1e3'"},
        BadNumber{"FlowRunTimeout", {"flow", "run", "f", "--timeout", "0s"},
                  "--timeout must be a duration (500ms, 30s, 5m, 2h) from 1s to 1d, not '0s'"},
        BadNumber{"TokenId", {"token", "revoke", "abc"}, "token id must be a whole number of at least 1, not 'abc'"}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace hub::test
