#include "hub/core/log.h"

#include <gtest/gtest.h>

#include <vector>

#include "hub/core/redaction.h"

namespace hub {
namespace {

class LogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log::setSink([this](std::string_view line) { lines.emplace_back(line); });
    log::setLevel(log::Level::Info);
  }
  void TearDown() override {
    log::resetSink();
    Redactor::global().clear();
  }
  std::vector<std::string> lines;
};

TEST_F(LogTest, EachEventIsOneJsonObjectWithTimestampLevelAndFields) {
  log::info("flow_started", {{"flow", "orders"}, {"run", 7}});
  ASSERT_EQ(lines.size(), 1u);
  const auto doc = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(doc["event"], "flow_started");
  EXPECT_EQ(doc["level"], "info");
  EXPECT_EQ(doc["flow"], "orders");
  EXPECT_EQ(doc["run"], 7);
  EXPECT_TRUE(doc.contains("ts"));
}

TEST_F(LogTest, SecretsAreMaskedInLogLines) {
  Redactor::global().addSecret("hunter2-password");
  log::error("login_failed", {{"detail", "password hunter2-password rejected"}});
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].find("hunter2-password"), std::string::npos);
  EXPECT_NE(lines[0].find("***"), std::string::npos);
}

TEST_F(LogTest, EventsBelowTheLevelAreDropped) {
  log::setLevel(log::Level::Warn);
  log::info("chatty");
  log::warn("important");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("important"), std::string::npos);
}

}  // namespace
}  // namespace hub
