// Pushes through Save/BatchSave, per-record outcomes, faults, and the R2
// lookup-before-create that keeps one bill per external number.
#include "connectors/kingdee/kingdee_session.h"
#include "connectors/kingdee/kingdee_sink.h"
#include "connectors/kingdee/tests/kingdee_fixture.h"

namespace hub::connector::kingdee {
namespace {

using nlohmann::json;

class KingdeeSinkTest : public KingdeeLoopback {
 protected:
  void SetUp() override {
    KingdeeLoopback::SetUp();
    seedBaseData();
  }
  std::unique_ptr<Sink> orderSink(json options = json::object(), const std::string& auth = "validate_user") {
    if (!options.contains("external_number_field")) options["external_number_field"] = "F_DMS_OrderNo";
    conn_ = connectAs(auth);
    return conn_->openSink("SAL_SaleOrder", options);
  }
  std::size_t bills(const std::string& dmsNumber) {
    return simulator.book().countWhere("SAL_SaleOrder", "F_DMS_OrderNo", dmsNumber);
  }
  std::unique_ptr<Connector> conn_;
};

TEST_F(KingdeeSinkTest, BatchWithMixedValidityAnswersPerRecord) {
  auto sink = orderSink();
  std::vector<OutboundRecord> batch;
  for (int i = 0; i < 5; ++i)
    batch.push_back(outbound("SO-" + std::to_string(i), saleOrder("SO-" + std::to_string(i), i % 2 ? "C404" : "C001")));
  const auto out = sink->push(batch);
  ASSERT_EQ(out.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    if (i % 2) {
      EXPECT_EQ(out[i].disposition, Disposition::Permanent) << i;
      EXPECT_EQ(out[i].error_type, "validation");
      EXPECT_NE(out[i].message.find("C404"), std::string::npos) << out[i].message;
      EXPECT_EQ(bills("SO-" + std::to_string(i)), 0u);
    } else {
      EXPECT_EQ(out[i].disposition, Disposition::Delivered) << out[i].message;
      EXPECT_EQ(out[i].remote_number.rfind("XSDD", 0), 0u);
      EXPECT_EQ(bills("SO-" + std::to_string(i)), 1u);
    }
  }
  EXPECT_EQ(simulator.calls("BatchSave"), 1);
}

TEST_F(KingdeeSinkTest, KnownRemoteIdUpdatesTheBillInsteadOfCreatingOne) {
  auto sink = orderSink();
  std::vector<OutboundRecord> batch = {outbound("SO-1", saleOrder("SO-1"))};
  const auto first = sink->push(batch);
  ASSERT_EQ(first[0].disposition, Disposition::Delivered);
  batch[0].document["FNote"] = "改了";
  batch[0].known_remote_id = first[0].remote_id;
  const auto second = sink->push(batch);
  EXPECT_EQ(second[0].disposition, Disposition::Delivered);
  EXPECT_EQ(second[0].remote_id, first[0].remote_id);
  EXPECT_EQ(bills("SO-1"), 1u);
  EXPECT_EQ(simulator.book().objects("SAL_SaleOrder")[0]["FNote"], "改了");
}

TEST_F(KingdeeSinkTest, AmbiguousSaveIsFoundByExternalNumberInsteadOfCreatedTwice) {
  auto sink = orderSink();
  std::vector<OutboundRecord> batch = {outbound("SO-7", saleOrder("SO-7"))};
  simulator.inject({sim::FaultKind::Ambiguous, "Save"});
  try {
    sink->push(batch);
    FAIL() << "the dropped connection must surface";
  } catch (const RetryableError& e) {
    EXPECT_TRUE(e.ambiguous) << e.error_type << ": " << e.what();
  }
  EXPECT_EQ(bills("SO-7"), 1u);  // Kingdee saved it; nobody heard
  batch[0].attempt = 2;
  batch[0].previous_attempt_ambiguous = true;
  const auto out = sink->push(batch);
  EXPECT_EQ(out[0].disposition, Disposition::Delivered);
  EXPECT_EQ(out[0].remote_number, "XSDD000001");
  EXPECT_EQ(bills("SO-7"), 1u);
  EXPECT_EQ(simulator.calls("Save"), 1);
  EXPECT_EQ(simulator.queryRows("SAL_SaleOrder"), 1) << "the look-up found the bill (the simulator's count)";
}

TEST_F(KingdeeSinkTest, AmbiguousBatchEndsWithExactlyOneBillPerExternalNumber) {
  auto sink = orderSink();
  std::vector<OutboundRecord> batch;
  for (int i = 0; i < 6; ++i) batch.push_back(outbound("SO-" + std::to_string(i), saleOrder("SO-" + std::to_string(i))));
  simulator.inject({sim::FaultKind::Ambiguous, "BatchSave"});
  EXPECT_THROW(sink->push(batch), RetryableError);
  batch.push_back(outbound("SO-new", saleOrder("SO-new")));  // a record that was never sent rides along
  for (auto& r : batch) r.attempt = 2, r.previous_attempt_ambiguous = true;
  const auto out = sink->push(batch);
  for (const auto& o : out) EXPECT_EQ(o.disposition, Disposition::Delivered) << o.message;
  for (int i = 0; i < 6; ++i) EXPECT_EQ(bills("SO-" + std::to_string(i)), 1u);
  EXPECT_EQ(bills("SO-new"), 1u);
  EXPECT_EQ(simulator.book().count("SAL_SaleOrder"), 7u);
  EXPECT_EQ(simulator.queryRows("SAL_SaleOrder"), 6) << "one look-up found the six saved bills, not the new one";
}

TEST_F(KingdeeSinkTest, TimedOutSaveRetriedLaterIsNotDuplicated) {
  json s = settings();
  s["timeout"] = 300;
  conn_ = connect(s);
  auto sink = conn_->openSink("SAL_SaleOrder", {{"external_number_field", "F_DMS_OrderNo"}});
  std::vector<OutboundRecord> batch = {outbound("SO-T", saleOrder("SO-T"))};
  simulator.inject({sim::FaultKind::Timeout, "Save"});
  try {
    sink->push(batch);
    FAIL() << "no timeout";
  } catch (const RetryableError& e) {
    EXPECT_EQ(e.error_type, "timeout");
    EXPECT_TRUE(e.ambiguous);
  }
  batch[0].attempt = 2;
  batch[0].previous_attempt_ambiguous = true;
  EXPECT_EQ(sink->push(batch)[0].disposition, Disposition::Delivered);
  EXPECT_EQ(bills("SO-T"), 1u);
}

TEST_F(KingdeeSinkTest, BillNumberAsExternalNumberAlsoFindsTheBill) {
  auto sink = orderSink({{"external_number_field", "FBillNo"}});
  std::vector<OutboundRecord> batch = {outbound("DMS-SO-9", saleOrder("DMS-SO-9"))};
  simulator.inject({sim::FaultKind::Ambiguous, "Save"});
  EXPECT_THROW(sink->push(batch), RetryableError);
  batch[0].attempt = 2;
  const auto out = sink->push(batch);
  EXPECT_EQ(out[0].disposition, Disposition::Delivered) << out[0].message;
  EXPECT_EQ(out[0].remote_number, "DMS-SO-9");
  EXPECT_EQ(simulator.book().countWhere("SAL_SaleOrder", "FBillNo", "DMS-SO-9"), 1u);
}

TEST_F(KingdeeSinkTest, FirstAttemptsDoNotLookUp) {
  auto sink = orderSink();
  std::vector<OutboundRecord> batch = {outbound("SO-1", saleOrder("SO-1"))};
  sink->push(batch);
  EXPECT_EQ(simulator.calls("ExecuteBillQuery"), 0);
}

TEST_F(KingdeeSinkTest, AlwaysLookUpFindsABillEvenOnAFirstAttempt) {
  simulator.book().insert("SAL_SaleOrder", saleOrder("SO-1"));  // created by an attempt the engine forgot
  auto sink = orderSink({{"always_look_up", true}});
  std::vector<OutboundRecord> batch = {outbound("SO-1", saleOrder("SO-1")), outbound("SO-2", saleOrder("SO-2"))};
  for (const auto& o : sink->push(batch)) EXPECT_EQ(o.disposition, Disposition::Delivered) << o.message;
  EXPECT_EQ(bills("SO-1"), 1u);
  EXPECT_EQ(bills("SO-2"), 1u);
}

TEST_F(KingdeeSinkTest, ExplicitAuditSubmitsThenAudits) {
  auto sink = orderSink({{"audit", "explicit"}});
  std::vector<OutboundRecord> batch = {outbound("SO-1", saleOrder("SO-1")), outbound("SO-2", saleOrder("SO-2"))};
  for (const auto& o : sink->push(batch)) EXPECT_EQ(o.disposition, Disposition::Delivered) << o.message;
  for (const auto& b : simulator.book().objects("SAL_SaleOrder")) EXPECT_EQ(b["FDocumentStatus"], "C");
  EXPECT_EQ(simulator.calls("Submit"), 1);
  EXPECT_EQ(simulator.calls("Audit"), 1);
}

TEST_F(KingdeeSinkTest, ExplicitAuditFinishesABillFoundAfterAnAmbiguousSave) {
  auto sink = orderSink({{"audit", "explicit"}});
  std::vector<OutboundRecord> batch = {outbound("SO-1", saleOrder("SO-1"))};
  simulator.inject({sim::FaultKind::Ambiguous, "Save"});
  EXPECT_THROW(sink->push(batch), RetryableError);
  EXPECT_EQ(simulator.book().objects("SAL_SaleOrder")[0]["FDocumentStatus"], "A");
  batch[0].attempt = 2;
  EXPECT_EQ(sink->push(batch)[0].disposition, Disposition::Delivered);
  EXPECT_EQ(simulator.book().objects("SAL_SaleOrder")[0]["FDocumentStatus"], "C");
}

TEST_F(KingdeeSinkTest, AutoAuditUsesIsAutoSubmitAndAudit) {
  auto sink = orderSink({{"audit", "auto"}});
  std::vector<OutboundRecord> batch = {outbound("SO-1", saleOrder("SO-1"))};
  EXPECT_EQ(sink->push(batch)[0].disposition, Disposition::Delivered);
  EXPECT_EQ(simulator.book().objects("SAL_SaleOrder")[0]["FDocumentStatus"], "C");
  EXPECT_EQ(simulator.calls("Audit"), 0);
}

TEST_F(KingdeeSinkTest, ServerErrorIsRetryableWithItsStatus) {
  auto sink = orderSink();
  std::vector<OutboundRecord> batch = {outbound("SO-1", saleOrder("SO-1"))};
  simulator.inject({sim::FaultKind::ServerError, "Save", 1, 503});
  try {
    sink->push(batch);
    FAIL();
  } catch (const RetryableError& e) {
    EXPECT_EQ(e.http_status, 503);
    EXPECT_FALSE(e.ambiguous);
  }
  EXPECT_EQ(bills("SO-1"), 0u);
}

TEST_F(KingdeeSinkTest, RateLimitCarriesRetryAfter) {
  auto sink = orderSink();
  std::vector<OutboundRecord> batch = {outbound("SO-1", saleOrder("SO-1"))};
  simulator.inject({sim::FaultKind::RateLimited, "Save", 1, 429, 7});
  try {
    sink->push(batch);
    FAIL();
  } catch (const RetryableError& e) {
    EXPECT_EQ(e.retry_after_ms, 7000);
  }
}

TEST_F(KingdeeSinkTest, LatencyBelowTheTimeoutIsJustSlow) {
  auto sink = orderSink();
  std::vector<OutboundRecord> batch = {outbound("SO-1", saleOrder("SO-1"))};
  simulator.inject({sim::FaultKind::Latency, "Save", 1, 500, 1, 50});
  EXPECT_EQ(sink->push(batch)[0].disposition, Disposition::Delivered);
}

TEST_F(KingdeeSinkTest, SessionExpiredDuringPushIsRenewedTransparently) {
  auto sink = orderSink();
  std::vector<OutboundRecord> batch = {outbound("SO-1", saleOrder("SO-1"))};
  sink->push(batch);
  simulator.expireSessions();
  batch = {outbound("SO-2", saleOrder("SO-2"))};
  EXPECT_EQ(sink->push(batch)[0].disposition, Disposition::Delivered);
  EXPECT_EQ(simulator.calls("ValidateUser"), 2);
  EXPECT_EQ(bills("SO-2"), 1u);
}

TEST_F(KingdeeSinkTest, SignedHeaderModePushesToo) {
  auto sink = orderSink(json::object(), "signed_headers");
  std::vector<OutboundRecord> batch = {outbound("SO-1", saleOrder("SO-1"))};
  EXPECT_EQ(sink->push(batch)[0].disposition, Disposition::Delivered);
}

TEST_F(KingdeeSinkTest, ReadOnlyFormCannotBeASink) {
  auto conn = connect();
  EXPECT_THROW(conn->openSink("STK_Inventory", json::object()), PermanentError);
}

TEST_F(KingdeeSinkTest, ViewReadsOneBillByNumber) {
  auto sink = orderSink();
  std::vector<OutboundRecord> batch = {outbound("SO-1", saleOrder("SO-1"))};
  const auto out = sink->push(batch);
  KingdeeSession session(sessionSettings(), ConnectorContext{});
  const json bill = viewBill(session, "SAL_SaleOrder", out[0].remote_number);
  EXPECT_EQ(bill["F_DMS_OrderNo"], "SO-1");
  EXPECT_THROW(viewBill(session, "SAL_SaleOrder", "XSDD999999"), PermanentError);
}

}  // namespace
}  // namespace hub::connector::kingdee
