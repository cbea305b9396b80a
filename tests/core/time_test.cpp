#include "hub/core/time.h"

#include <gtest/gtest.h>

namespace hub {
namespace {

TEST(TimeTest, FormatsEpochAsIsoWithMillis) {
  EXPECT_EQ(formatIsoMillis(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(formatIsoMillis(1700000000123), "2023-11-14T22:13:20.123Z");
}

TEST(TimeTest, ParsesUtcInstant) { EXPECT_EQ(parseIsoInstant("2023-11-14T22:13:20Z"), 1700000000000); }

TEST(TimeTest, ParsesOffsetInstant) { EXPECT_EQ(parseIsoInstant("2023-11-15T06:13:20+08:00"), 1700000000000); }

TEST(TimeTest, ZonelessTimestampIsReadAtTheDefaultOffset) {
  EXPECT_EQ(parseIsoInstant("2023-11-15 06:13:20", 480), 1700000000000);
}

TEST(TimeTest, ParsesFractionalSeconds) { EXPECT_EQ(parseIsoInstant("2023-11-14T22:13:20.5Z"), 1700000000500); }

TEST(TimeTest, ParsesDateOnlyAsMidnight) { EXPECT_EQ(parseIsoInstant("1970-01-02"), 86400000); }

TEST(TimeTest, RejectsMalformedInstants) {
  EXPECT_FALSE(parseIsoInstant("2023-13-01"));
  EXPECT_FALSE(parseIsoInstant("yesterday"));
  EXPECT_FALSE(parseIsoInstant("2023-11-14T25:00:00Z"));
  EXPECT_FALSE(parseIsoInstant("2023-11-14T10:00:00Zjunk"));
}

TEST(TimeTest, FormatParseRoundTrip) {
  for (Millis t : {0LL, 951782400000LL, 1709164800999LL, 4102444800000LL})
    EXPECT_EQ(parseIsoInstant(formatIsoMillis(t)), t);
}

TEST(TimeTest, ParsesDurationsWithUnits) {
  EXPECT_EQ(parseDuration("250ms"), 250);
  EXPECT_EQ(parseDuration("30s"), 30000);
  EXPECT_EQ(parseDuration("5m"), 300000);
  EXPECT_EQ(parseDuration("2h"), 7200000);
  EXPECT_EQ(parseDuration("1d"), 86400000);
  EXPECT_EQ(parseDuration("1.5s"), 1500);
  EXPECT_EQ(parseDuration("10"), 10000);
}

TEST(TimeTest, RejectsDurationsWithUnknownUnits) {
  EXPECT_FALSE(parseDuration("5 minutes"));
  EXPECT_FALSE(parseDuration("abc"));
  EXPECT_FALSE(parseDuration(""));
}

TEST(TimeTest, RejectsDurationsLongerThanMillisCanHold) {
  EXPECT_FALSE(parseDuration("99999999999999999d"));
  EXPECT_FALSE(parseDuration("9999999999999999999999ms"));
}

TEST(TimeTest, FormatsDurationsInTheLargestWholeUnit) {
  EXPECT_EQ(formatDuration(300000), "5m");
  EXPECT_EQ(formatDuration(1500), "1500ms");
  EXPECT_EQ(formatDuration(7200000), "2h");
}

}  // namespace
}  // namespace hub
