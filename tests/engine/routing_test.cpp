// A target with `when` takes only the records routed to it; the others are
// skipped for it, so two targets of one system can split a flow (orders of
// some warehouses by OData, the rest as IDocs) without sending anything twice.
#include "tests/engine/engine_fixture.h"

namespace hub::test {
namespace {

class RoutingTest : public EngineTest {
 protected:
  void startSplit() {
    start(R"(  - name: orders
    entity: order
    source: {connector: src, entity: orders}
    targets:
      - {name: north, connector: dst, entity: north, when: {field: route.warehouse, in: [CK001, CK002]}}
      - {name: south, connector: dst, entity: south, when: {field: route.warehouse, in: [CK003]}}
    retry: {base: 10ms, jitter: 0}
)");
  }
  void order(const std::string& key, const std::string& warehouse) {
    src->put(key, 1700000000000, {{"id", key}, {"route", {{"warehouse", warehouse}}}});
  }
  std::string stateAt(const std::string& key, const std::string& target) {
    for (const auto& q : store->queue().history("order", key))
      if (q.target == target) return store::toString(q.state);
    return "none";
  }
};

TEST_F(RoutingTest, EachRecordGoesOnlyToTheTargetItIsRoutedTo) {
  order("SO-1", "CK001");
  order("SO-2", "CK003");
  startSplit();
  run("orders");
  ASSERT_TRUE(settled("orders"));
  EXPECT_EQ(dst->pushes().size(), 2u);
  EXPECT_EQ(stateAt("SO-1", "north"), "delivered");
  EXPECT_EQ(stateAt("SO-1", "south"), "skipped");
  EXPECT_EQ(stateAt("SO-2", "north"), "skipped");
  EXPECT_EQ(stateAt("SO-2", "south"), "delivered");
}

TEST_F(RoutingTest, ARecordRoutedNowhereIsSkippedEverywhereAndNeverDeadLettered) {
  order("SO-3", "CK009");
  startSplit();
  run("orders");
  ASSERT_TRUE(settled("orders"));
  EXPECT_TRUE(dst->pushes().empty());
  EXPECT_EQ(openDeadLetters(), 0u);
  EXPECT_NE(store->queue().history("order", "SO-3").at(0).history.find("not routed to this target"),
            std::string::npos);
}

}  // namespace
}  // namespace hub::test
