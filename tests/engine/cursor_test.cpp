// The compound cursor and the overlap window: page boundaries inside runs of
// equal timestamps neither skip nor repeat, and rows that commit late with an
// older timestamp are still picked up.
#include "hub/engine/watermark.h"
#include "tests/engine/engine_fixture.h"

namespace hub::test {
namespace {

class CursorTest : public EngineTest {};

TEST_F(CursorTest, FiveHundredEqualTimestampsPagedByAHundredArriveExactlyOnce) {
  for (int i = 0; i < 500; ++i) src->put("K" + std::to_string(1000 + i), 1700000000000, {{"id", i}});
  start(kOrdersFlow);
  const auto s = run("orders");
  EXPECT_EQ(s.pages, 5u);
  EXPECT_EQ(s.pulled, 500u);
  ASSERT_TRUE(settled("orders"));
  EXPECT_EQ(dst->stored().size(), 500u);
  EXPECT_EQ(dst->pushes().size(), 500u);
}

TEST_F(CursorTest, LateRowsWithAnOlderTimestampInsideTheOverlapAreDeliveredOnce) {
  for (int i = 0; i < 500; ++i) src->put("K" + std::to_string(1000 + i), 1700000000000, {{"id", i}});
  start(kOrdersFlow);
  run("orders");
  ASSERT_TRUE(settled("orders"));
  // Committed late by the source, stamped two minutes before the watermark.
  for (int i = 0; i < 20; ++i) src->put("LATE-" + std::to_string(i), 1700000000000 - 120000, {{"late", i}});
  const auto s = run("orders");
  ASSERT_TRUE(settled("orders"));
  EXPECT_EQ(s.queued, 20u) << "only the late rows are new; the re-read ones are unchanged";
  EXPECT_EQ(s.unchanged, 500u);
  EXPECT_EQ(dst->stored().size(), 520u);
  EXPECT_EQ(dst->pushes().size(), 520u) << "nothing delivered twice";
}

TEST_F(CursorTest, RowsOlderThanTheOverlapAreNotReadAgain) {
  for (int i = 0; i < 10; ++i) src->put("K" + std::to_string(i), 1700000000000, {{"id", i}});
  start(kOrdersFlow);
  run("orders");
  ASSERT_TRUE(settled("orders"));
  src->put("ANCIENT", 1700000000000 - 3600000, {{"id", "old"}});
  const auto s = run("orders");
  EXPECT_EQ(s.pulled, 10u) << "the scan starts five minutes before the watermark";
  EXPECT_FALSE(dst->stored().count("ANCIENT"));
}

TEST_F(CursorTest, ResetWithSinceReadsTheBackfillWindow) {
  for (int i = 0; i < 10; ++i) src->put("K" + std::to_string(i), 1700000000000, {{"id", i}});
  start(kOrdersFlow);
  run("orders");
  ASSERT_TRUE(settled("orders"));
  src->put("ANCIENT", 1700000000000 - 3600000, {{"id", "old"}});
  engine::Watermark w;
  w.high = 1700000000000 - 7200000;
  store->flows().setCursor("orders", w.encode(), 0);
  run("orders");
  ASSERT_TRUE(settled("orders"));
  EXPECT_TRUE(dst->stored().count("ANCIENT"));
  EXPECT_EQ(dst->pushes().size(), 11u);
}

TEST_F(CursorTest, EachCommittedPageCarriesTheCursorOfItsLastRecord) {
  for (int i = 0; i < 250; ++i) src->put("K" + std::to_string(1000 + i), 1700000000000 + i, {{"id", i}});
  start(kOrdersFlow);
  run("orders");
  const auto w = engine::Watermark::decode(store->flows().get("orders").cursor);
  EXPECT_EQ(w.high, 1700000000249);
  EXPECT_FALSE(w.scanning);
}

}  // namespace
}  // namespace hub::test
