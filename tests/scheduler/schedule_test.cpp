// Zones, the bounded search, intervals with jitter, and building schedules
// from a flow's `triggers` JSON.
#include <gtest/gtest.h>

#include <chrono>

#include "scheduler/schedule.h"

namespace hub::sched {
namespace {
using nlohmann::json;

Millis at(const char* iso) { return *parseIsoInstant(iso); }
Zone zone(const char* name) { return *Zone::find(name); }

TEST(NextFire, NothingWhenTheDayNeverOccurs) {
  EXPECT_FALSE(nextFire(*CronExpr::parse("0 0 30 2 *"), zone("UTC"), at("2026-01-01T00:00:00Z")));
}

TEST(NextFire, HopelessSearchIsQuick) {
  const auto expr = *CronExpr::parse("* * 31 2,4,6,9,11 *");
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(nextFire(expr, zone("America/New_York"), at("2026-01-01T00:00:00Z")));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(50));
}

TEST(NextFire, YearlySixFieldScheduleIsFoundWithoutScanning) {
  // A scan by seconds would take 31 million steps; skipping by fields takes a few.
  const auto expr = *CronExpr::parse("0 0 0 1 1 *");
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(nextFire(expr, zone("UTC"), at("2026-01-01T00:00:00Z")), at("2027-01-01T00:00:00Z"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(50));
}

TEST(NextFire, SucceedingCallsWalkEveryHourOfTheFallBackNight) {
  const auto expr = *CronExpr::parse("0 * * * *");
  const Zone ny = zone("America/New_York");
  std::vector<std::string> seen;
  for (Millis t = at("2026-11-01T00:30:00-04:00"); seen.size() < 4;) {
    t = *nextFire(expr, ny, t);
    seen.push_back(formatInZone(t, ny));
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"2026-11-01T01:00:00-04:00", "2026-11-01T01:00:00-05:00",
                                            "2026-11-01T02:00:00-05:00", "2026-11-01T03:00:00-05:00"}));
}

TEST(Zone, UnknownNameIsNotFound) {
  EXPECT_FALSE(Zone::find("Mars/Olympus_Mons"));
  EXPECT_FALSE(knownZone(""));
  EXPECT_TRUE(knownZone("Asia/Shanghai"));
}

TEST(Zone, FormatsWithTheOffsetInForce) {
  EXPECT_EQ(formatInZone(at("2026-07-01T12:00:00Z"), zone("America/New_York")), "2026-07-01T08:00:00-04:00");
  EXPECT_EQ(formatInZone(at("2026-07-01T12:00:00Z"), zone("Asia/Kolkata")), "2026-07-01T17:30:00+05:30");
  EXPECT_EQ(formatInZone(at("2026-07-01T12:00:00Z"), zone("UTC")), "2026-07-01T12:00:00+00:00");
}

TEST(Zone, ParsesTimeWithoutOffsetAsWallClock) {
  EXPECT_EQ(parseInZone("2026-01-01T08:00:00", zone("Asia/Shanghai")), at("2026-01-01T00:00:00Z"));
  EXPECT_EQ(parseInZone("2026-01-01T08:00:00Z", zone("Asia/Shanghai")), at("2026-01-01T08:00:00Z"));
  EXPECT_EQ(parseInZone("2026-01-01 08:00", zone("America/New_York")), at("2026-01-01T13:00:00Z"));
  EXPECT_FALSE(parseInZone("yesterday", zone("UTC")));
}

TEST(Zone, WallClockInGapIsTheEndOfTheGap) {
  EXPECT_EQ(parseInZone("2026-03-08T02:30:00", zone("America/New_York")), at("2026-03-08T03:00:00-04:00"));
}

TEST(Interval, NextIsAfterPlusInterval) {
  const Schedule s = Schedule::every(300000);
  EXPECT_EQ(s.next(1000000), 1300000);
  EXPECT_EQ(s.describe(), "every 5m");
}

TEST(Interval, JitterStaysWithinBoundsAndRepeatsWithASeed) {
  const Schedule s = Schedule::every(60000, 5000);
  JitterSource a(42), b(42);
  bool varied = false;
  Millis first = -1;
  for (int i = 0; i < 100; ++i) {
    const Millis x = *s.next(0, &a);
    EXPECT_GE(x, 60000);
    EXPECT_LE(x, 65000);
    EXPECT_EQ(x, *s.next(0, &b));
    if (first >= 0 && x != first) varied = true;
    first = x;
  }
  EXPECT_TRUE(varied);
  EXPECT_EQ(s.next(0), 60000);  // no jitter source: the earliest time
}

TEST(Schedule, EqualityDecidesWhatHotReloadKeeps) {
  EXPECT_EQ(Schedule::cron(*CronExpr::parse("0 2 * * *"), zone("UTC")),
            Schedule::cron(*CronExpr::parse("0 2 * * *"), zone("UTC")));
  EXPECT_FALSE(Schedule::cron(*CronExpr::parse("0 2 * * *"), zone("UTC")) ==
               Schedule::cron(*CronExpr::parse("0 2 * * *"), zone("Asia/Shanghai")));
  EXPECT_EQ(Schedule::every(1000, 0, zone("UTC")), Schedule::every(1000, 0, zone("Asia/Shanghai")));
  EXPECT_FALSE(Schedule::every(1000, 10) == Schedule::every(1000, 20));
}

TEST(TriggersOf, BuildsScheduleAndIntervalKeepingWebhookPositions) {
  const json triggers = json::parse(R"([
      {"webhook": {"secret": "s"}},
      {"schedule": "0 2 * * *"},
      {"schedule": "30 6 * * MON", "timezone": "America/New_York"},
      {"interval": 300000, "jitter": 30000}])");
  const auto built = triggersOf("orders", triggers, "Asia/Shanghai", Misfire::Skip);
  ASSERT_TRUE(built) << built.error();
  ASSERT_EQ(built->size(), 3u);
  EXPECT_EQ((*built)[0].index, 1u);
  EXPECT_EQ((*built)[0].schedule.describe(), "0 2 * * * (Asia/Shanghai)");
  EXPECT_EQ((*built)[1].schedule.describe(), "30 6 * * MON (America/New_York)");
  EXPECT_EQ((*built)[2].index, 3u);
  EXPECT_EQ((*built)[2].schedule.describe(), "every 5m (jitter 30s)");
  EXPECT_EQ((*built)[2].flow, "orders");
  EXPECT_EQ((*built)[2].misfire, Misfire::Skip);
}

TEST(TriggersOf, ReadsDurationText) {
  const auto built = triggersOf("f", json::parse(R"([{"interval": "2m"}])"));
  ASSERT_TRUE(built);
  EXPECT_EQ((*built)[0].schedule.next(0), 120000);
}

TEST(TriggersOf, NamesTheBadTrigger) {
  const auto bad = triggersOf("orders", json::parse(R"([{"schedule": "0 2 * * *"}, {"schedule": "0 2 * *"}])"));
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().find("flow 'orders' trigger 2: invalid cron expression '0 2 * *'"), std::string::npos)
      << bad.error();
  const auto zoneErr = triggersOf("orders", json::parse(R"([{"schedule": "0 2 * * *", "timezone": "Asia/Shanghia"}])"));
  ASSERT_FALSE(zoneErr);
  EXPECT_NE(zoneErr.error().find("unknown time zone 'Asia/Shanghia'"), std::string::npos);
}

TEST(TriggersOf, PoliciesParseFromConfigWords) {
  EXPECT_EQ(parseMisfire("run_once"), Misfire::RunOnce);
  EXPECT_EQ(parseMisfire("skip"), Misfire::Skip);
  EXPECT_FALSE(parseMisfire("later"));
}

TEST(Forecast, ListsNextTimesPerTriggerInItsZone) {
  const auto built = triggersOf("orders", json::parse(R"([{"schedule": "0 2 * * *"}, {"interval": 3600000}])"));
  ASSERT_TRUE(built);
  const auto f = forecast(*built, at("2026-01-01T00:00:00Z"), 2);
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].iso, (std::vector<std::string>{"2026-01-02T02:00:00+08:00", "2026-01-03T02:00:00+08:00"}));
  EXPECT_EQ(f[1].iso, (std::vector<std::string>{"2026-01-01T09:00:00+08:00", "2026-01-01T10:00:00+08:00"}));
  EXPECT_EQ(f[1].index, 1u);
}

}  // namespace
}  // namespace hub::sched
