// `hub store copy`: an installation moved between backends keeps its
// cursors, queue, dead letters, xref, runs, audit log, tokens and webhook ids.
#include "tests/store/store_fixture.h"

namespace hub::test {
namespace {

class StoreCopyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    HUB_REQUIRE_POSTGRESQL();
    database = std::make_unique<pg::Database>();
    sqlite = store::openStore(store::sqliteAt(dir.file("hub.db")));
    store::StoreOptions o;
    o.driver = "postgresql";
    o.url = database->url();
    postgres = store::openStore(o);
  }
  // A small installation with something in every table.
  void populate(store::Store& s) {
    const Id run = s.runs().start("f", "schedule", now);
    store::PageCommit p;
    p.flow = "f";
    p.run_id = run;
    p.entity = "order";
    p.source_system = "src";
    p.targets = {"t"};
    for (int i = 0; i < 1200; ++i) p.records.push_back(record("K" + std::to_string(i)));
    p.cursor = R"({"high":1200})";
    p.now = now;
    s.queue().commitPage(p);
    auto hooked = p;
    hooked.records = {record("W1")};
    hooked.cursor.reset();
    hooked.origin = "webhook";
    hooked.delivery_id = "msg_1";
    s.queue().commitPage(hooked);
    const auto leased = s.queue().lease({"f", "t", 3, "w1", now, 60000});
    store::ItemOutcome ok;
    ok.id = leased[0].id;
    ok.remote_id = "R0";
    ok.mapped_hash = "h";
    store::ItemOutcome dead;
    dead.id = leased[1].id;
    dead.verdict = store::Verdict::Dead;
    dead.failure = {"push", "http_400", 400, "bad dealer", "{}"};
    s.queue().complete({"f", "t", "w1", "order", "dst", {ok, dead}, now});
    s.tokens().create("ops", "operator", "hash-1", now);
    s.audit().append("cli", "test", "x/1", "{}", now);
    s.flows().recordFire("f", 0, now);
  }

  TempDir dir;
  std::unique_ptr<pg::Database> database;
  std::unique_ptr<store::Store> sqlite, postgres;
  Millis now = 1700000000000;
  using Id = store::Id;
};

TEST_F(StoreCopyTest, EveryDurableTableArrivesWithTheSameRowCount) {
  populate(*sqlite);
  const auto report = store::copyStore(*sqlite, *postgres);
  ASSERT_EQ(report.size(), store::durableTables().size());
  for (const auto& t : report) EXPECT_EQ(t.source_rows, t.target_rows) << t.table;
  for (const auto& t : report)
    if (t.table == "queue") {
      EXPECT_EQ(t.target_rows, 1201);
    }
}

TEST_F(StoreCopyTest, TheCopiedStoreCarriesOnWhereTheOldOneStopped) {
  populate(*sqlite);
  store::copyStore(*sqlite, *postgres);
  EXPECT_EQ(postgres->flows().get("f").cursor, R"({"high":1200})");
  EXPECT_EQ(postgres->flows().lastFire("f", 0), now);
  EXPECT_EQ(postgres->xref().find("order", "dst", "K0")->remote_id, "R0");
  ASSERT_EQ(postgres->deadLetters().list({}).size(), 1u);
  EXPECT_EQ(postgres->deadLetters().list({})[0].failure.message, "bad dealer");
  EXPECT_TRUE(postgres->tokens().findActive("hash-1").has_value());
  EXPECT_EQ(postgres->runs().list("f", 10, 0).size(), 1u);
  // The webhook id is still known: the sender's retry is a duplicate.
  store::PageCommit retry;
  retry.flow = "f";
  retry.entity = "order";
  retry.targets = {"t"};
  retry.records = {record("W1")};
  retry.delivery_id = "msg_1";
  retry.now = now;
  EXPECT_TRUE(postgres->queue().commitPage(retry).duplicate_delivery);
  // New rows are numbered after the copied ones.
  const auto dl = postgres->deadLetters().list({})[0];
  const auto replayed = postgres->deadLetters().replay(dl.id, "cli:test", std::nullopt, now + 1);
  EXPECT_GT(replayed.queue_id, 1201);
}

TEST_F(StoreCopyTest, RecordsOnTheirWayAreStillLeasableAfterTheCopy) {
  populate(*sqlite);
  store::copyStore(*sqlite, *postgres);
  EXPECT_EQ(postgres->queue().lease({"f", "t", 2000, "w2", now + 120000, 60000}).size(), 1199u)
      << "1 198 pending and the one whose lease (of a process of the old installation) expired";
}

TEST_F(StoreCopyTest, ACopyBackToSqliteKeepsTheRowsToo) {
  populate(*postgres);
  TempDir other;
  auto back = store::openStore(store::sqliteAt(other.file("back.db")));
  for (const auto& t : store::copyStore(*postgres, *back)) EXPECT_EQ(t.source_rows, t.target_rows) << t.table;
  EXPECT_EQ(back->flows().get("f").cursor, R"({"high":1200})");
}

TEST_F(StoreCopyTest, ATargetThatHoldsDataIsRefusedAndLeftAlone) {
  populate(*sqlite);
  postgres->audit().append("cli", "already", "here", "{}", now);
  try {
    store::copyStore(*sqlite, *postgres);
    FAIL() << "expected a refusal";
  } catch (const store::StoreFault& e) {
    EXPECT_NE(std::string(e.what()).find("audit_log"), std::string::npos) << e.what();
  }
  EXPECT_EQ(postgres->tables().rowCount("queue"), 0);
}

}  // namespace
}  // namespace hub::test
