// Orders that reference customers not yet in the target wait (parked) and go
// as soon as their customer is delivered; past the park timeout they are
// dead-lettered naming the missing reference.
#include "tests/engine/engine_fixture.h"

namespace hub::test {
namespace {

class ParkingTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    mapping("order.yaml",
            "name: order-to-dst\nversion: '1'\nsource: {system: src, entity: orders}\n"
            "target: {system: dst, entity: orders}\nfields:\n  id: {expr: id}\n"
            "  customer: {expr: \"xref('customer', 'dst', customer_id)\"}\n");
  }
  void startFlows(const std::string& parkTimeout) {
    start(std::string(R"(  - name: customers
    entity: customer
    source: {connector: src, entity: customers}
    targets: [{connector: dst, entity: customers}]
    retry: {base: 10ms, jitter: 0}
  - name: orders
    entity: order
    source: {connector: src, entity: orders}
    targets: [{connector: dst, entity: orders, mapping: order-to-dst}]
    retry: {base: 10ms, jitter: 0}
    park_timeout: )") + parkTimeout + "\n");
  }
};

TEST_F(ParkingTest, OrdersWaitForTheirCustomerAndGoWhenItArrives) {
  // Both flows read the same in-memory system: customers C-1 and C-2 are
  // there, but the customer flow has not run yet.
  src->put("SO-1", 1700000000000, {{"id", "SO-1"}, {"customer_id", "C-1"}});
  src->put("SO-2", 1700000000000, {{"id", "SO-2"}, {"customer_id", "C-2"}});
  startFlows("1h");
  run("orders");
  ASSERT_TRUE(settled("orders", true));
  EXPECT_EQ(dst->stored().size(), 0u);
  ASSERT_EQ(store->queue().counts("orders").at(0).parked, 2);
  EXPECT_EQ(openDeadLetters(), 0u) << "waiting for a reference is not a failure";

  src->reset();
  src->put("C-1", 1700000000000, {{"id", "C-1"}, {"name", "成都锦江经销商"}});
  src->put("C-2", 1700000000000, {{"id", "C-2"}, {"name", "武汉江汉经销商"}});
  run("customers");
  ASSERT_TRUE(settled("customers"));
  ASSERT_TRUE(settled("orders"));
  const auto stored = dst->stored();
  ASSERT_TRUE(stored.count("SO-1"));
  EXPECT_EQ(stored.at("SO-1")["customer"], "R-C-1");
  EXPECT_EQ(stored.at("SO-2")["customer"], "R-C-2");
}

TEST_F(ParkingTest, PastTheParkTimeoutTheOrderIsDeadLetteredNamingTheMissingReference) {
  src->put("SO-9", 1700000000000, {{"id", "SO-9"}, {"customer_id", "C-404"}});
  startFlows("100ms");
  run("orders");
  ASSERT_TRUE(eventually([&] { return openDeadLetters("orders") == 1; }));
  const auto letter = store->deadLetters().list({}).at(0);
  EXPECT_EQ(letter.key, "SO-9");
  EXPECT_EQ(letter.failure.error_type, "unresolved_reference");
  EXPECT_NE(letter.failure.message.find("customer/dst/C-404"), std::string::npos) << letter.failure.message;
}

TEST_F(ParkingTest, AnOrderWhoseCustomerIsDeliveredWhileItsBatchIsInFlightIsReleased) {
  // SO-1 parks on C-1; while its batch is being sent (SO-2 at the sink), C-1 is
  // delivered by another worker, before SO-1's park is committed.
  src->put("SO-1", 1700000000000, {{"id", "SO-1"}, {"customer_id", "C-1"}});
  src->put("SO-2", 1700000000000, {{"id", "SO-2"}, {"customer_id", "C-2"}});
  startFlows("1h");
  store->xref().upsert({"customer", "dst", "C-2", "R-C-2", "C-2", "", "customers", nowMillis()});
  dst->setFault([&](const connector::OutboundRecord& r, std::size_t) -> std::optional<connector::Outcome> {
    if (r.key == "SO-2") store->xref().upsert({"customer", "dst", "C-1", "R-C-1", "C-1", "", "customers", nowMillis()});
    return std::nullopt;
  });
  run("orders");
  ASSERT_TRUE(settled("orders")) << "SO-1 is not left parked on a customer that is already there";
  EXPECT_EQ(dst->stored().at("SO-1")["customer"], "R-C-1");
}

TEST_F(ParkingTest, TheParkTimeoutSweepKeepsItsOwnScheduleNotThePaceOfBatches) {
  sweepInterval = 3600000;  // the first sweep is an hour away
  src->put("SO-9", 1700000000000, {{"id", "SO-9"}, {"customer_id", "C-404"}});
  startFlows("1ms");
  run("orders");
  ASSERT_TRUE(settled("orders", true));
  src->reset();
  for (int i = 0; i < 120; ++i) src->put("C-" + std::to_string(i), 1700000000000 + i, {{"id", "C-" + std::to_string(i)}});
  run("customers");  // batches and page commits notify the workers many times
  ASSERT_TRUE(settled("customers"));
  EXPECT_EQ(openDeadLetters("orders"), 0u) << "the sweeper ran although its hour had not come";
  EXPECT_EQ(store->queue().counts("orders").at(0).parked, 1);
}

}  // namespace
}  // namespace hub::test
