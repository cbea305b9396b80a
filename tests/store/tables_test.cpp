#include "tests/store/store_fixture.h"

namespace hub::test {
namespace {

class TablesTest : public StoreTest {};

TEST_P(TablesTest, CrossReferenceIsFoundFromBothSides) {
  store->xref().upsert({"customer", "kingdee", "C001", "100234", "C001", "h1", "customers", now});
  EXPECT_EQ(store->xref().find("customer", "kingdee", "C001")->remote_id, "100234");
  EXPECT_EQ(store->xref().findByRemote("customer", "kingdee", "100234")->local_id, "C001");
  EXPECT_FALSE(store->xref().find("customer", "dms", "C001"));
}

TEST_P(TablesTest, SourceSideUpsertKeepsTheDeliveredHash) {
  store->xref().upsert({"customer", "dms", "C001", "cus_1", "", "hash-1", "f", now});
  store->xref().upsert({"customer", "dms", "C001", "cus_1", "", "", "f", now});
  EXPECT_EQ(store->xref().find("customer", "dms", "C001")->content_hash, "hash-1");
}

TEST_P(TablesTest, ForKeyListsEverySystem) {
  store->xref().upsert({"customer", "kingdee", "C001", "100234", "C001", "", "a", now});
  store->xref().upsert({"customer", "dms", "C001", "cus_1", "", "h", "b", now});
  EXPECT_EQ(store->xref().forKey("customer", "C001").size(), 2u);
}

TEST_P(TablesTest, RunsListNewestFirstAndInterruptedOnesAreMarked) {
  const auto a = store->runs().start("f", "schedule", now);
  const auto b = store->runs().start("f", "manual", now + 1);
  const auto runs = store->runs().list("f", 10, 0);
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].id, b);
  EXPECT_EQ(runs[1].id, a);
  EXPECT_EQ(store->runs().interruptUnfinished(now + 2), 1u);
  EXPECT_EQ(store->runs().get(b)->status, "interrupted");
}

TEST_P(TablesTest, ClosingUnfinishedRunsSparesAFlowAnotherProcessHoldsTheClaimOf) {
  const auto pulling = store->runs().start("f", "manual", now);
  store->claims().claim("f", "other-host:7", now, 60000);
  const auto orphan = store->runs().start("g", "schedule", now);
  EXPECT_EQ(store->runs().interruptUnfinished(now + 1000), 1u);
  EXPECT_EQ(store->runs().get(pulling)->status, "running");
  EXPECT_EQ(store->runs().get(orphan)->status, "interrupted");
}

TEST_P(TablesTest, StartingARunClosesTheFlowsRunThatNeverRecordedItsEnd) {
  const auto stale = store->runs().start("f", "schedule", now);
  const auto other = store->runs().start("g", "schedule", now);
  store->runs().start("f", "manual", now + 1);
  EXPECT_EQ(store->runs().get(stale)->status, "interrupted");
  EXPECT_EQ(store->runs().get(other)->status, "running") << "another flow's run is not touched";
}

TEST_P(TablesTest, FailedPullEndsTheRunWithItsError) {
  const auto run = store->runs().start("f", "schedule", now);
  store->runs().pullEnded(run, "source answered 503", now + 5);
  const auto r = store->runs().get(run);
  EXPECT_EQ(r->status, "failed");
  EXPECT_EQ(r->error_summary, "source answered 503");
  EXPECT_EQ(r->ended_at, now + 5);
}

TEST_P(TablesTest, TokensAreFoundByHashUntilRevoked) {
  const auto id = store->tokens().create("ci", "operator", "hash-abc", now);
  ASSERT_TRUE(store->tokens().findActive("hash-abc"));
  EXPECT_EQ(store->tokens().findActive("hash-abc")->role, "operator");
  EXPECT_TRUE(store->tokens().revoke(id, now));
  EXPECT_FALSE(store->tokens().findActive("hash-abc"));
  EXPECT_FALSE(store->tokens().revoke(id, now));
}

TEST_P(TablesTest, AuditLogListsNewestFirstBySubjectPrefix) {
  store->audit().append("alice", "flow.pause", "flow/orders", R"({"why":"maintenance"})", now);
  store->audit().append("bob", "flow.resume", "flow/orders", "", now + 1);
  store->audit().append("bob", "token.create", "token/3", "", now + 2);
  const auto entries = store->audit().list("flow/", 10, 0);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].action, "flow.resume");
  EXPECT_EQ(entries[1].detail, R"({"why":"maintenance"})");
}

TEST_P(TablesTest, FlowStateKeepsCursorAndPause) {
  store->flows().setCursor("f", std::string(R"({"high":1})"), now);
  store->flows().setPaused("f", true, now);
  auto s = store->flows().get("f");
  EXPECT_EQ(s.cursor, R"({"high":1})");
  EXPECT_TRUE(s.paused);
  store->flows().setCursor("f", std::nullopt, now);
  EXPECT_FALSE(store->flows().get("f").cursor);
  EXPECT_TRUE(store->flows().get("f").paused);
}

TEST_P(TablesTest, ForgettingSeenContentLetsUnchangedRecordsQueueAgain) {
  store->queue().commitPage(page({record("A")}));
  store->flows().forgetSeenContent("f");
  EXPECT_EQ(store->queue().commitPage(page({record("A")})).queued, 1u);
}

INSTANTIATE_STORE_CONTRACT(TablesTest);

}  // namespace
}  // namespace hub::test
