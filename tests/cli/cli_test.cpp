#include <gtest/gtest.h>

#include <sstream>

#include "hub/cli/commands.h"
#include "tests/support/child_process.h"
#include "tests/support/paths.h"

namespace hub::test {
namespace {

struct Run {
  int code;
  std::string out, err;
};

Run runCli(std::vector<std::string> args) {
  std::ostringstream out, err;
  std::istringstream in;
  cli::Io io{out, err, in};
  const int code = cli::dispatch(cli::rootCommand(), args, io);
  return {code, out.str(), err.str()};
}

TEST(CliTest, VersionPrintsTheVersionAndSucceeds) {
  const auto r = runCli({"version"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out.rfind("hub ", 0), 0u);
}

TEST(CliTest, HelpListsTheCommands) {
  const auto r = runCli({"--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("serve"), std::string::npos);
  EXPECT_NE(r.out.find("config"), std::string::npos);
}

TEST(CliTest, EverySubcommandHasHelp) {
  for (const auto& group : cli::rootCommand().subcommands) {
    const auto r = runCli({group.name, "--help"});
    EXPECT_EQ(r.code, 0) << group.name;
    EXPECT_NE(r.out.find("Usage: hub " + group.name), std::string::npos) << group.name;
    for (const auto& sub : group.subcommands) {
      const auto s = runCli({group.name, sub.name, "--help"});
      EXPECT_EQ(s.code, 0) << group.name << " " << sub.name;
    }
  }
}

TEST(CliTest, UnknownCommandIsAUsageErrorWithASuggestion) {
  const auto r = runCli({"serv"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("did you mean 'serve'"), std::string::npos) << r.err;
}

TEST(CliTest, UnknownOptionIsAUsageError) {
  const auto r = runCli({"serve", "--confg", "x"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("did you mean 'config'"), std::string::npos) << r.err;
}

TEST(CliTest, MissingArgumentIsAUsageError) {
  EXPECT_EQ(runCli({"config", "check"}).code, 2);
}

TEST(CliTest, BinaryExitsWithTheUsageCode) {
  ChildProcess hub({hubBinary(), "nonsense"});
  EXPECT_EQ(hub.wait(), 2);
}

}  // namespace
}  // namespace hub::test
