// Every numeric setting has a range next to its default; a value outside it,
// NaN or infinity is refused where it stands in the file, with the range.
#include <gtest/gtest.h>

#include "connectors/spi/registry.h"
#include "tests/config/config_fixture.h"
#include "tests/support/child_process.h"
#include "tests/support/paths.h"
#include "tests/support/temp_dir.h"

namespace hub::test {
namespace {
using connector::Field;
using connector::FieldKind;

bool numeric(const Field& f) {
  return f.kind == FieldKind::Integer || f.kind == FieldKind::Number || f.kind == FieldKind::Duration;
}

// Calls `check` with every field of `spec`, members and elements included.
void eachField(const connector::SettingsSpec& spec, const std::string& prefix,
               const std::function<void(const Field&, const std::string&)>& check) {
  for (const auto& f : spec) {
    check(f, prefix + f.name);
    eachField(f.fields, prefix + f.name + ".", check);
    if (f.item) eachField({*f.item}, prefix + f.name + "[].", check);
  }
}

void expectRangesHoldingDefaults(const connector::SettingsSpec& spec, const std::string& what) {
  eachField(spec, what + ": ", [](const Field& f, const std::string& name) {
    if (!numeric(f)) return;
    ASSERT_TRUE(f.bounds) << name << " has no range";
    EXPECT_LE(f.bounds->min, f.bounds->max) << name;
    if (!f.default_value) return;
    const double d = f.default_value->get<double>();
    EXPECT_TRUE(d >= f.bounds->min && d <= f.bounds->max) << name << ": default " << d << " outside its range";
  });
}

TEST(SettingRangesTest, EveryHubSettingHasARangeHoldingItsDefault) {
  expectRangesHoldingDefaults(config::hubSpec(), "hub");
  expectRangesHoldingDefaults(config::connectorBaseSpec(), "connector");
}

TEST(SettingRangesTest, EveryConnectorSettingAndOptionHasARangeHoldingItsDefault) {
  for (const auto& type : connector::builtinConnectors().types()) {
    expectRangesHoldingDefaults(type.settings, type.name);
    expectRangesHoldingDefaults(type.source_options, type.name + " source options");
    expectRangesHoldingDefaults(type.sink_options, type.name + " sink options");
  }
}

struct Refused {
  std::string name;
  std::string yaml;
  int line, column;
  std::string message;
};

void PrintTo(const Refused& row, std::ostream* out) { *out << row.name; }

const Refused kRefused[] = {
    {"ZeroPollInterval", "engine:\n  poll_interval: 0\n", 2, 18,
     "'poll_interval' must be a duration like 30s, 5m or 2h from 10ms to 1h, got '0'"},
    {"NegativeBodyLimit", "server:\n  max_body_bytes: -1\n", 2, 19,
     "'max_body_bytes' must be an integer from 1024 to 1073741824, got '-1'"},
    {"DurationBeyondMillis", "engine:\n  retention: 99999999999999999d\n", 2, 14,
     "'retention' must be a duration like 30s, 5m or 2h from 1h to 3660d, got '99999999999999999d'"},
    {"IntegerBeyondInt64", "engine:\n  workers: 99999999999999999999\n", 2, 12,
     "'workers' must be an integer from 1 to 64, got '99999999999999999999'"},
    {"NotANumber", kOneFlow + "    retry: {factor: nan}\n", 7, 21,
     "'factor' must be a number from 1 to 10, got 'nan'"},
    {"Infinity", kOneFlow + "    retry: {jitter: inf}\n", 7, 21,
     "'jitter' must be a number from 0 to 1, got 'inf'"},
    {"OverflowingNumber",
     "connectors:\n  - {name: dms, type: fake, base_url: http://dms, rate_limit: {per_second: 1e999}}\n", 2, 76,
     "'per_second' must be a number from 0.01 to 100000, got '1e999'"},
    {"ZeroInterval", kOneFlow + "    triggers: [{interval: 0s}]\n", 7, 27,
     "'interval' must be a duration like 30s, 5m or 2h from 100ms to 366d, got '0s'"},
    {"ZeroBatchSize", kOneFlow + "    batch_size: 0\n", 7, 17,
     "'batch_size' must be an integer from 1 to 1000, got '0'"},
};

std::string located(const std::string& file, const Refused& r) {
  return file + ":" + std::to_string(r.line) + ":" + std::to_string(r.column) + ": " + r.message;
}

class OutOfRangeTest : public ::testing::TestWithParam<Refused> {};

TEST_P(OutOfRangeTest, IsRefusedAtItsPlaceWithTheRange) {
  const auto loaded = load(GetParam().yaml);
  ASSERT_FALSE(loaded) << "accepted:\n" << GetParam().yaml;
  EXPECT_NE(formatAll(loaded.error()).find(located("hub.yaml", GetParam())), std::string::npos)
      << "expected " << located("hub.yaml", GetParam()) << "\nactual:\n" << formatAll(loaded.error());
}

INSTANTIATE_TEST_SUITE_P(Settings, OutOfRangeTest, ::testing::ValuesIn(kRefused),
                         [](const auto& info) { return info.param.name; });

// The same files through the real binary: exit code 2, not "OK".
class ConfigCheckRangeTest : public ::testing::TestWithParam<Refused> {};

TEST_P(ConfigCheckRangeTest, ExitsTwoNamingTheRange) {
  TempDir dir;
  const std::string path = dir.write("hub.yaml", GetParam().yaml);
  ChildProcess hub({hubBinary(), "config", "check", path});
  EXPECT_EQ(hub.wait(), 2);
  EXPECT_NE(hub.stderrText().find(located(path, GetParam())), std::string::npos) << hub.stderrText();
}

// The hub-level rows of kRefused, and NaN with a connector type the binary has.
std::vector<Refused> refusedByCheck() {
  std::vector<Refused> rows(std::begin(kRefused), std::begin(kRefused) + 4);
  rows.push_back({"NotANumber", "connectors:\n  - {name: in, type: file, directory: in, rate_limit: {per_second: nan}}\n",
                  2, 68, "'per_second' must be a number from 0.01 to 100000, got 'nan'"});
  return rows;
}

INSTANTIATE_TEST_SUITE_P(HubYaml, ConfigCheckRangeTest, ::testing::ValuesIn(refusedByCheck()),
                         [](const auto& info) { return info.param.name; });

// Every request URL of an HTTP connector is built on its base_url, so a root
// that names no host is refused when the file is read, not at the first call.
struct BadBaseUrl {
  std::string type, url;
};

class BaseUrlTest : public ::testing::TestWithParam<BadBaseUrl> {};

TEST_P(BaseUrlTest, WithoutSchemeAndHostIsRefusedAtBaseUrl) {
  const auto* type = connector::builtinConnectors().find(GetParam().type);
  ASSERT_NE(type, nullptr);
  ASSERT_TRUE(type->validate);
  bool named = false;
  for (const auto& issue : type->validate({{"base_url", GetParam().url}}))
    named = named || (issue.pointer == "/base_url" && issue.message.find(GetParam().url) != std::string::npos);
  EXPECT_TRUE(named) << GetParam().type << " took base_url '" << GetParam().url << "'";
}

INSTANTIATE_TEST_SUITE_P(HttpConnectors, BaseUrlTest,
                         ::testing::Values(BadBaseUrl{"rest", "/"}, BadBaseUrl{"rest", "https://"},
                                           BadBaseUrl{"dms", "/"}, BadBaseUrl{"dms", "http:///api"},
                                           BadBaseUrl{"kingdee", "//"}, BadBaseUrl{"kingdee", "ftp://erp"}),
                         [](const auto& info) { return info.param.type + "_" + std::to_string(info.index); });

TEST(SettingRangesTest, ValueAtTheEdgeOfItsRangeIsAccepted) {
  const auto loaded = load("engine:\n  poll_interval: 10ms\n  workers: 64\n");
  ASSERT_TRUE(loaded) << formatAll(loaded.error());
  EXPECT_EQ(loaded->config.engine.poll_interval, 10);
  EXPECT_EQ(loaded->config.engine.workers, 64);
}

}  // namespace
}  // namespace hub::test
