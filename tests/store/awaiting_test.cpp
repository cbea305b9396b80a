// Records a target accepted for later processing (Verdict::Await): held as
// awaiting, leased for confirmation checks that are not attempts, and final
// once the target confirms or rejects them. Runs on both backends.
#include "tests/store/store_fixture.h"

namespace hub::test {
namespace {

using store::RecordState;
using store::Verdict;

class AwaitingTest : public StoreTest {
 protected:
  // Commits one record, leases it and completes it as accepted at `now`.
  store::Id accepted(const std::string& key, const std::string& remote = "DOC-1") {
    store->queue().commitPage(page({record(key)}));
    const auto items = lease();
    EXPECT_EQ(items.size(), 1u);
    store->queue().complete(completion({await(items.at(0).id, remote, now + 30000)}));
    return items.at(0).id;
  }
  static store::ItemOutcome await(store::Id id, const std::string& remote, Millis nextCheck) {
    store::ItemOutcome o;
    o.id = id;
    o.verdict = Verdict::Await;
    o.remote_id = remote;
    o.mapped_hash = "hash-1";
    o.mapped_payload = R"({"sent":true})";
    o.next_attempt_at = nextCheck;
    o.attempt_detail = R"({"verdict":"awaiting"})";
    return o;
  }
  std::vector<store::QueueItem> leaseChecks(const std::string& owner = "w1") {
    return store->queue().leaseAwaiting({"f", "t", 10, owner, now, 60000});
  }
};

TEST_P(AwaitingTest, AnAcceptedRecordIsAwaitingWithTheTargetsId) {
  accepted("A");
  const auto item = store->queue().history("order", "A").at(0);
  EXPECT_EQ(item.state, RecordState::Awaiting);
  EXPECT_EQ(item.remote_id, "DOC-1");
  EXPECT_EQ(item.awaiting_since, now);
  EXPECT_FALSE(store->xref().find("order", "dst", "A")) << "not delivered yet";
}

TEST_P(AwaitingTest, CountsShowAwaitingRecordsApart) {
  accepted("A");
  const auto counts = store->queue().counts("f");
  ASSERT_EQ(counts.size(), 1u);
  EXPECT_EQ(counts[0].awaiting, 1);
  EXPECT_EQ(counts[0].pending + counts[0].leased + counts[0].parked, 0);
}

TEST_P(AwaitingTest, ACheckIsLeasedOnlyOnceDueAndIsNotAnAttempt) {
  accepted("A");
  EXPECT_TRUE(leaseChecks().empty());
  EXPECT_TRUE(lease().empty()) << "a delivery lease never hands out an awaiting record";
  EXPECT_EQ(store->queue().nextDue("f", "t"), now + 30000);
  now += 30000;
  const auto checks = leaseChecks();
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_EQ(checks[0].attempts, 1);
  EXPECT_EQ(checks[0].awaiting_since, now - 30000);
  EXPECT_EQ(checks[0].mapped_hash, "hash-1");
}

TEST_P(AwaitingTest, ConfirmedRecordIsDeliveredWithItsXrefEntry) {
  accepted("A");
  now += 30000;
  const auto checks = leaseChecks();
  store->queue().complete(completion({delivered(checks.at(0).id, "SO-4711", "hash-1")}));
  const auto x = store->xref().find("order", "dst", "A");
  ASSERT_TRUE(x);
  EXPECT_EQ(x->remote_id, "SO-4711");
  EXPECT_EQ(store->queue().history("order", "A").at(0).state, RecordState::Delivered);
}

TEST_P(AwaitingTest, ANewCheckKeepsTheTimeItWasFirstAccepted) {
  const Millis acceptedAt = now;
  accepted("A");
  now += 30000;
  const auto checks = leaseChecks();
  store->queue().complete(completion({await(checks.at(0).id, "DOC-1", now + 30000)}));
  EXPECT_EQ(store->queue().history("order", "A").at(0).awaiting_since, acceptedAt);
}

TEST_P(AwaitingTest, ARejectedRecordIsDeadLetteredWithWhatWasSent) {
  accepted("A");
  now += 30000;
  const auto checks = leaseChecks();
  auto dead = failed(checks.at(0).id, Verdict::Dead, "IDoc status 51: Material X unknown");
  dead.failure.stage = "confirm";
  store->queue().complete(completion({dead}));
  store::DeadLetterFilter f;
  f.flow = "f";
  const auto letters = store->deadLetters().list(f);
  ASSERT_EQ(letters.size(), 1u);
  EXPECT_EQ(letters[0].failure.stage, "confirm");
  EXPECT_EQ(letters[0].mapped_payload, R"({"sent":true})") << "kept from the accepted push";
}

TEST_P(AwaitingTest, ALapsedCheckLeaseReturnsToAwaitingNotAmbiguous) {
  accepted("A");
  now += 30000;
  ASSERT_EQ(leaseChecks("w1").size(), 1u);
  now += 60001;
  EXPECT_TRUE(lease(10, "w2").empty()) << "still awaiting, not a push";
  const auto again = leaseChecks("w2");
  ASSERT_EQ(again.size(), 1u);
  EXPECT_FALSE(again[0].ambiguous);
}

TEST_P(AwaitingTest, ReleasingADeadOwnersLeasesReturnsItsChecksToAwaiting) {
  accepted("A");
  now += 30000;
  ASSERT_EQ(leaseChecks("w1").size(), 1u);
  store->queue().releaseLeases("w1", now);
  EXPECT_EQ(store->queue().history("order", "A").at(0).state, RecordState::Awaiting);
}

TEST_P(AwaitingTest, ANewerVersionWaitsWhileTheOlderIsAwaiting) {
  accepted("A");
  store->queue().commitPage(page({record("A", R"({"id":"A","v":2})")}));
  EXPECT_TRUE(lease().empty());
  now += 30000;
  const auto checks = leaseChecks();
  store->queue().complete(completion({delivered(checks.at(0).id)}));
  EXPECT_EQ(lease().size(), 1u) << "handed out once the older one is final";
}

TEST_P(AwaitingTest, ReplayOfARecordNeverConfirmedIsMarkedAmbiguous) {
  accepted("A");
  now += 30000;
  const auto checks = leaseChecks();
  auto dead = failed(checks.at(0).id, Verdict::Dead, "no confirmation within 1h");
  dead.failure.stage = "confirm";
  dead.failure.error_type = "confirmation_timeout";
  store->queue().complete(completion({dead}));
  store::DeadLetterFilter f;
  f.flow = "f";
  const auto replayed = store->deadLetters().replay(store->deadLetters().list(f).at(0).id, "support", {}, now);
  ASSERT_EQ(replayed.status, store::ReplayStatus::Queued);
  const auto items = lease();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_TRUE(items[0].ambiguous);
}

TEST_P(AwaitingTest, ARunEndsOnlyOnceItsAwaitingRecordsAreFinal) {
  const auto run = store->runs().start("f", "manual", now);
  auto p = page({record("A")});
  p.run_id = run;
  store->queue().commitPage(p);
  store->runs().pullEnded(run, "", now);
  const auto items = lease();
  store->queue().complete(completion({await(items.at(0).id, "DOC-1", now)}));
  EXPECT_EQ(store->runs().get(run)->status, "pulled");
  const auto checks = leaseChecks();
  store->queue().complete(completion({delivered(checks.at(0).id)}));
  EXPECT_EQ(store->runs().get(run)->status, "finished");
  EXPECT_EQ(store->runs().get(run)->delivered, 1);
}

INSTANTIATE_STORE_CONTRACT(AwaitingTest);

}  // namespace
}  // namespace hub::test
