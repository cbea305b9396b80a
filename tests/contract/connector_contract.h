#pragma once
// The contract every connector meets, run against its simulator over real
// loopback sockets. A connector's tests provide a Harness (start the
// simulator, seed records, inject faults, read what the target holds) and
// instantiate each part of the contract its protocol has:
//
//   using Harnesses = ::testing::Types<MyHarness>;
//   INSTANTIATE_TYPED_TEST_SUITE_P(MySystem, ConnectorContract, Harnesses);         // every connector
//   INSTANTIATE_TYPED_TEST_SUITE_P(MySystem, HttpConnectorContract, Harnesses);     // speaks HTTP: faults, pacing
//   INSTANTIATE_TYPED_TEST_SUITE_P(MySystem, SessionConnectorContract, Harnesses);  // logs in to a session
//   INSTANTIATE_TYPED_TEST_SUITE_P(MySystem, ConfirmingConnectorContract, Harnesses);  // accepts for later (Awaiting)
//
// A part that does not apply is not instantiated, so nothing is skipped.
#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "connectors/spi/connector.h"
#include "connectors/spi/errors.h"

namespace hub::test {

enum class Fault { ServerError, RateLimited, Timeout, SessionExpired, MalformedBody };

class ContractHarness {
 public:
  virtual ~ContractHarness() = default;
  virtual std::string sourceEntity() = 0;
  virtual std::string sinkEntity() = 0;
  virtual nlohmann::json sourceOptions() { return nlohmann::json::object(); }
  virtual nlohmann::json sinkOptions() { return nlohmann::json::object(); }
  // A connector instance pointed at the running simulator; HTTP calls are
  // counted into `observed`.
  // A connector on the context the suite lends it (HTTP observation, pacing);
  // the harness adds what its type needs (instance name, config folder).
  virtual std::unique_ptr<connector::Connector> connect(connector::ConnectorContext ctx) = 0;
  // `n` source records changed at `updatedAt` (ms), keys returned in source order.
  virtual std::vector<std::string> seed(std::size_t n, connector::Millis updatedAt) = 0;
  // Marks one seeded record changed at `updatedAt`.
  virtual void touch(const std::string& key, connector::Millis updatedAt) = 0;
  // A valid sink document whose business key is `key`.
  virtual nlohmann::json document(const std::string& key) = 0;
  // A sink document the target rejects as invalid.
  virtual nlohmann::json invalidDocument(const std::string& key) = 0;
  // How many sink records with this business key the target holds.
  virtual std::size_t stored(const std::string& key) = 0;
  // The next call to the target fails this way (RateLimited answers Retry-After: 1).
  // Only the faults of the parts the connector instantiates are asked for.
  virtual void injectFault(Fault fault) = 0;

  // ConfirmingConnectorContract only: a sink entity whose target accepts
  // documents for later processing (Outcome Awaiting), a valid document for
  // it, and the target processing what it accepted — posting it (`ok`) or
  // rejecting it with a reason.
  virtual std::string confirmingSinkEntity() { return {}; }
  virtual nlohmann::json confirmingDocument(const std::string& key) { return document(key); }
  virtual void processAccepted(bool ok) { (void)ok; }
};

template <class H>
class ConnectorContract : public ::testing::Test {
 protected:
  void SetUp() override {
    harness = std::make_unique<H>();
    connector::ConnectorContext ctx;
    ctx.observe_http = [this](const connector::HttpObservation& o) { observed.push_back(o); };
    ctx.pace = [this] {
      ++paced;
      return !refuseCalls;
    };
    conn = harness->connect(std::move(ctx));
  }
  connector::Page pullAll(connector::Millis since, std::size_t pageSize, std::vector<connector::Record>& out,
                          int maxPages = 100) {
    auto source = conn->openSource(harness->sourceEntity(), harness->sourceOptions());
    connector::ScanRequest req{since, "", pageSize};
    connector::Page page;
    for (int i = 0; i < maxPages; ++i) {
      page = source->pull(req);
      out.insert(out.end(), page.records.begin(), page.records.end());
      if (page.done) break;
      req.resume = page.resume;
    }
    return page;
  }
  connector::OutboundRecord outbound(const std::string& key, nlohmann::json doc, int attempt = 1) {
    connector::OutboundRecord r;
    r.key = key;
    r.idempotency_key = "contract-" + key;
    r.document = std::move(doc);
    r.attempt = attempt;
    return r;
  }
  std::unique_ptr<H> harness;
  std::unique_ptr<connector::Connector> conn;
  std::vector<connector::HttpObservation> observed;
  int paced = 0;             // calls that asked the instance's rate limit first
  bool refuseCalls = false;  // the hub is aborting calls at its shutdown deadline
};

// The parts of the contract only some protocols have.
template <class H>
class HttpConnectorContract : public ConnectorContract<H> {};
template <class H>
class SessionConnectorContract : public ConnectorContract<H> {};
template <class H>
class ConfirmingConnectorContract : public ConnectorContract<H> {
 protected:
  std::unique_ptr<connector::Sink> confirmingSink() {
    return this->conn->openSink(this->harness->confirmingSinkEntity(), this->harness->sinkOptions());
  }
  // Pushes one document and returns the target's acceptance.
  connector::Outcome accept(connector::Sink& sink, const std::string& key) {
    std::vector<connector::OutboundRecord> batch = {this->outbound(key, this->harness->confirmingDocument(key))};
    const auto outcomes = sink.push(batch);
    EXPECT_EQ(outcomes.size(), 1u);
    return outcomes.empty() ? connector::Outcome{} : outcomes[0];
  }
  connector::Outcome confirm(connector::Sink& sink, const std::string& key, const connector::Outcome& accepted) {
    std::vector<connector::AwaitingRecord> asked = {{key, accepted.remote_id, 1700000000000}};
    const auto answers = sink.confirm(asked);
    EXPECT_EQ(answers.size(), 1u);
    return answers.empty() ? connector::Outcome{} : answers[0];
  }
};

TYPED_TEST_SUITE_P(ConnectorContract);
TYPED_TEST_SUITE_P(HttpConnectorContract);
TYPED_TEST_SUITE_P(SessionConnectorContract);
TYPED_TEST_SUITE_P(ConfirmingConnectorContract);

// Every sink: asked about a record it never accepted, it must not claim it delivered.
TYPED_TEST_P(ConnectorContract, ConfirmNeverCallsARecordItNeverAcceptedDelivered) {
  auto sink = this->conn->openSink(this->harness->sinkEntity(), this->harness->sinkOptions());
  std::vector<connector::AwaitingRecord> asked = {{"NEVER-SENT-1", "no-such-id-4711", 1700000000000}};
  const auto answers = sink->confirm(asked);
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_NE(answers[0].disposition, connector::Disposition::Delivered);
}

TYPED_TEST_P(ConfirmingConnectorContract, AcceptedDocumentIsAwaitingWithTheTargetsId) {
  auto sink = this->confirmingSink();
  const auto accepted = this->accept(*sink, "CF-1");
  EXPECT_EQ(accepted.disposition, connector::Disposition::Awaiting) << accepted.message;
  EXPECT_FALSE(accepted.remote_id.empty());
}

TYPED_TEST_P(ConfirmingConnectorContract, BeforeTheTargetProcessedItTheAnswerIsStillAwaiting) {
  auto sink = this->confirmingSink();
  const auto accepted = this->accept(*sink, "CF-2");
  EXPECT_EQ(this->confirm(*sink, "CF-2", accepted).disposition, connector::Disposition::Awaiting);
}

TYPED_TEST_P(ConfirmingConnectorContract, ProcessedDocumentIsConfirmedDelivered) {
  auto sink = this->confirmingSink();
  const auto accepted = this->accept(*sink, "CF-3");
  this->harness->processAccepted(true);
  const auto answer = this->confirm(*sink, "CF-3", accepted);
  EXPECT_EQ(answer.disposition, connector::Disposition::Delivered) << answer.message;
  EXPECT_FALSE(answer.remote_id.empty());
}

TYPED_TEST_P(ConfirmingConnectorContract, RejectedDocumentIsPermanentInTheTargetsWords) {
  auto sink = this->confirmingSink();
  const auto accepted = this->accept(*sink, "CF-4");
  this->harness->processAccepted(false);
  const auto answer = this->confirm(*sink, "CF-4", accepted);
  EXPECT_EQ(answer.disposition, connector::Disposition::Permanent);
  EXPECT_FALSE(answer.message.empty());
}

TYPED_TEST_P(ConnectorContract, PullPagesThroughEverySeededRecordOnce) {
  const auto keys = this->harness->seed(25, 1700000000000);
  std::vector<connector::Record> got;
  this->pullAll(0, 10, got);
  std::multiset<std::string> seen;
  for (const auto& r : got) seen.insert(r.key);
  for (const auto& k : keys) EXPECT_EQ(seen.count(k), 1u) << k;
  EXPECT_EQ(got.size(), keys.size());
}

TYPED_TEST_P(ConnectorContract, PullSinceReturnsOnlyRecordsChangedAtOrAfterIt) {
  const auto keys = this->harness->seed(6, 1700000000000);
  this->harness->touch(keys[2], 1700000600000);
  this->harness->touch(keys[4], 1700000700000);
  std::vector<connector::Record> got;
  this->pullAll(1700000600000, 10, got);
  std::set<std::string> seen;
  for (const auto& r : got) seen.insert(r.key);
  EXPECT_EQ(seen, (std::set<std::string>{keys[2], keys[4]}));
  for (const auto& r : got) EXPECT_GE(r.updated_at, 1700000600000) << r.key;
}

TYPED_TEST_P(ConnectorContract, RecordsCarryKeyUpdateTimeAndPayload) {
  this->harness->seed(3, 1700000000000);
  std::vector<connector::Record> got;
  this->pullAll(0, 10, got);
  ASSERT_FALSE(got.empty());
  for (const auto& r : got) {
    EXPECT_FALSE(r.key.empty());
    EXPECT_EQ(r.updated_at, 1700000000000);
    EXPECT_TRUE(r.payload.is_object());
  }
}

TYPED_TEST_P(ConnectorContract, PushBatchAnswersOneOutcomePerRecordInOrder) {
  auto sink = this->conn->openSink(this->harness->sinkEntity(), this->harness->sinkOptions());
  std::vector<connector::OutboundRecord> batch = {
      this->outbound("K-1", this->harness->document("K-1")),
      this->outbound("K-2", this->harness->invalidDocument("K-2")),
      this->outbound("K-3", this->harness->document("K-3")),
  };
  const auto outcomes = sink->push(batch);
  ASSERT_EQ(outcomes.size(), 3u);
  EXPECT_EQ(outcomes[0].disposition, connector::Disposition::Delivered);
  EXPECT_FALSE(outcomes[0].remote_id.empty());
  EXPECT_EQ(outcomes[1].disposition, connector::Disposition::Permanent);
  EXPECT_FALSE(outcomes[1].message.empty());
  EXPECT_EQ(outcomes[2].disposition, connector::Disposition::Delivered);
  EXPECT_EQ(this->harness->stored("K-1"), 1u);
  EXPECT_EQ(this->harness->stored("K-2"), 0u);
  EXPECT_EQ(this->harness->stored("K-3"), 1u);
}

TYPED_TEST_P(ConnectorContract, RepeatedPushOfTheSameRecordStoresItOnce) {
  auto sink = this->conn->openSink(this->harness->sinkEntity(), this->harness->sinkOptions());
  std::vector<connector::OutboundRecord> batch = {this->outbound("R-1", this->harness->document("R-1"))};
  ASSERT_EQ(sink->push(batch).at(0).disposition, connector::Disposition::Delivered);
  batch[0].attempt = 2;
  batch[0].previous_attempt_ambiguous = true;
  const auto again = sink->push(batch);
  EXPECT_EQ(again.at(0).disposition, connector::Disposition::Delivered);
  EXPECT_EQ(this->harness->stored("R-1"), 1u);
}

namespace contract_detail {
// A fault surfaces either as a thrown typed error or as per-record outcomes.
template <class F>
connector::Disposition dispositionOf(F&& call, std::optional<connector::Millis>* retryAfter = nullptr,
                                     bool* ambiguous = nullptr) {
  try {
    auto outcomes = call();
    if (outcomes.empty()) return connector::Disposition::Delivered;
    if (retryAfter) *retryAfter = outcomes[0].retry_after;
    if (ambiguous) *ambiguous = outcomes[0].ambiguous;
    return outcomes[0].disposition;
  } catch (const connector::RetryableError& e) {
    if (retryAfter) *retryAfter = e.retry_after_ms;
    if (ambiguous) *ambiguous = e.ambiguous;
    return connector::Disposition::Retry;
  } catch (const connector::PermanentError&) {
    return connector::Disposition::Permanent;
  }
}
}  // namespace contract_detail

TYPED_TEST_P(HttpConnectorContract, ServerErrorIsRetryable) {
  auto sink = this->conn->openSink(this->harness->sinkEntity(), this->harness->sinkOptions());
  std::vector<connector::OutboundRecord> batch = {this->outbound("E-1", this->harness->document("E-1"))};
  this->harness->injectFault(Fault::ServerError);
  EXPECT_EQ(contract_detail::dispositionOf([&] { return sink->push(batch); }), connector::Disposition::Retry);
  batch[0].attempt = 2;
  EXPECT_EQ(contract_detail::dispositionOf([&] { return sink->push(batch); }), connector::Disposition::Delivered);
  EXPECT_EQ(this->harness->stored("E-1"), 1u);
}

TYPED_TEST_P(HttpConnectorContract, RateLimitIsRetryableAndCarriesRetryAfter) {
  auto sink = this->conn->openSink(this->harness->sinkEntity(), this->harness->sinkOptions());
  std::vector<connector::OutboundRecord> batch = {this->outbound("L-1", this->harness->document("L-1"))};
  this->harness->injectFault(Fault::RateLimited);
  std::optional<connector::Millis> retryAfter;
  EXPECT_EQ(contract_detail::dispositionOf([&] { return sink->push(batch); }, &retryAfter),
            connector::Disposition::Retry);
  ASSERT_TRUE(retryAfter.has_value());
  EXPECT_EQ(*retryAfter, 1000);
}

TYPED_TEST_P(HttpConnectorContract, TimeoutIsRetryableAndAmbiguousAndDoesNotDuplicate) {
  auto sink = this->conn->openSink(this->harness->sinkEntity(), this->harness->sinkOptions());
  std::vector<connector::OutboundRecord> batch = {this->outbound("T-1", this->harness->document("T-1"))};
  this->harness->injectFault(Fault::Timeout);
  bool ambiguous = false;
  EXPECT_EQ(contract_detail::dispositionOf([&] { return sink->push(batch); }, nullptr, &ambiguous),
            connector::Disposition::Retry);
  EXPECT_TRUE(ambiguous);
  batch[0].attempt = 2;
  batch[0].previous_attempt_ambiguous = true;
  EXPECT_EQ(contract_detail::dispositionOf([&] { return sink->push(batch); }), connector::Disposition::Delivered);
  EXPECT_EQ(this->harness->stored("T-1"), 1u);
}

TYPED_TEST_P(HttpConnectorContract, MalformedAnswerIsRetryable) {
  this->harness->seed(2, 1700000000000);
  auto source = this->conn->openSource(this->harness->sourceEntity(), this->harness->sourceOptions());
  this->harness->injectFault(Fault::MalformedBody);
  EXPECT_THROW(source->pull({0, "", 10}), connector::RetryableError);
  EXPECT_EQ(source->pull({0, "", 10}).records.size(), 2u);
}

TYPED_TEST_P(SessionConnectorContract, ExpiredSessionIsRenewedTransparently) {
  this->harness->seed(2, 1700000000000);
  auto source = this->conn->openSource(this->harness->sourceEntity(), this->harness->sourceOptions());
  EXPECT_EQ(source->pull({0, "", 10}).records.size(), 2u);
  this->harness->injectFault(Fault::SessionExpired);
  EXPECT_EQ(source->pull({0, "", 10}).records.size(), 2u);
}

TYPED_TEST_P(HttpConnectorContract, EveryHttpCallIsObservedWithAStableEndpointLabel) {
  this->harness->seed(1, 1700000000000);
  std::vector<connector::Record> got;
  this->pullAll(0, 10, got);
  ASSERT_FALSE(this->observed.empty());
  for (const auto& o : this->observed) {
    EXPECT_FALSE(o.endpoint.empty());
    EXPECT_EQ(o.endpoint.find('?'), std::string::npos) << "labels must not carry query strings";
    EXPECT_GE(o.seconds, 0.0);
  }
}

TYPED_TEST_P(HttpConnectorContract, EveryHttpCallFirstWaitsForTheInstancesRateLimit) {
  const auto keys = this->harness->seed(3, 1700000000000);
  std::vector<connector::Record> got;
  this->pullAll(0, 10, got);
  auto sink = this->conn->openSink(this->harness->sinkEntity(), this->harness->sinkOptions());
  const std::vector<connector::OutboundRecord> batch{this->outbound(keys[0] + "-new", this->harness->document(keys[0] + "-new"))};
  sink->push(batch);
  ASSERT_FALSE(this->observed.empty());
  EXPECT_EQ(this->paced, static_cast<int>(this->observed.size())) << "pulls, pushes and logins alike";
}

TYPED_TEST_P(HttpConnectorContract, NoCallIsMadeOnceTheHubAbortsCallsAndTheFailureIsRetryable) {
  this->harness->seed(1, 1700000000000);
  this->refuseCalls = true;
  auto source = this->conn->openSource(this->harness->sourceEntity(), this->harness->sourceOptions());
  EXPECT_THROW(source->pull({0, "", 10}), connector::RetryableError);
  EXPECT_TRUE(this->observed.empty());
}

REGISTER_TYPED_TEST_SUITE_P(ConnectorContract, PullPagesThroughEverySeededRecordOnce,
                            PullSinceReturnsOnlyRecordsChangedAtOrAfterIt, RecordsCarryKeyUpdateTimeAndPayload,
                            PushBatchAnswersOneOutcomePerRecordInOrder, RepeatedPushOfTheSameRecordStoresItOnce,
                            ConfirmNeverCallsARecordItNeverAcceptedDelivered);
REGISTER_TYPED_TEST_SUITE_P(HttpConnectorContract, ServerErrorIsRetryable, RateLimitIsRetryableAndCarriesRetryAfter,
                            TimeoutIsRetryableAndAmbiguousAndDoesNotDuplicate, MalformedAnswerIsRetryable,
                            EveryHttpCallIsObservedWithAStableEndpointLabel,
                            EveryHttpCallFirstWaitsForTheInstancesRateLimit,
                            NoCallIsMadeOnceTheHubAbortsCallsAndTheFailureIsRetryable);
REGISTER_TYPED_TEST_SUITE_P(SessionConnectorContract, ExpiredSessionIsRenewedTransparently);
REGISTER_TYPED_TEST_SUITE_P(ConfirmingConnectorContract, AcceptedDocumentIsAwaitingWithTheTargetsId,
                            BeforeTheTargetProcessedItTheAnswerIsStillAwaiting, ProcessedDocumentIsConfirmedDelivered,
                            RejectedDocumentIsPermanentInTheTargetsWords);

}  // namespace hub::test
