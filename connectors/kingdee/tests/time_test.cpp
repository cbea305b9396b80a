#include <gtest/gtest.h>

#include "connectors/kingdee/kingdee_time.h"

namespace hub::connector::kingdee {
namespace {

constexpr std::int64_t k20240501_0130Z = 1714527000000;  // 2024-05-01T01:30:00Z = 09:30 in Shanghai

TEST(KingdeeTime, FilterLiteralIsServerLocalTimeInShanghai) {
  ServerZone zone("Asia/Shanghai");
  EXPECT_EQ(zone.filterLiteral(k20240501_0130Z), "2024-05-01 09:30:00");
}

TEST(KingdeeTime, FilterLiteralKeepsMillisecondsSoTheBoundIsExact) {
  ServerZone zone("Asia/Shanghai");
  EXPECT_EQ(zone.filterLiteral(k20240501_0130Z + 123), "2024-05-01 09:30:00.123");
}

TEST(KingdeeTime, ParsesJsonDatesWithAndWithoutFraction) {
  ServerZone zone("Asia/Shanghai");
  EXPECT_EQ(zone.parse("2024-05-01T09:30:00"), k20240501_0130Z);
  EXPECT_EQ(zone.parse("2024-05-01T09:30:00.5"), k20240501_0130Z + 500);
  EXPECT_EQ(zone.parse("2024-05-01 09:30:00.123"), k20240501_0130Z + 123);
  EXPECT_EQ(zone.parse("2024-05-01"), k20240501_0130Z - 9 * 3600000 - 1800000);
  EXPECT_FALSE(zone.parse("yesterday"));
  EXPECT_FALSE(zone.parse("2024-13-01"));
}

TEST(KingdeeTime, FixedOffsetsAndUtcAreAccepted) {
  EXPECT_EQ(ServerZone("+08:00").filterLiteral(k20240501_0130Z), "2024-05-01 09:30:00");
  EXPECT_EQ(ServerZone("UTC").jsonValue(k20240501_0130Z), "2024-05-01T01:30:00");
  EXPECT_EQ(ServerZone("-0530").filterLiteral(k20240501_0130Z), "2024-04-30 20:00:00");
}

TEST(KingdeeTime, DaylightSavingZonesFollowTheOsDatabase) {
  ServerZone berlin("Europe/Berlin");
  EXPECT_EQ(berlin.filterLiteral(k20240501_0130Z), "2024-05-01 03:30:00");         // CEST, +2
  EXPECT_EQ(berlin.filterLiteral(1704072600000), "2024-01-01 02:30:00");           // CET, +1
  EXPECT_EQ(berlin.parse("2024-05-01 03:30:00"), k20240501_0130Z);
}

TEST(KingdeeTime, UnknownZoneIsRejected) {
  EXPECT_FALSE(ServerZone::known("Mars/Olympus"));
  EXPECT_THROW(ServerZone("Mars/Olympus"), std::invalid_argument);
}

}  // namespace
}  // namespace hub::connector::kingdee
