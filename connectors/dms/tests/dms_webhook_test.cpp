// Change webhooks from the DMS simulator to an in-test receiver on loopback.
#include <deque>
#include <mutex>

#include "connectors/dms/standard_webhooks.h"
#include "connectors/dms/tests/dms_fixture.h"
#include "hub/http/server.h"

namespace hub::test {
namespace {

using nlohmann::json;

const char* kSecret = "whsec_MDEyMzQ1Njc4OWFiY2RlZmdoaWprbG1u";

// Records each delivery and answers the scripted statuses, then 204.
class Receiver {
 public:
  explicit Receiver(std::deque<int> statuses = {}) : statuses_(std::move(statuses)) {
    auto router = std::make_shared<http::Router>();
    router->add({"POST", "/hooks/dms", "", "", ""}, [this](http::Request& r) {
      std::lock_guard lock(mutex_);
      received_.push_back(r);
      int status = 204;
      if (!statuses_.empty()) {
        status = statuses_.front();
        statuses_.pop_front();
      }
      return http::Response::text(status, "");
    });
    server_ = std::make_unique<http::HttpServer>(http::ServerOptions{}, router);
    server_->start();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_->port()) + "/hooks/dms"; }
  std::vector<http::Request> received() const {
    std::lock_guard lock(mutex_);
    return received_;
  }

 private:
  mutable std::mutex mutex_;
  std::deque<int> statuses_;
  std::vector<http::Request> received_;
  std::unique_ptr<http::HttpServer> server_;
};

class DmsWebhooks : public DmsFixture {
 protected:
  void listen(Receiver& receiver) {
    sim->setWebhook({receiver.url(), kSecret, /*base_backoff*/ 20, /*max_backoff*/ 100, /*timeout*/ 2000});
  }
};

TEST_F(DmsWebhooks, EveryWrittenChangeIsPostedSignedInTheStandardWebhooksForm) {
  Receiver receiver;
  listen(receiver);
  std::vector<connector::OutboundRecord> batch = {outbound("C00001", customer("C00001"))};
  connect()->openSink("customers", {})->push(batch);
  ASSERT_TRUE(sim->waitForWebhooks(5000));
  const auto got = receiver.received();
  ASSERT_EQ(got.size(), 1u);
  const auto& r = got[0];
  EXPECT_TRUE(connector::dms::verifyWebhook(kSecret, r.header("webhook-id"), r.header("webhook-timestamp"),
                                            r.header("webhook-signature"), r.body, nowMillis() / 1000));
  const json event = json::parse(r.body);
  EXPECT_EQ(event["type"], "customer.created");
  EXPECT_EQ(event["data"]["code"], "C00001");
}

TEST_F(DmsWebhooks, WebhookBodyDecodesIntoTheSourcesRecord) {
  Receiver receiver;
  listen(receiver);
  seedOrder("SO1");
  sim->placeOrders(1);
  ASSERT_TRUE(sim->waitForWebhooks(5000));
  const auto got = receiver.received();
  ASSERT_FALSE(got.empty());
  auto source = connect()->openSource("orders", {});
  const auto records = source->decodePushed({got.back().body, "application/json", ""});
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].key.rfind("SO", 0), 0u);
  EXPECT_FALSE(records[0].remote_id.empty());
  EXPECT_EQ(source->keyField(), "order_no");
}

TEST_F(DmsWebhooks, FailedDeliveryIsRetriedUnderTheSameIdUntilItSucceeds) {
  Receiver receiver({500, 503});
  listen(receiver);
  sim->put("customers", customer("C00002"), 1700000000000);
  ASSERT_TRUE(sim->waitForWebhooks(5000));
  const auto got = receiver.received();
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].header("webhook-id"), got[2].header("webhook-id"));
  const auto attempts = sim->webhookAttempts();
  ASSERT_EQ(attempts.size(), 3u);
  EXPECT_EQ(attempts[2].attempt, 3);
  EXPECT_EQ(attempts[2].status, 204);
}

TEST_F(DmsWebhooks, UnreachableReceiverIsRetriedToo) {
  std::string deadUrl;
  {
    Receiver gone;
    deadUrl = gone.url();
  }
  sim->setWebhook({deadUrl, kSecret, 20, 40, 500});
  sim->put("customers", customer("C00003"), 1700000000000);
  EXPECT_FALSE(sim->waitForWebhooks(300));
  const auto attempts = sim->webhookAttempts();
  ASSERT_GE(attempts.size(), 2u);
  EXPECT_EQ(attempts[0].status, 0);
}

TEST_F(DmsWebhooks, GoneDisablesTheEndpoint) {
  Receiver receiver({410});
  listen(receiver);
  sim->put("customers", customer("C00004"), 1700000000000);
  sim->waitForWebhooks(5000);
  sim->put("customers", customer("C00005"), 1700000000000);
  sim->waitForWebhooks(5000);
  EXPECT_EQ(receiver.received().size(), 1u);
}

TEST_F(DmsWebhooks, ConflictMeansTheReceiverAlreadyHasItAndEndsTheRetries) {
  Receiver receiver({409});
  listen(receiver);
  sim->put("customers", customer("C00006"), 1700000000000);
  ASSERT_TRUE(sim->waitForWebhooks(5000));
  EXPECT_EQ(receiver.received().size(), 1u);
  EXPECT_EQ(sim->webhookAttempts().size(), 1u);
}

}  // namespace
}  // namespace hub::test
