// Each broken configuration names the file, line and column of the problem
// and says plainly what is wrong.
#include <gtest/gtest.h>

#include "tests/config/config_fixture.h"

namespace hub::test {
namespace {

const char* kConnector = "connectors:\n  - name: dms\n    type: fake\n    base_url: http://dms\n";

Problems problemsOf(const std::string& yaml) {
  auto loaded = load(yaml);
  EXPECT_FALSE(loaded.has_value()) << "expected problems in:\n" << yaml;
  return loaded ? Problems{} : loaded.error();
}

void expectProblem(const Problems& problems, int line, int column, const std::string& message) {
  for (const auto& p : problems) {
    if (p.where.line == line && p.where.column == column && p.message == message) {
      EXPECT_EQ(p.where.file, "hub.yaml");
      return;
    }
  }
  ADD_FAILURE() << "missing problem " << line << ":" << column << ": " << message << "\nactual:\n" << formatAll(problems);
}

TEST(ConfigErrorsTest, UnknownKeySuggestsTheNearestKnownOne) {
  expectProblem(problemsOf("server:\n  lisen: 127.0.0.1:80\n"), 2, 3,
                "unknown key 'lisen' in server (did you mean 'listen'?)");
}

TEST(ConfigErrorsTest, UnknownTopLevelKey) {
  expectProblem(problemsOf("flws: []\n"), 1, 1, "unknown key 'flws' in the configuration (did you mean 'flows'?)");
}

TEST(ConfigErrorsTest, WrongTypeNamesTheExpectedKindAndRange) {
  expectProblem(problemsOf("engine:\n  workers: two\n"), 2, 12, "'workers' must be an integer from 1 to 64, got 'two'");
}

TEST(ConfigErrorsTest, BadDurationNamesTheAcceptedForms) {
  expectProblem(problemsOf("server:\n  shutdown_deadline: soon\n"), 2, 22,
                "'shutdown_deadline' must be a duration like 30s, 5m or 2h from 0s to 1h, got 'soon'");
}

TEST(ConfigErrorsTest, EnumValueOutsideTheChoices) {
  expectProblem(problemsOf("store:\n  driver: mysql\n"), 2, 11,
                "'driver' must be one of: sqlite, postgresql; got 'mysql'");
}

TEST(ConfigErrorsTest, MissingRequiredKeyPointsAtItsBlock) {
  expectProblem(problemsOf("connectors:\n  - name: dms\n    type: fake\n"), 2, 5,
                "missing required key 'base_url' in connector 'dms'");
}

TEST(ConfigErrorsTest, DuplicateConnectorNameNamesTheFirstDefinition) {
  expectProblem(problemsOf(std::string(kConnector) + "  - name: dms\n    type: fake\n    base_url: http://x\n"), 5, 11,
                "duplicate connector name 'dms' (first defined at line 2)");
}

TEST(ConfigErrorsTest, UnknownConnectorTypeListsKnownTypes) {
  expectProblem(problemsOf("connectors:\n  - name: erp\n    type: fak\n"), 3, 11,
                "unknown connector type 'fak' (did you mean 'fake'?); known types: fake, pathful");
}

TEST(ConfigErrorsTest, FlowReferringToAnUndefinedConnector) {
  const std::string yaml = std::string(kConnector) +
                           "flows:\n  - name: f\n    source: {connector: dsm, entity: orders}\n"
                           "    targets: [{connector: dms, entity: orders}]\n";
  expectProblem(problemsOf(yaml), 7, 25, "flow 'f' refers to undefined connector 'dsm' (did you mean 'dms'?)");
}

TEST(ConfigErrorsTest, EntityTheConnectorTypeCannotPull) {
  const std::string yaml = std::string(kConnector) +
                           "flows:\n  - name: f\n    source: {connector: dms, entity: order}\n"
                           "    targets: [{connector: dms, entity: orders}]\n";
  expectProblem(problemsOf(yaml), 7, 38,
                "connector type 'fake' cannot pull entity 'order' (did you mean 'orders'?); it supports: customers, orders");
}

TEST(ConfigErrorsTest, DuplicateFlowName) {
  const std::string flow =
      "  - name: f\n    source: {connector: dms, entity: orders}\n    targets: [{connector: dms, entity: orders}]\n";
  expectProblem(problemsOf(std::string(kConnector) + "flows:\n" + flow + flow), 9, 11,
                "duplicate flow name 'f' (first defined at line 6)");
}

TEST(ConfigErrorsTest, ConnectorCrossFieldCheckIsLocatedAtTheField) {
  expectProblem(problemsOf(std::string(kConnector) + "    page_limit: 5000\n"), 5, 17, "page_limit must be at most 1000");
}

TEST(ConfigErrorsTest, UnknownSourceOptionOfTheConnectorType) {
  const std::string yaml = std::string(kConnector) +
                           "flows:\n  - name: f\n    source:\n      connector: dms\n      entity: orders\n"
                           "      options: {filtr: x}\n    targets: [{connector: dms, entity: orders}]\n";
  expectProblem(problemsOf(yaml), 10, 17, "unknown key 'filtr' in source options (did you mean 'filter'?)");
}

TEST(ConfigErrorsTest, MissingOptionsBlockWithARequiredKeyIsLocatedAtItsTarget) {
  const std::string yaml = std::string(kConnector) +
                           "  - {name: erp, type: pathful}\n"
                           "flows:\n  - name: f\n    source: {connector: dms, entity: orders}\n"
                           "    targets:\n      - {connector: erp, entity: orders}\n";
  expectProblem(problemsOf(yaml), 10, 9, "missing required key 'path' in target options");
}

TEST(ConfigErrorsTest, TriggerWithTwoKinds) {
  const std::string yaml = std::string(kConnector) +
                           "flows:\n  - name: f\n    source: {connector: dms, entity: orders}\n"
                           "    targets: [{connector: dms, entity: orders}]\n"
                           "    triggers:\n      - {schedule: '* * * * *', interval: 5m}\n";
  expectProblem(problemsOf(yaml), 10, 9,
                "each trigger of flow 'f' needs exactly one of 'schedule', 'interval' or 'webhook'");
}

TEST(ConfigErrorsTest, UnsignedWebhookIsRefused) {
  const std::string yaml = std::string(kConnector) +
                           "flows:\n  - name: f\n    source: {connector: dms, entity: orders}\n"
                           "    targets: [{connector: dms, entity: orders}]\n"
                           "    triggers:\n      - webhook: {mode: payload}\n";
  expectProblem(problemsOf(yaml), 10, 18, "webhook of flow 'f' needs a 'secret' (unsigned webhooks are refused)");
}

TEST(ConfigErrorsTest, MissingEnvironmentVariable) {
  expectProblem(problemsOf(std::string(kConnector) + "    token: ${DMS_TOKEN}\n"), 5, 12,
                "environment variable 'DMS_TOKEN' is not set");
}

TEST(ConfigErrorsTest, DuplicateYamlKey) {
  expectProblem(problemsOf("server:\n  threads: 4\n  threads: 8\n"), 3, 3,
                "key 'threads' appears twice in server (first at line 2)");
}

TEST(ConfigErrorsTest, YamlSyntaxErrorIsLocated) {
  const auto problems = problemsOf("server:\n  listen: [unclosed\n");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].where.file, "hub.yaml");
  EXPECT_GT(problems[0].where.line, 0);
}

TEST(ConfigErrorsTest, BadListenAddress) {
  expectProblem(problemsOf("server:\n  listen: localhost\n"), 2, 11,
                "'listen' must be host:port with a port from 0 (any free port) to 65535, got 'localhost'");
}

TEST(ConfigErrorsTest, EveryProblemIsReportedNotJustTheFirst) {
  const auto problems = problemsOf("server:\n  lisen: x\nstore:\n  driver: mysql\nengine:\n  workers: two\n");
  EXPECT_EQ(problems.size(), 3u);
}

TEST(ConfigErrorsTest, ProblemsAreOrderedByPosition) {
  const auto problems = problemsOf("engine:\n  workers: two\nserver:\n  lisen: x\n");
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_LT(problems[0].where.line, problems[1].where.line);
}

// Fuzzing findings (fuzz/config_yaml.cpp; inputs in fuzz/crashers/config_yaml):
// these ended the process with an uncaught exception.
TEST(ConfigErrorsTest, ADocumentThatIsNotAMappingIsAProblem) {
  for (const char* yaml : {"just text\n", "- a\n- b\n", "[1, 2]\n"}) {
    const Problems problems = problemsOf(yaml);
    ASSERT_EQ(problems.size(), 1u) << yaml;
    EXPECT_EQ(problems[0].where.line, 1) << yaml;
    EXPECT_NE(problems[0].message.find("the configuration must be a mapping of keys"), std::string::npos)
        << problems[0].message;
  }
}

// Found by fuzz/config_yaml.cpp: a connector without a type was accepted.
TEST(ConfigErrorsTest, AConnectorWithoutATypeIsAProblem) {
  expectProblem(problemsOf("connectors:\n  - name: erp\n"), 2, 5,
                "each connector needs a 'type': one of fake, pathful");
  expectProblem(problemsOf("connectors:\n  - name: erp\n    type: [fake]\n"), 3, 11,
                "each connector needs a 'type': one of fake, pathful");
  EXPECT_FALSE(problemsOf("connectors:\n  - {}\n").empty());
}

TEST(ConfigErrorsTest, ANullBlockOrValueIsAWrongTypeNotACrash) {
  expectProblem(problemsOf("server: ~\n"), 1, 9, "'server' must be a mapping of keys, got nothing");
  expectProblem(problemsOf("store:\n  path: ~\n"), 2, 9, "'path' must be a string, got nothing");
  for (const char* yaml : {"engine: ~\n", "timezone: ~\n", "log: ~\n", "server:\n  listen: ~\n"})
    EXPECT_FALSE(problemsOf(yaml).empty()) << yaml;
}

}  // namespace
}  // namespace hub::test
