// Records move from source to target once each; unchanged records are not
// sent again; per-key order holds.
#include "tests/engine/engine_fixture.h"

namespace hub::test {
namespace {

class DeliveryTest : public EngineTest {};

nlohmann::json order(int i, int version = 1) {
  return {{"id", "SO-" + std::to_string(i)}, {"qty", i}, {"version", version}};
}

TEST_F(DeliveryTest, EveryRecordIsDeliveredOnceAndASecondRunDeliversNothing) {
  for (int i = 0; i < 1000; ++i) src->put("SO-" + std::to_string(i), 1700000000000 + i, order(i));
  start(kOrdersFlow);
  const auto s = run("orders");
  EXPECT_EQ(s.pulled, 1000u);
  EXPECT_EQ(s.queued, 1000u);
  ASSERT_TRUE(settled("orders"));
  EXPECT_EQ(dst->stored().size(), 1000u);
  EXPECT_EQ(dst->created(), 1000u);
  const auto before = dst->pushes().size();
  const auto second = run("orders");
  ASSERT_TRUE(settled("orders"));
  EXPECT_EQ(second.queued, 0u);
  EXPECT_EQ(dst->pushes().size(), before) << "a second run must send nothing";
}

TEST_F(DeliveryTest, ChangedRecordsAreDeliveredAndOnlyThose) {
  for (int i = 0; i < 300; ++i) src->put("SO-" + std::to_string(i), 1700000000000, order(i));
  start(kOrdersFlow);
  run("orders");
  ASSERT_TRUE(settled("orders"));
  const auto before = dst->pushes().size();
  for (int i = 0; i < 300; i += 3) src->put("SO-" + std::to_string(i), 1700000100000, order(i, 2));
  const auto s = run("orders");
  ASSERT_TRUE(settled("orders"));
  EXPECT_EQ(s.queued, 100u);
  EXPECT_EQ(dst->pushes().size() - before, 100u);
  EXPECT_EQ(dst->stored().at("SO-3")["version"], 2);
  EXPECT_EQ(dst->stored().at("SO-4")["version"], 1);
}

TEST_F(DeliveryTest, RunCountersTellWhatHappened) {
  for (int i = 0; i < 120; ++i) src->put("SO-" + std::to_string(i), 1700000000000, order(i));
  start(kOrdersFlow);
  const auto s = run("orders");
  ASSERT_TRUE(settled("orders"));
  ASSERT_TRUE(eventually([&] { return store->runs().get(s.run)->status == "finished"; }));
  const auto r = store->runs().get(s.run);
  EXPECT_EQ(r->pulled, 120);
  EXPECT_EQ(r->queued, 120);
  EXPECT_EQ(r->delivered, 120);
  EXPECT_EQ(r->trigger, "manual");
}

TEST_F(DeliveryTest, TheXrefRecordsWhereEachRecordWentWithItsContentHash) {
  src->put("SO-1", 1700000000000, order(1));
  start(kOrdersFlow);
  run("orders");
  ASSERT_TRUE(settled("orders"));
  const auto x = store->xref().find("order", "dst", "SO-1");
  ASSERT_TRUE(x);
  EXPECT_EQ(x->remote_id, "R-SO-1");
  EXPECT_EQ(x->content_hash.size(), 64u);
}

TEST_F(DeliveryTest, MappedContentEqualToWhatTheTargetHasIsSkipped) {
  mapping("m.yaml",
          "name: only-id\nversion: '1'\nsource: {system: src, entity: orders}\ntarget: {system: dst, entity: orders}\n"
          "fields:\n  id: {expr: id}\n");
  src->put("SO-1", 1700000000000, order(1, 1));
  start(R"(  - name: orders
    entity: order
    source: {connector: src, entity: orders}
    targets: [{connector: dst, entity: orders, mapping: only-id}]
)");
  run("orders");
  ASSERT_TRUE(settled("orders"));
  // The source changes a field the mapping drops: the mapped document is the same.
  src->put("SO-1", 1700000100000, order(1, 2));
  const auto s = run("orders");
  ASSERT_TRUE(settled("orders"));
  EXPECT_EQ(s.queued, 1u);
  EXPECT_EQ(dst->pushes().size(), 1u);
  ASSERT_TRUE(eventually([&] { return store->runs().get(s.run)->skipped == 1; }));
}

TEST_F(DeliveryTest, EachRecordCarriesAStableIdempotencyKey) {
  src->put("SO-1", 1700000000000, order(1));
  start(kOrdersFlow);
  run("orders");
  ASSERT_TRUE(settled("orders"));
  const auto pushes = dst->pushes();
  ASSERT_EQ(pushes.size(), 1u);
  EXPECT_EQ(pushes[0].idempotency_key.size(), 32u);
}

TEST_F(DeliveryTest, ANewerVersionIsNeverDeliveredBeforeAnOlderPendingOne) {
  // The first attempt of v1 fails; v2 arrives meanwhile. v2 must not overtake
  // v1's retry — and since v1 was still pending, v2 replaces it.
  dst->setFault([](const connector::OutboundRecord& r, std::size_t call) -> std::optional<connector::Outcome> {
    if (call == 1 && r.document.value("version", 0) == 1) return connector::Outcome::retry("http_503", "busy");
    return std::nullopt;
  });
  src->put("SO-1", 1700000000000, order(1, 1));
  start(kOrdersFlow);
  run("orders");
  ASSERT_TRUE(eventually([&] { return dst->calls() >= 1; }));
  src->put("SO-1", 1700000100000, order(1, 2));
  run("orders");
  ASSERT_TRUE(settled("orders"));
  const auto pushes = dst->pushes();
  int lastVersion = 0;
  for (const auto& p : pushes) {
    const int v = p.document.value("version", 0);
    EXPECT_GE(v, lastVersion) << "version " << v << " delivered after " << lastVersion;
    lastVersion = v;
  }
  EXPECT_EQ(dst->stored().at("SO-1")["version"], 2);
}

TEST_F(DeliveryTest, BatchesRespectTheFlowsBatchSize) {
  for (int i = 0; i < 200; ++i) src->put("SO-" + std::to_string(i), 1700000000000, order(i));
  start(kOrdersFlow, 1);
  run("orders");
  ASSERT_TRUE(settled("orders"));
  EXPECT_GE(dst->calls(), 4u);
  EXPECT_EQ(dst->stored().size(), 200u);
}

TEST_F(DeliveryTest, PausedFlowDeliversNothingUntilResumed) {
  src->put("SO-1", 1700000000000, order(1));
  start(kOrdersFlow);
  engine->setPaused("orders", true);
  engine::Triggered refused;
  EXPECT_FALSE(engine->runNow("orders", "manual", &refused));
  EXPECT_EQ(refused.result, engine::TriggerResult::Paused);
  engine->setPaused("orders", false);
  run("orders");
  ASSERT_TRUE(settled("orders"));
  EXPECT_EQ(dst->stored().size(), 1u);
}

}  // namespace
}  // namespace hub::test
