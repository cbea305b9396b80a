#include <gtest/gtest.h>

#include <sstream>

#include "hub/cli/commands.h"
#include "tests/support/child_process.h"
#include "tests/support/paths.h"
#include "tests/support/temp_dir.h"

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

// A landscape folder with a file connector flow whose target names `mapping`.
std::string writeConfig(TempDir& dir, const std::string& mapping) {
  std::filesystem::create_directories(dir.file("maps"));
  std::filesystem::create_directories(dir.file("in"));
  std::filesystem::create_directories(dir.file("out"));
  dir.write("hub.yaml",
            "store: {path: hub.db}\n"
            "mapping_dir: maps\n"
            "connectors:\n"
            "  - {name: src, type: file, directory: in}\n"
            "  - {name: dst, type: file, directory: out}\n"
            "flows:\n"
            "  - name: f\n"
            "    source: {connector: src, entity: customers}\n"
            "    targets:\n"
            "      - {connector: dst, entity: customers, mapping: " + mapping + "}\n");
  return dir.file("hub.yaml");
}

// maps/customer.yaml with one field, `code`, filled by `expr`.
void writeCustomerMapping(TempDir& dir, const std::string& expr) {
  dir.write("maps/customer.yaml",
            "name: customer\n"
            "version: 1\n"
            "source: {system: src, entity: customers}\n"
            "target: {system: dst, entity: customers}\n"
            "fields:\n"
            "  code: {expr: " + expr + "}\n");
}

TEST(ConfigCheckTest, MappingThatIsNotInTheMappingDirIsReportedWithItsLocation) {
  TempDir dir;
  const auto r = runCli({"config", "check", writeConfig(dir, "no-such-mapping")});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("hub.yaml:10:54: flow 'f' uses mapping 'no-such-mapping'"), std::string::npos) << r.err;
}

TEST(ConfigCheckTest, BrokenMappingDocumentIsReportedWithItsFileLineAndColumn) {
  TempDir dir;
  const auto config = writeConfig(dir, "customer");
  writeCustomerMapping(dir, "\"upper(code\"");
  const auto r = runCli({"config", "check", config});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("customer.yaml:6:"), std::string::npos) << r.err;
}

TEST(ConfigCheckTest, ValidLandscapeIsReportedOk) {
  TempDir dir;
  const auto config = writeConfig(dir, "customer");
  writeCustomerMapping(dir, "upper(code)");
  const auto r = runCli({"config", "check", config});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("OK"), std::string::npos);
}

}  // namespace
}  // namespace hub::test
