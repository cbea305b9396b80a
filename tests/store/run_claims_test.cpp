// The run claim: one pull of a flow at a time across every process sharing
// the store. A claim is held until released or until its TTL lapses.
#include "tests/store/store_fixture.h"

namespace hub::test {
namespace {

class RunClaimsTest : public StoreTest {
 protected:
  static constexpr Millis kTtl = 30000;
  store::ClaimResult claim(const std::string& owner, Millis at, const std::string& flow = "orders") {
    return store->claims().claim(flow, owner, at, kTtl);
  }
};

TEST_P(RunClaimsTest, AFreeFlowIsClaimedUntilNowPlusTheTtl) {
  const auto c = claim("host-a:1", now);
  EXPECT_TRUE(c.held);
  EXPECT_EQ(c.current.owner, "host-a:1");
  EXPECT_EQ(c.current.expires_at, now + kTtl);
}

TEST_P(RunClaimsTest, AnotherOwnerIsRefusedAndToldWhoHoldsIt) {
  claim("host-a:1", now);
  const auto c = claim("host-b:2", now + 1000);
  EXPECT_FALSE(c.held);
  EXPECT_EQ(c.current.owner, "host-a:1");
}

TEST_P(RunClaimsTest, TheHolderRenewsItsClaim) {
  claim("host-a:1", now);
  const auto c = claim("host-a:1", now + 20000);
  EXPECT_TRUE(c.held);
  EXPECT_EQ(c.current.expires_at, now + 20000 + kTtl);
  EXPECT_FALSE(claim("host-b:2", now + kTtl + 1000).held) << "renewed, so not yet expired";
}

TEST_P(RunClaimsTest, AnExpiredClaimIsTakenOver) {
  claim("host-a:1", now);
  const auto c = claim("host-b:2", now + kTtl);
  EXPECT_TRUE(c.held);
  EXPECT_EQ(c.current.owner, "host-b:2");
}

TEST_P(RunClaimsTest, ReleasingFreesTheFlowForTheNextOwner) {
  claim("host-a:1", now);
  store->claims().release("orders", "host-a:1");
  EXPECT_TRUE(claim("host-b:2", now + 1).held);
}

TEST_P(RunClaimsTest, OnlyTheHolderCanReleaseIt) {
  claim("host-a:1", now);
  store->claims().release("orders", "host-b:2");
  EXPECT_FALSE(claim("host-b:2", now + 1).held);
}

TEST_P(RunClaimsTest, ClaimsOfDifferentFlowsAreIndependent) {
  EXPECT_TRUE(claim("host-a:1", now, "orders").held);
  EXPECT_TRUE(claim("host-b:2", now, "customers").held);
  const auto all = store->claims().list();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].flow, "customers");
  EXPECT_EQ(all[1].owner, "host-a:1");
}

TEST_P(RunClaimsTest, TheHolderRenewsEvenAnExpiredClaimNobodyTook) {
  claim("host-a:1", now);
  EXPECT_TRUE(store->claims().renew("orders", "host-a:1", now + kTtl + 5000, kTtl));
  EXPECT_FALSE(claim("host-b:2", now + kTtl + 6000).held);
}

TEST_P(RunClaimsTest, AClaimTakenOverAndReleasedIsNeverTakenBackByItsFormerHolder) {
  claim("host-a:1", now);
  ASSERT_TRUE(claim("host-b:2", now + kTtl).held);  // a's claim lapsed during a slow page
  store->claims().release("orders", "host-b:2");    // b pulled to the end
  EXPECT_FALSE(store->claims().renew("orders", "host-a:1", now + kTtl + 1000, kTtl));
  EXPECT_TRUE(store->claims().list().empty());
}

TEST_P(RunClaimsTest, APageCommitOfAFormerHolderIsFencedOffAndChangesNothing) {
  claim("host-a:1", now);
  ASSERT_TRUE(claim("host-b:2", now + kTtl).held);
  store->claims().release("orders", "host-b:2");
  store::PageCommit page;
  page.flow = "orders";
  page.entity = "order";
  page.source_system = "shop";
  page.targets = {"erp"};
  page.records = {{"SO-1", now, "", R"({"id":"SO-1"})", "h1", ""}};
  page.cursor = "stale";
  page.claim_owner = "host-a:1";
  page.claim_ttl = kTtl;
  page.now = now + kTtl + 1000;
  EXPECT_TRUE(store->queue().commitPage(page).claim_lost);
  EXPECT_NE(store->flows().get("orders").cursor, "stale");
  EXPECT_TRUE(store->queue().history("order", "SO-1").empty());
}

INSTANTIATE_STORE_CONTRACT(RunClaimsTest);

}  // namespace
}  // namespace hub::test
