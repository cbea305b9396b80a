// Injected faults as the dms connector sees them, with the ledger as oracle.
#include "connectors/dms/tests/dms_fixture.h"
#include "tests/support/http_client.h"

namespace hub::test {
namespace {

using connector::Disposition;
using connector::dms::sim::Fault;
using connector::dms::sim::FaultKind;

using DmsFaults = DmsFixture;

template <class F>
connector::RetryableError retryable(F&& f) {
  try {
    f();
  } catch (const connector::RetryableError& e) {
    return e;
  }
  ADD_FAILURE() << "no RetryableError";
  return connector::RetryableError("none", "none");
}

TEST_F(DmsFaults, AmbiguousWriteIsCommittedAndItsRetryIsDeduplicated) {
  auto sink = connect()->openSink("customers", {});
  std::vector<connector::OutboundRecord> batch = {outbound("C00001", customer("C00001"))};
  sim->inject({FaultKind::Ambiguous, "batch"});
  EXPECT_TRUE(retryable([&] { sink->push(batch); }).ambiguous);
  EXPECT_EQ(sim->created("customers", "C00001"), 1u) << "the write took effect before the connection dropped";
  EXPECT_EQ(sink->push(batch).at(0).disposition, Disposition::Delivered);
  EXPECT_EQ(sim->created("customers", "C00001"), 1u);
  EXPECT_EQ(effects("deduped"), 1u);
}

TEST_F(DmsFaults, AnswerLaterThanTheClientTimeoutIsAmbiguous) {
  auto sink = connect()->openSink("customers", {});
  std::vector<connector::OutboundRecord> batch = {outbound("C00002", customer("C00002"))};
  sim->inject({FaultKind::Timeout, "batch"});
  const auto e = retryable([&] { sink->push(batch); });
  EXPECT_TRUE(e.ambiguous);
  EXPECT_EQ(e.error_type, "timeout");
  EXPECT_EQ(sink->push(batch).at(0).disposition, Disposition::Delivered);
  EXPECT_EQ(sim->created("customers", "C00002"), 1u);
}

TEST_F(DmsFaults, ResetMidBodyIsAmbiguous) {
  auto sink = connect()->openSink("customers", {});
  std::vector<connector::OutboundRecord> batch = {outbound("C00003", customer("C00003"))};
  sim->inject({FaultKind::ResetMidBody, "batch"});
  EXPECT_TRUE(retryable([&] { sink->push(batch); }).ambiguous);
  EXPECT_EQ(sim->created("customers", "C00003"), 1u);
}

TEST_F(DmsFaults, MalformedBatchAnswerIsAmbiguousAndMalformedListIsRetryable) {
  auto c = connect();
  std::vector<connector::OutboundRecord> batch = {outbound("C00004", customer("C00004"))};
  sim->inject({FaultKind::Malformed, "batch"});
  EXPECT_TRUE(retryable([&] { c->openSink("customers", {})->push(batch); }).ambiguous);
  sim->inject({FaultKind::Malformed, "list"});
  EXPECT_EQ(retryable([&] { c->openSource("customers", {})->pull({0, "", 10}); }).error_type, "malformed_body");
}

TEST_F(DmsFaults, ServerErrorWritesNothing) {
  std::vector<connector::OutboundRecord> batch = {outbound("C00005", customer("C00005"))};
  Fault f{FaultKind::ServerError, "batch"};
  f.status = 503;
  sim->inject(f);
  const auto e = retryable([&] { connect()->openSink("customers", {})->push(batch); });
  EXPECT_EQ(e.http_status, 503);
  EXPECT_FALSE(e.ambiguous);
  EXPECT_TRUE(sim->ledger().empty());
}

TEST_F(DmsFaults, RateLimitCarriesRetryAfter) {
  Fault f{FaultKind::RateLimited, "list"};
  f.retry_after_s = 2;
  sim->inject(f);
  const auto e = retryable([&] { connect()->openSource("customers", {})->pull({0, "", 10}); });
  EXPECT_EQ(e.retry_after_ms, 2000);
  EXPECT_EQ(e.error_type, "rate_limited");
}

TEST_F(DmsFaults, ExpiredIssuedTokenIsRenewedTransparently) {
  sim->put("customers", customer("C00006"), 1700000000000);
  auto source = connect(true)->openSource("customers", {});
  EXPECT_EQ(source->pull({0, "", 10}).records.size(), 1u);
  sim->expireTokens();
  EXPECT_EQ(source->pull({0, "", 10}).records.size(), 1u);
  int tokenCalls = 0;
  for (const auto& o : observed) tokenCalls += o.endpoint == "POST /api/v1/auth/token";
  EXPECT_EQ(tokenCalls, 2);
}

TEST_F(DmsFaults, RefusedStaticTokenIsPermanent) {
  sim->inject({FaultKind::TokenExpired, "list"});
  try {
    connect()->openSource("customers", {})->pull({0, "", 10});
    FAIL() << "no error";
  } catch (const connector::PermanentError& e) {
    EXPECT_EQ(e.error_type, "auth");
  }
}

TEST_F(DmsFaults, WrongClientSecretIsPermanent) {
  connector::ConnectorContext ctx;
  auto c = connector::dms::connectorType().create(
      ctx, {{"base_url", sim->baseUrl()}, {"client_id", "hub"}, {"client_secret", "guess"}});
  EXPECT_THROW(c->openSource("customers", {})->pull({0, "", 10}), connector::PermanentError);
}

TEST_F(DmsFaults, SeededFaultMixRepeatsExactly) {
  auto run = [&] {
    Fault err{FaultKind::ServerError};
    Fault slow{FaultKind::RateLimited};
    sim->setFaultMix({{0.3, err}, {0.2, slow}}, 42);
    std::string pattern;
    for (int i = 0; i < 60; ++i) {
      const int status =
          httpRequest("GET", sim->baseUrl() + "/api/v1/customers", "", {{"Authorization", "Bearer dms-sim-token"}}).status;
      pattern += status == 200 ? '.' : status == 429 ? 'R' : 'E';
    }
    sim->clearFaults();
    return pattern;
  };
  const std::string first = run();
  EXPECT_EQ(run(), first);
  EXPECT_NE(first.find('E'), std::string::npos);
  EXPECT_NE(first.find('R'), std::string::npos);
  EXPECT_NE(first.find('.'), std::string::npos);
}

TEST_F(DmsFaults, RequestLogRecordsEveryAttemptWithItsFaultAndKeys) {
  auto sink = connect()->openSink("customers", {});
  std::vector<connector::OutboundRecord> batch = {outbound("C00010", customer("C00010"))};
  sim->inject({FaultKind::RateLimited, "batch"});
  retryable([&] { sink->push(batch); });
  sink->push(batch);
  const auto log = sim->requestLog();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].status, 429);
  EXPECT_EQ(log[0].fault, "rate_limited");
  EXPECT_EQ(log[0].idempotency_keys, std::vector<std::string>{"idem-C00010"});
  EXPECT_EQ(log[1].status, 200);
  EXPECT_EQ(log[1].fault, "");
  EXPECT_LE(log[0].at, log[1].at);
}

TEST_F(DmsFaults, RejectedKeysFailAsPermanentBusinessErrorsWhileTheirNeighboursPass) {
  sim->rejectKeys("customers", {"C00009"});
  auto sink = connect()->openSink("customers", {});
  std::vector<connector::OutboundRecord> batch = {outbound("C00008", customer("C00008")),
                                                  outbound("C00009", customer("C00009"))};
  const auto out = sink->push(batch);
  EXPECT_EQ(out.at(0).disposition, Disposition::Delivered);
  EXPECT_EQ(out.at(1).disposition, Disposition::Permanent);
  EXPECT_NE(out[1].message.find("business_rule_violation"), std::string::npos) << out[1].message;
  batch[1].idempotency_key = "another-attempt";
  EXPECT_EQ(sink->push(batch).at(1).disposition, Disposition::Permanent);
  EXPECT_EQ(sim->created("customers", "C00009"), 0u);
}

TEST_F(DmsFaults, OneShotFaultHitsOnlyItsOperationAndEntity) {
  Fault f{FaultKind::ServerError, "batch"};
  f.entity = "orders";
  sim->inject(f);
  sim->put("customers", customer("C00007"), 1700000000000);
  EXPECT_EQ(connect()->openSource("customers", {})->pull({0, "", 10}).records.size(), 1u);
  EXPECT_EQ(sim->faultsApplied(), 0u);
}

}  // namespace
}  // namespace hub::test
