#include <thread>

#include "tests/store/store_fixture.h"

namespace hub::test {
namespace {

using store::RecordState;
using store::Verdict;

class QueueTest : public StoreTest {};

TEST_P(QueueTest, PageQueuesOneRowPerTargetAndCommitsTheCursor) {
  auto p = page({record("A"), record("B")}, {"t", "u"});
  p.cursor = R"({"high":5})";
  const auto result = store->queue().commitPage(p);
  EXPECT_EQ(result.queued, 4u);
  EXPECT_EQ(store->flows().get("f").cursor, R"({"high":5})");
  EXPECT_EQ(lease(10, "w1", "t").size(), 2u);
  EXPECT_EQ(lease(10, "w1", "u").size(), 2u);
}

TEST_P(QueueTest, RecordWithUnchangedContentIsNotQueuedAgain) {
  store->queue().commitPage(page({record("A")}));
  const auto again = store->queue().commitPage(page({record("A")}));
  EXPECT_EQ(again.queued, 0u);
  EXPECT_EQ(again.unchanged, 1u);
}

TEST_P(QueueTest, ChangedContentIsQueuedAgain) {
  store->queue().commitPage(page({record("A", R"({"v":1})")}));
  EXPECT_EQ(store->queue().commitPage(page({record("A", R"({"v":2})")})).queued, 1u);
}

TEST_P(QueueTest, NewerVersionSupersedesAPendingOlderOne) {
  store->queue().commitPage(page({record("A", R"({"v":1})")}));
  store->queue().commitPage(page({record("A", R"({"v":2})")}));
  const auto items = lease();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].payload, R"({"v":2})");
  const auto hist = store->queue().history("order", "A");
  ASSERT_EQ(hist.size(), 2u);
  EXPECT_EQ(hist[0].state, RecordState::Superseded);
}

TEST_P(QueueTest, NewerVersionWaitsWhileTheOlderIsLeased) {
  store->queue().commitPage(page({record("A", R"({"v":1})")}));
  const auto first = lease();
  ASSERT_EQ(first.size(), 1u);
  store->queue().commitPage(page({record("A", R"({"v":2})")}));
  EXPECT_TRUE(lease(10, "w2").empty()) << "v2 must not overtake the leased v1";
  store->queue().complete(completion({delivered(first[0].id)}));
  const auto second = lease(10, "w2");
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].payload, R"({"v":2})");
}

TEST_P(QueueTest, TheSameKeyTwiceInOnePageQueuesTheLaterVersion) {
  const auto result = store->queue().commitPage(page({record("A", R"({"v":1})"), record("B"), record("A", R"({"v":2})")}));
  EXPECT_EQ(result.queued, 3u);
  const auto items = lease();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].key, "B");
  EXPECT_EQ(items[1].payload, R"({"v":2})");
  EXPECT_EQ(store->queue().history("order", "A")[0].state, RecordState::Superseded);
}

TEST_P(QueueTest, PayloadsAndKeysAreKeptByteForByte) {
  const std::string payload = R"({"name":"華東 "A" 经销商","path":"C:\dealers\{1,2}","empty":"","n":null})";
  store->queue().commitPage(page({record("K,\"{}\" 1", payload), record("NULL")}));
  const auto items = lease();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].key, "K,\"{}\" 1");
  EXPECT_EQ(items[0].payload, payload);
  EXPECT_EQ(items[1].key, "NULL") << "a key that reads as NULL is still a key";
}

TEST_P(QueueTest, LeaseCountsTheAttempt) {
  store->queue().commitPage(page({record("A")}));
  EXPECT_EQ(lease().at(0).attempts, 1);
}

TEST_P(QueueTest, ExpiredLeaseIsHandedOutAgainMarkedAmbiguous) {
  store->queue().commitPage(page({record("A")}));
  ASSERT_EQ(lease().size(), 1u);
  now += 60001;
  const auto again = lease(10, "w2");
  ASSERT_EQ(again.size(), 1u);
  EXPECT_TRUE(again[0].ambiguous);
  EXPECT_EQ(again[0].attempts, 2);
}

TEST_P(QueueTest, OutcomeFromALostLeaseIsIgnored) {
  store->queue().commitPage(page({record("A")}));
  const auto first = lease(10, "w1");
  now += 60001;
  const auto second = lease(10, "w2");
  store->queue().complete(completion({delivered(first[0].id, "STALE")}, "w1"));
  EXPECT_FALSE(store->xref().find("order", "dst", "A"));
  store->queue().complete(completion({delivered(second[0].id, "FRESH")}, "w2"));
  EXPECT_EQ(store->xref().find("order", "dst", "A")->remote_id, "FRESH");
}

TEST_P(QueueTest, DeliveryWritesTheCrossReferenceWithTheContentHash) {
  store->queue().commitPage(page({record("A")}));
  const auto items = lease();
  store->queue().complete(completion({delivered(items[0].id, "FID-100", "hash-1")}));
  const auto x = store->xref().find("order", "dst", "A");
  ASSERT_TRUE(x);
  EXPECT_EQ(x->remote_id, "FID-100");
  EXPECT_EQ(x->content_hash, "hash-1");
  EXPECT_EQ(store->queue().history("order", "A").at(0).state, RecordState::Delivered);
}

TEST_P(QueueTest, RetryWaitsUntilItsNextAttemptTime) {
  store->queue().commitPage(page({record("A")}));
  auto o = failed(lease()[0].id, Verdict::Retry, "503");
  o.next_attempt_at = now + 5000;
  store->queue().complete(completion({o}));
  EXPECT_TRUE(lease().empty());
  EXPECT_EQ(store->queue().nextDue("f", "t"), now + 5000);
  now += 5000;
  EXPECT_EQ(lease().size(), 1u);
}

TEST_P(QueueTest, DeadRecordBecomesADeadLetterWithItsHistoryAndPayloads) {
  store->queue().commitPage(page({record("A", R"({"v":1})")}));
  auto o = failed(lease()[0].id, Verdict::Dead, "FCustId is required");
  o.mapped_payload = R"({"FBillNo":"A"})";
  o.mapping_version = "3";
  store->queue().complete(completion({o}));
  const auto dls = store->deadLetters().list({});
  ASSERT_EQ(dls.size(), 1u);
  EXPECT_EQ(dls[0].key, "A");
  EXPECT_EQ(dls[0].failure.message, "FCustId is required");
  EXPECT_EQ(dls[0].failure.http_status, 400);
  EXPECT_EQ(dls[0].source_payload, R"({"v":1})");
  EXPECT_EQ(dls[0].mapped_payload, R"({"FBillNo":"A"})");
  EXPECT_EQ(dls[0].mapping_version, "3");
  EXPECT_EQ(dls[0].attempts, 1);
  EXPECT_EQ(nlohmann::json::parse(dls[0].history).size(), 1u);
}

TEST_P(QueueTest, ParkedRecordIsReleasedWhenItsReferenceIsDelivered) {
  store->queue().commitPage(page({record("ORDER-1")}));
  auto o = failed(lease()[0].id, Verdict::Park, "customer C1 not yet in dst");
  o.park_ref = store::parkRef("customer", "dst", "C1");
  store->queue().complete(completion({o}));
  EXPECT_TRUE(lease().empty());
  store->xref().upsert({"customer", "dst", "C1", "FID-7", "C1", "h", "customers", now});
  EXPECT_EQ(lease().size(), 1u);
}

// Two nodes at the same moment: one delivers customer Cn, the other parks an
// order on Cn. Whichever commits second must see the other: never an order
// left parked on a customer that is already delivered.
TEST_P(QueueTest, ARecordParkedWhileItsReferenceIsDeliveredElsewhereIsNeverLeftWaiting) {
  auto other = openAnother();
  for (int i = 0; i < 30; ++i) {
    const std::string customer = "C" + std::to_string(i);
    store::PageCommit customers = page({record(customer)});
    customers.flow = "customers";
    customers.entity = "customer";
    store->queue().commitPage(customers);
    store->queue().commitPage(page({record("ORDER-" + std::to_string(i))}));
    const auto c = store->queue().lease({"customers", "t", 1, "w1", now, 60000});
    const auto o = lease(1, "w2");
    ASSERT_EQ(c.size(), 1u);
    ASSERT_EQ(o.size(), 1u);
    auto parked = failed(o[0].id, Verdict::Park, "customer not yet in dst");
    parked.park_ref = store::parkRef("customer", "dst", customer);
    std::thread deliver([&] {
      other->queue().complete({"customers", "t", "w1", "customer", "dst", {delivered(c[0].id)}, now});
    });
    store->queue().complete(completion({parked}, "w2"));
    deliver.join();
  }
  for (const auto& q : store->queue().counts("f")) EXPECT_EQ(q.parked, 0) << "an order waits for a delivered customer";
}

TEST_P(QueueTest, RecordParkedPastTheTimeoutIsDeadLetteredNamingTheReference) {
  store->queue().commitPage(page({record("ORDER-1")}));
  auto o = failed(lease()[0].id, Verdict::Park, "unresolved reference customer/dst/C1");
  o.park_ref = store::parkRef("customer", "dst", "C1");
  store->queue().complete(completion({o}));
  EXPECT_EQ(store->queue().expireParked("f", now, now), 0u);
  EXPECT_EQ(store->queue().expireParked("f", now + 1, now + 1), 1u);
  const auto dls = store->deadLetters().list({});
  ASSERT_EQ(dls.size(), 1u);
  EXPECT_EQ(dls[0].failure.error_type, "unresolved_reference");
  EXPECT_NE(dls[0].failure.message.find("customer/dst/C1"), std::string::npos);
}

TEST_P(QueueTest, SecondCommitWithTheSameDeliveryIdChangesNothing) {
  auto p = page({record("A")});
  p.delivery_id = "msg_1";
  EXPECT_FALSE(store->queue().commitPage(p).duplicate_delivery);
  p.records = {record("B")};
  EXPECT_TRUE(store->queue().commitPage(p).duplicate_delivery);
  EXPECT_EQ(lease().size(), 1u);
}

TEST_P(QueueTest, SourceSideIdentityIsRecordedAndReleasesParkedRecords) {
  store->queue().commitPage(page({record("ORDER-1")}));
  auto o = failed(lease()[0].id, Verdict::Park, "waiting");
  o.park_ref = store::parkRef("order", "src", "C9");
  store->queue().complete(completion({o}));
  store->queue().commitPage(page({record("C9", "", "FID-9")}));
  EXPECT_EQ(store->xref().find("order", "src", "C9")->remote_id, "FID-9");
  EXPECT_EQ(lease().size(), 2u);
}

TEST_P(QueueTest, CountsShowRecordsOnTheirWayPerTarget) {
  store->queue().commitPage(page({record("A"), record("B"), record("C")}));
  lease(1);
  const auto counts = store->queue().counts("f");
  ASSERT_EQ(counts.size(), 1u);
  EXPECT_EQ(counts[0].pending, 2);
  EXPECT_EQ(counts[0].leased, 1);
}

TEST_P(QueueTest, PurgeDropsOnlyFinishedRowsOlderThanTheCutoff) {
  store->queue().commitPage(page({record("A"), record("B")}));
  const auto items = lease(1);
  store->queue().complete(completion({delivered(items[0].id)}));
  EXPECT_EQ(store->queue().purgeFinished(now + 1), 1u);
  EXPECT_EQ(lease().size(), 1u);
}

TEST_P(QueueTest, RunCountersFollowIntakeAndOutcomes) {
  const auto run = store->runs().start("f", "manual", now);
  auto p = page({record("A"), record("B")});
  p.run_id = run;
  store->queue().commitPage(p);
  store->runs().pullEnded(run, "", now);
  auto items = lease();
  store->queue().complete(completion({delivered(items[0].id), failed(items[1].id, Verdict::Dead, "bad")}));
  const auto r = store->runs().get(run);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->pulled, 2);
  EXPECT_EQ(r->queued, 2);
  EXPECT_EQ(r->delivered, 1);
  EXPECT_EQ(r->dead_lettered, 1);
  EXPECT_EQ(r->status, "finished");
}

TEST_P(QueueTest, RunStaysOpenWhileRecordsAreStillOnTheirWay) {
  const auto run = store->runs().start("f", "manual", now);
  auto p = page({record("A")});
  p.run_id = run;
  store->queue().commitPage(p);
  store->runs().pullEnded(run, "", now);
  EXPECT_EQ(store->runs().get(run)->status, "pulled");
}

INSTANTIATE_STORE_CONTRACT(QueueTest);

}  // namespace
}  // namespace hub::test
