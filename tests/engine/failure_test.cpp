// Every failure ends delivered after retry or in the dead letters with its
// whole history; support staff can replay what was fixed.
#include "hub/engine/dead_letter_ops.h"
#include "tests/engine/engine_fixture.h"

namespace hub::test {
namespace {

using connector::Outcome;

class FailureTest : public EngineTest {
 protected:
  void seed(int n) {
    for (int i = 0; i < n; ++i) src->put("SO-" + std::to_string(i), 1700000000000, {{"id", "SO-" + std::to_string(i)}});
  }
};

TEST_F(FailureTest, RetryableFailuresEndDeliveredAfterRetry) {
  seed(100);
  std::mt19937 rng(42);
  std::mutex m;
  dst->setFault([&](const connector::OutboundRecord&, std::size_t) -> std::optional<Outcome> {
    std::lock_guard lock(m);
    const int roll = std::uniform_int_distribution<int>(0, 99)(rng);
    if (roll < 30) return Outcome::retry("http_500", "internal error");
    if (roll < 40) {
      auto o = Outcome::retry("http_429", "slow down");
      o.retry_after = 20;
      return o;
    }
    return std::nullopt;
  });
  // 40 % failures: twenty attempts leave a chance of 0.4^20 that one record is exhausted.
  start(R"(  - name: orders
    entity: order
    source: {connector: src, entity: orders}
    targets: [{connector: dst, entity: orders}]
    retry: {base: 5ms, factor: 2, cap: 40ms, max_attempts: 20}
)");
  run("orders");
  ASSERT_TRUE(settled("orders"));
  EXPECT_EQ(dst->stored().size(), 100u);
  EXPECT_EQ(openDeadLetters(), 0u);
}

TEST_F(FailureTest, PermanentFailureIsDeadLetteredAfterOneAttemptWithoutHoldingOthers) {
  seed(10);
  dst->setFault([](const connector::OutboundRecord& r, std::size_t) -> std::optional<Outcome> {
    if (r.key != "SO-3") return std::nullopt;
    auto o = Outcome::permanent("http_400", "FCustId is required");
    o.http_status = 400;
    o.response_excerpt = R"({"error":"FCustId is required"})";
    return o;
  });
  start(kOrdersFlow);
  run("orders");
  ASSERT_TRUE(settled("orders"));
  EXPECT_EQ(dst->stored().size(), 9u);
  const auto letters = store->deadLetters().list({});
  ASSERT_EQ(letters.size(), 1u);
  EXPECT_EQ(letters[0].key, "SO-3");
  EXPECT_EQ(letters[0].attempts, 1);
  EXPECT_EQ(letters[0].failure.stage, "push");
  EXPECT_EQ(letters[0].failure.http_status, 400);
  EXPECT_EQ(letters[0].failure.message, "FCustId is required");
  EXPECT_FALSE(letters[0].mapped_payload.empty());
}

TEST_F(FailureTest, ExhaustedRetriesAreDeadLetteredWithTheirFullHistory) {
  seed(3);
  dst->setFault([](const connector::OutboundRecord&, std::size_t) -> std::optional<Outcome> {
    return Outcome::retry("http_503", "maintenance");
  });
  start(kOrdersFlow);
  run("orders");
  ASSERT_TRUE(settled("orders"));
  const auto letters = store->deadLetters().list({});
  ASSERT_EQ(letters.size(), 3u);
  for (const auto& d : letters) {
    EXPECT_EQ(d.attempts, 4);
    const auto history = nlohmann::json::parse(d.history);
    ASSERT_EQ(history.size(), 4u);
    EXPECT_EQ(history[0]["verdict"], "retry");
    EXPECT_EQ(history[3]["verdict"], "dead");
    EXPECT_NE(d.failure.message.find("gave up after 4 attempts"), std::string::npos) << d.failure.message;
  }
}

TEST_F(FailureTest, ReplayAfterTheTargetRecoversDeliversOnceAndEmptiesTheDeadLetters) {
  seed(5);
  std::atomic<bool> broken{true};
  dst->setFault([&](const connector::OutboundRecord&, std::size_t) -> std::optional<Outcome> {
    if (broken) return Outcome::retry("http_503", "down");
    return std::nullopt;
  });
  start(kOrdersFlow);
  run("orders");
  ASSERT_TRUE(settled("orders"));
  ASSERT_EQ(openDeadLetters(), 5u);
  broken = false;
  std::vector<store::Id> ids;
  for (const auto& d : store->deadLetters().list({})) ids.push_back(d.id);
  const auto reports = engine::replayDeadLetters(*store, ids, "support", std::nullopt, nowMillis());
  for (const auto& r : reports) EXPECT_EQ(r.result.status, store::ReplayStatus::Queued);
  engine->wake();
  ASSERT_TRUE(settled("orders"));
  EXPECT_EQ(dst->stored().size(), 5u);
  EXPECT_EQ(openDeadLetters(), 0u);
  const auto again = engine::replayDeadLetters(*store, ids, "support", std::nullopt, nowMillis());
  for (const auto& r : again) EXPECT_EQ(r.result.status, store::ReplayStatus::NotOpen);
  EXPECT_EQ(store->audit().list("dead_letter/", 100, 0).size(), 5u);
}

TEST_F(FailureTest, RetryAfterFromTheTargetIsHonoured) {
  seed(1);
  std::vector<Millis> calls;
  std::mutex m;
  dst->setFault([&](const connector::OutboundRecord&, std::size_t) -> std::optional<Outcome> {
    std::lock_guard lock(m);
    calls.push_back(nowMillis());
    if (calls.size() == 1) {
      auto o = Outcome::retry("http_429", "rate limited");
      o.retry_after = 300;
      return o;
    }
    return std::nullopt;
  });
  start(kOrdersFlow);
  run("orders");
  ASSERT_TRUE(settled("orders"));
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_GE(calls[1] - calls[0], 300);
}

TEST_F(FailureTest, AmbiguousTransportFailureIsRetriedAndAbsorbedByTheIdempotencyKey) {
  seed(20);
  dst->failNextCalls(1, true);  // the first batch took effect but the answer was lost
  start(kOrdersFlow, 1);
  run("orders");
  ASSERT_TRUE(settled("orders"));
  EXPECT_EQ(dst->stored().size(), 20u);
  EXPECT_EQ(dst->created(), 20u) << "each record created once";
  EXPECT_GT(dst->deduped(), 0u) << "the retries were absorbed";
  bool flagged = false;
  for (const auto& p : dst->pushes()) flagged = flagged || p.ambiguous;
  EXPECT_TRUE(flagged) << "the retry tells the sink its earlier attempt may have taken effect";
}

TEST_F(FailureTest, CircuitOpensAfterConsecutiveFailuresAndStopsCalling) {
  seed(50);
  dst->setFault([](const connector::OutboundRecord&, std::size_t) -> std::optional<Outcome> {
    return Outcome::retry("http_503", "down");
  });
  start(R"(  - name: orders
    entity: order
    source: {connector: src, entity: orders}
    targets: [{connector: dst, entity: orders}]
    batch_size: 5
    retry: {base: 1ms, factor: 1, cap: 1ms, max_attempts: 1000, jitter: 0}
)",
        1);
  // dst's breaker: the default 5 failures, then 30 s open.
  run("orders");
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const auto calls = dst->calls();
  EXPECT_LE(calls, 6u) << "after 5 failed calls the circuit is open";
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(dst->calls(), calls);
}

TEST_F(FailureTest, UndecodableSourceRecordIsDeadLetteredAndTheOthersFlow) {
  seed(5);
  src->putBroken("orders.jsonl:3", "{not json");
  start(kOrdersFlow);
  run("orders");
  ASSERT_TRUE(settled("orders"));
  EXPECT_EQ(dst->stored().size(), 5u);
  const auto letters = store->deadLetters().list({});
  ASSERT_EQ(letters.size(), 1u);
  EXPECT_EQ(letters[0].failure.stage, "pull");
  EXPECT_EQ(letters[0].failure.error_type, "malformed_record");
  EXPECT_EQ(letters[0].key, "orders.jsonl:3");
}

TEST_F(FailureTest, MappingProblemDeadLettersWithTheFieldAndSourceValue) {
  mapping("m.yaml",
          "name: strict\nversion: '7'\nsource: {system: src, entity: orders}\ntarget: {system: dst, entity: orders}\n"
          "fields:\n  id: {expr: id}\n  qty: {expr: qty, type: int, required: true}\n");
  src->put("SO-1", 1700000000000, {{"id", "SO-1"}, {"qty", 3}});
  src->put("SO-2", 1700000000000, {{"id", "SO-2"}, {"qty", "lots"}});
  start(R"(  - name: orders
    entity: order
    source: {connector: src, entity: orders}
    targets: [{connector: dst, entity: orders, mapping: strict}]
)");
  run("orders");
  ASSERT_TRUE(settled("orders"));
  EXPECT_EQ(dst->stored().size(), 1u);
  const auto letters = store->deadLetters().list({});
  ASSERT_EQ(letters.size(), 1u);
  EXPECT_EQ(letters[0].key, "SO-2");
  EXPECT_EQ(letters[0].failure.stage, "map");
  EXPECT_EQ(letters[0].mapping_version, "7");
  EXPECT_NE(letters[0].failure.message.find("qty"), std::string::npos) << letters[0].failure.message;
  EXPECT_NE(letters[0].failure.message.find("lots"), std::string::npos) << letters[0].failure.message;
}

}  // namespace
}  // namespace hub::test
