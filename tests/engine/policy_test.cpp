#include <gtest/gtest.h>

#include "hub/engine/circuit_breaker.h"
#include "hub/engine/idempotency.h"
#include "hub/engine/retry_policy.h"
#include "hub/engine/watermark.h"

namespace hub::engine {
namespace {

TEST(WatermarkTest, FreshFlowScansEverything) {
  const auto w = Watermark::decode(std::nullopt).startScan(300000);
  EXPECT_TRUE(w.scanning);
  EXPECT_EQ(w.scan_since, 0);
}

TEST(WatermarkTest, NewScanStartsOneOverlapBeforeTheHighWatermark) {
  Watermark w;
  w.high = 1700000600000;
  EXPECT_EQ(w.startScan(300000).scan_since, 1700000300000);
}

TEST(WatermarkTest, InterruptedScanContinuesWhereItStopped) {
  Watermark w;
  w.high = 1700000600000;
  w.scanning = true;
  w.scan_since = 1700000000000;
  w.resume = "page-7";
  const auto again = Watermark::decode(w.encode()).startScan(300000);
  EXPECT_EQ(again.scan_since, 1700000000000);
  EXPECT_EQ(again.resume, "page-7");
}

TEST(WatermarkTest, EncodingRoundTrips) {
  Watermark w;
  w.high = 42;
  EXPECT_EQ(Watermark::decode(w.encode()).high, 42);
}

TEST(RetryPolicyTest, NominalDelayGrowsExponentiallyUpToTheCap) {
  const RetryPolicy p({.base = 100, .factor = 2.0, .cap = 1000, .max_attempts = 10, .jitter = 0});
  EXPECT_EQ(p.nominal(1), 100);
  EXPECT_EQ(p.nominal(2), 200);
  EXPECT_EQ(p.nominal(4), 800);
  EXPECT_EQ(p.nominal(5), 1000);
  EXPECT_EQ(p.nominal(30), 1000);
}

TEST(RetryPolicyTest, FullJitterStaysWithinZeroAndTheNominalDelay) {
  const RetryPolicy p({.base = 100, .factor = 2.0, .cap = 1000, .max_attempts = 10, .jitter = 1.0});
  std::mt19937_64 rng(7);
  Millis low = 100000, high = 0;
  for (int i = 0; i < 2000; ++i) {
    const Millis d = p.delay(3, std::nullopt, rng);
    low = std::min(low, d);
    high = std::max(high, d);
  }
  EXPECT_GE(low, 0);
  EXPECT_LT(low, 50);
  EXPECT_LE(high, 400);
  EXPECT_GT(high, 350);
}

TEST(RetryPolicyTest, ProportionalJitterStaysWithinTenPercent) {
  const RetryPolicy p({.base = 100, .factor = 2.0, .cap = 2000, .max_attempts = 10, .jitter = 0.1});
  std::mt19937_64 rng(11);
  for (int i = 0; i < 1000; ++i) {
    const Millis d = p.delay(2, std::nullopt, rng);
    EXPECT_GE(d, 180);
    EXPECT_LE(d, 220);
  }
}

TEST(RetryPolicyTest, RetryAfterLongerThanTheBackoffWins) {
  const RetryPolicy p({.base = 100, .factor = 2.0, .cap = 1000, .max_attempts = 10, .jitter = 0});
  std::mt19937_64 rng(1);
  EXPECT_EQ(p.delay(1, 5000, rng), 5000);
  EXPECT_EQ(p.delay(1, 10, rng), 100);
}

TEST(RetryPolicyTest, ExhaustedAtMaxAttempts) {
  const RetryPolicy p({.max_attempts = 3});
  EXPECT_FALSE(p.exhausted(2));
  EXPECT_TRUE(p.exhausted(3));
}

TEST(CircuitBreakerTest, OpensAfterConsecutiveFailures) {
  CircuitBreaker b(3, 1000);
  b.failed(0);
  b.failed(0);
  EXPECT_EQ(b.admit(10), 0);
  b.failed(10);
  EXPECT_EQ(b.state(20), CircuitBreaker::State::Open);
  EXPECT_EQ(b.admit(20), 1010);
}

TEST(CircuitBreakerTest, LetsOneProbeThroughWhenHalfOpen) {
  CircuitBreaker b(1, 1000);
  b.failed(0);
  EXPECT_EQ(b.admit(1000), 0);
  EXPECT_NE(b.admit(1000), 0) << "a second caller waits while the probe is out";
  b.succeeded();
  EXPECT_EQ(b.state(1001), CircuitBreaker::State::Closed);
}

TEST(CircuitBreakerTest, FailedProbeOpensAgain) {
  CircuitBreaker b(1, 1000);
  b.failed(0);
  EXPECT_EQ(b.admit(1000), 0);
  b.failed(1000);
  EXPECT_EQ(b.state(1500), CircuitBreaker::State::Open);
}

TEST(RateLimiterTest, AllowsTheBurstThenPacesCalls) {
  RateLimiter r(10, 2);
  EXPECT_EQ(r.take(1000), 0);
  EXPECT_EQ(r.take(1000), 0);
  EXPECT_EQ(r.take(1000), 100);
  EXPECT_EQ(r.take(1200), 0);
}

TEST(RateLimiterTest, CallersAskingAtOnceAreGivenSuccessiveSlots) {
  RateLimiter r(10, 2);
  std::vector<Millis> waits;
  for (int i = 0; i < 6; ++i) waits.push_back(r.take(1000));
  EXPECT_EQ(waits, (std::vector<Millis>{0, 0, 100, 200, 300, 400}));
}

TEST(RateLimiterTest, AWaitingCallersSlotIsNotGivenToALaterOne) {
  RateLimiter r(10, 1);
  EXPECT_EQ(r.take(1000), 0);
  EXPECT_EQ(r.take(1000), 100);  // reserved for 1100
  EXPECT_EQ(r.take(1050), 150);  // queues behind it, for 1200
}

TEST(RateLimiterTest, AQuietSpellRefillsOnlyUpToTheBurst) {
  RateLimiter r(10, 2);
  EXPECT_EQ(r.take(1000), 0);
  EXPECT_EQ(r.take(60000), 0);
  EXPECT_EQ(r.take(60000), 0);
  EXPECT_EQ(r.take(60000), 100);
}

TEST(RateLimiterTest, ZeroRateIsUnlimited) {
  RateLimiter r;
  for (int i = 0; i < 100; ++i) EXPECT_EQ(r.take(0), 0);
}

TEST(IdempotencyTest, KeyIsStableForTheSameContentAndChangesWithIt) {
  const auto a = idempotencyKey("f", "t", "K1", contentHash({{"x", 1}}));
  EXPECT_EQ(a, idempotencyKey("f", "t", "K1", contentHash({{"x", 1}})));
  EXPECT_NE(a, idempotencyKey("f", "t", "K1", contentHash({{"x", 2}})));
  EXPECT_NE(a, idempotencyKey("f", "u", "K1", contentHash({{"x", 1}})));
  EXPECT_EQ(a.size(), 32u);
}

TEST(IdempotencyTest, ContentHashIgnoresMemberOrder) {
  EXPECT_EQ(contentHash(nlohmann::json::parse(R"({"a":1,"b":2})")),
            contentHash(nlohmann::json::parse(R"({"b":2,"a":1})")));
}

}  // namespace
}  // namespace hub::engine
