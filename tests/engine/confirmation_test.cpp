// A target that accepts a record for later processing (an IDoc, an e-invoice
// request) answers Awaiting; the engine asks it how the record ended until it
// says delivered or rejected, or the flow's confirmation timeout passes.
#include "tests/engine/engine_fixture.h"

#include "connectors/spi/record.h"

namespace hub::test {
namespace {

class ConfirmationTest : public EngineTest {
 protected:
  void startConfirming(const std::string& timeout = "1h") {
    dst->acceptForLater(true);
    start(std::string(R"(  - name: orders
    entity: order
    source: {connector: src, entity: orders}
    targets: [{connector: dst, entity: orders}]
    retry: {base: 10ms, jitter: 0}
    confirmation: {interval: 100ms, timeout: )") + timeout + "}\n");
  }
  std::int64_t awaiting() {
    std::int64_t n = 0;
    for (const auto& c : store->queue().counts("orders")) n += c.awaiting;
    return n;
  }
  std::vector<store::DeadLetter> deadLetters() {
    store::DeadLetterFilter f;
    f.flow = "orders";
    return store->deadLetters().list(f);
  }
  store::QueueItem latest(const std::string& key) { return store->queue().history("order", key).back(); }
  void order(const std::string& key, Millis at = 1700000000000) { src->put(key, at, {{"id", key}, {"qty", 2}}); }
};

TEST_F(ConfirmationTest, AnAcceptedRecordWaitsAsAwaitingWithoutAnXrefEntry) {
  order("SO-1");
  startConfirming();
  run("orders");
  ASSERT_TRUE(eventually([&] { return awaiting() == 1; }));
  EXPECT_TRUE(dst->stored().empty());
  EXPECT_FALSE(store->xref().find("order", "dst", "SO-1"));
  EXPECT_EQ(latest("SO-1").state, store::RecordState::Awaiting);
  EXPECT_EQ(latest("SO-1").remote_id, "A-SO-1");
}

TEST_F(ConfirmationTest, ConfirmedRecordIsDeliveredWithTheIdTheTargetConfirmed) {
  order("SO-1");
  startConfirming();
  run("orders");
  ASSERT_TRUE(eventually([&] { return awaiting() == 1; }));
  dst->settle("SO-1", connector::Outcome::delivered("4711", "0000000000001001"));
  ASSERT_TRUE(eventually([&] { return awaiting() == 0; }));
  const auto x = store->xref().find("order", "dst", "SO-1");
  ASSERT_TRUE(x);
  EXPECT_EQ(x->remote_id, "4711");
  EXPECT_EQ(x->remote_number, "0000000000001001");
  EXPECT_FALSE(x->content_hash.empty()) << "the xref remembers what was sent, so an unchanged record is skipped";
  EXPECT_EQ(latest("SO-1").state, store::RecordState::Delivered);
}

TEST_F(ConfirmationTest, ChecksAskWithTheIdTheTargetGaveWhenAccepting) {
  order("SO-1");
  startConfirming();
  run("orders");
  ASSERT_TRUE(eventually([&] { return !dst->confirmCalls().empty(); }));
  const auto asked = dst->confirmCalls().front();
  ASSERT_EQ(asked.size(), 1u);
  EXPECT_EQ(asked[0].key, "SO-1");
  EXPECT_EQ(asked[0].remote_id, "A-SO-1");
  EXPECT_GT(asked[0].accepted_at, 0);
}

TEST_F(ConfirmationTest, ARejectionIsDeadLetteredInTheTargetsWords) {
  order("SO-1");
  startConfirming();
  run("orders");
  ASSERT_TRUE(eventually([&] { return awaiting() == 1; }));
  dst->settle("SO-1", connector::Outcome::permanent("idoc_error", "IDoc 0000000000001001 status 51: Material X unknown"));
  ASSERT_TRUE(eventually([&] { return openDeadLetters("orders") == 1; }));
  const auto dl = deadLetters().at(0);
  EXPECT_EQ(dl.failure.stage, "confirm");
  EXPECT_EQ(dl.failure.error_type, "idoc_error");
  EXPECT_NE(dl.failure.message.find("status 51: Material X unknown"), std::string::npos);
  EXPECT_NE(dl.mapped_payload.find("SO-1"), std::string::npos) << "support sees what was sent";
  EXPECT_EQ(awaiting(), 0);
}

TEST_F(ConfirmationTest, NoConfirmationWithinTheTimeoutDeadLettersTheRecordNamingItsRemoteId) {
  order("SO-1");
  startConfirming("1s");
  run("orders");
  ASSERT_TRUE(eventually([&] { return openDeadLetters("orders") == 1; }));
  const auto dl = deadLetters().at(0);
  EXPECT_EQ(dl.failure.stage, "confirm");
  EXPECT_EQ(dl.failure.error_type, "confirmation_timeout");
  EXPECT_NE(dl.failure.message.find("A-SO-1"), std::string::npos) << dl.failure.message;
  EXPECT_GE(dst->confirmCalls().size(), 2u) << "asked every interval until the timeout";
}

TEST_F(ConfirmationTest, AFailingCheckIsAskedAgainAndIsNotAnAttempt) {
  order("SO-1");
  dst->failConfirms(2);
  startConfirming();
  run("orders");
  ASSERT_TRUE(eventually([&] { return dst->confirmCalls().size() >= 3; }));
  dst->settle("SO-1", connector::Outcome::delivered("4711"));
  ASSERT_TRUE(eventually([&] { return latest("SO-1").state == store::RecordState::Delivered; }));
  const auto item = latest("SO-1");
  EXPECT_EQ(item.attempts, 1) << "checks are not push attempts";
  EXPECT_NE(item.history.find("check_failed"), std::string::npos);
  EXPECT_EQ(dst->pushes().size(), 1u);
}

TEST_F(ConfirmationTest, ANewerVersionWaitsUntilTheOlderOneIsConfirmed) {
  order("SO-1");
  startConfirming();
  run("orders");
  ASSERT_TRUE(eventually([&] { return awaiting() == 1; }));
  src->put("SO-1", 1700000600000, {{"id", "SO-1"}, {"qty", 5}});
  run("orders");
  ASSERT_TRUE(eventually([&] { return dst->confirmCalls().size() >= 2; }));
  EXPECT_EQ(dst->pushes().size(), 1u) << "the update must not overtake the unconfirmed create";
  dst->settle("SO-1", connector::Outcome::delivered("4711"));
  ASSERT_TRUE(eventually([&] { return dst->pushes().size() == 2; }));
  EXPECT_EQ(dst->pushes().back().document["qty"], 5);
}

TEST_F(ConfirmationTest, ReplayingATimedOutRecordTellsTheSinkItMayAlreadyBeThere) {
  order("SO-1");
  startConfirming("1s");
  run("orders");
  ASSERT_TRUE(eventually([&] { return openDeadLetters("orders") == 1; }));
  const auto result = store->deadLetters().replay(deadLetters().at(0).id, "support", std::nullopt, nowMillis());
  ASSERT_EQ(result.status, store::ReplayStatus::Queued);
  ASSERT_TRUE(eventually([&] { return dst->pushes().size() == 2; }));
  EXPECT_TRUE(dst->pushes().back().ambiguous) << "the target may have processed it after the timeout";
}

}  // namespace
}  // namespace hub::test
