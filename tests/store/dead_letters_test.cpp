#include "tests/store/store_fixture.h"

namespace hub::test {
namespace {

using store::ReplayStatus;
using store::Verdict;

class DeadLettersTest : public StoreTest {
 protected:
  store::Id deadLetter(const std::string& key, const std::string& payload = "") {
    store->queue().commitPage(page({record(key, payload)}));
    auto items = lease();
    EXPECT_EQ(items.size(), 1u);
    store->queue().complete(completion({failed(items.at(0).id, Verdict::Dead, "rejected " + key)}));
    return store->deadLetters().list({}).back().id;
  }
};

TEST_P(DeadLettersTest, ReplayQueuesTheStoredPayloadAndResolvesTheLetter) {
  const auto id = deadLetter("A", R"({"v":1})");
  const auto r = store->deadLetters().replay(id, "alice", std::nullopt, now);
  EXPECT_EQ(r.status, ReplayStatus::Queued);
  const auto items = lease();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].payload, R"({"v":1})");
  EXPECT_EQ(items[0].origin, "replay");
  EXPECT_EQ(store->deadLetters().get(id)->status, "replayed");
  EXPECT_EQ(store->deadLetters().get(id)->resolved_by, "alice");
}

TEST_P(DeadLettersTest, SecondReplayIsANoOp) {
  const auto id = deadLetter("A");
  store->deadLetters().replay(id, "alice", std::nullopt, now);
  EXPECT_EQ(store->deadLetters().replay(id, "alice", std::nullopt, now).status, ReplayStatus::NotOpen);
  EXPECT_EQ(lease().size(), 1u);
}

TEST_P(DeadLettersTest, EditedReplayKeepsBeforeAndAfterInTheAuditLog) {
  const auto id = deadLetter("A", R"({"v":1})");
  store->deadLetters().replay(id, "bob", std::string(R"({"v":2})"), now);
  EXPECT_EQ(lease().at(0).payload, R"({"v":2})");
  const auto audit = store->audit().list("dead_letter/", 10, 0);
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].actor, "bob");
  EXPECT_EQ(audit[0].action, "dead_letter.replay_edited");
  const auto detail = nlohmann::json::parse(audit[0].detail);
  EXPECT_EQ(detail["before"], R"({"v":1})");
  EXPECT_EQ(detail["after"], R"({"v":2})");
}

TEST_P(DeadLettersTest, ReplayOfAKeyWithANewerVersionIsResolvedAsSuperseded) {
  const auto id = deadLetter("A", R"({"v":1})");
  store->queue().commitPage(page({record("A", R"({"v":2})")}));
  const auto r = store->deadLetters().replay(id, "alice", std::nullopt, now);
  EXPECT_EQ(r.status, ReplayStatus::Superseded);
  EXPECT_NE(store->deadLetters().get(id)->resolution.find("superseded"), std::string::npos);
  EXPECT_EQ(lease().at(0).payload, R"({"v":2})") << "only the newer version is queued";
}

TEST_P(DeadLettersTest, DiscardRecordsReasonAndActor) {
  const auto id = deadLetter("A");
  EXPECT_TRUE(store->deadLetters().discard(id, "carol", "test order, not real", now));
  EXPECT_FALSE(store->deadLetters().discard(id, "carol", "again", now));
  const auto dl = store->deadLetters().get(id);
  EXPECT_EQ(dl->status, "discarded");
  EXPECT_EQ(dl->resolution, "test order, not real");
  EXPECT_EQ(store->audit().list("dead_letter/", 10, 0).at(0).action, "dead_letter.discard");
}

TEST_P(DeadLettersTest, ListFiltersByErrorTextAndPages) {
  deadLetter("A");
  deadLetter("B");
  deadLetter("C");
  store::DeadLetterFilter f;
  f.error_text = "rejected B";
  EXPECT_EQ(store->deadLetters().list(f).size(), 1u);
  store::DeadLetterFilter paged;
  paged.limit = 2;
  paged.offset = 2;
  const auto page2 = store->deadLetters().list(paged);
  ASSERT_EQ(page2.size(), 1u);
  EXPECT_EQ(page2[0].key, "C");
  EXPECT_EQ(store->deadLetters().count({}), 3);
}

TEST_P(DeadLettersTest, ListFiltersByFlowAndTime) {
  deadLetter("A");
  store::DeadLetterFilter other;
  other.flow = "nope";
  EXPECT_TRUE(store->deadLetters().list(other).empty());
  store::DeadLetterFilter later;
  later.since = now + 1;
  EXPECT_TRUE(store->deadLetters().list(later).empty());
}

INSTANTIATE_STORE_CONTRACT(DeadLettersTest);

}  // namespace
}  // namespace hub::test
