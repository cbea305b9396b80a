// Issue 9, defect 9: bodies as real senders post them. A Stripe event carries
// its object at data.object; a GitHub push is keyed by head_commit.id. The
// record path (`record` of the webhook trigger) and the key path resolve as a
// pull's paths do (connectors/spi/json_path.h).
#include "tests/webhooks/intake_fixture.h"

namespace hub::webhooks::test {
namespace {

// Stripe's documented customer.created event (API reference, "The Event object").
const std::string kStripeEvent = R"({
  "id": "evt_1NG8Du2eZvKYlo2CUI79vXWy",
  "object": "event",
  "api_version": "2019-02-19",
  "created": 1686089970,
  "data": {
    "object": {
      "id": "cus_NffrFeUfNV2Hib",
      "object": "customer",
      "address": null,
      "balance": 0,
      "created": 1680893993,
      "currency": null,
      "default_source": null,
      "delinquent": false,
      "description": null,
      "discount": null,
      "email": "jennyrosen@example.com",
      "invoice_prefix": "0759376C",
      "invoice_settings": {"custom_fields": null, "default_payment_method": null, "footer": null, "rendering_options": null},
      "livemode": false,
      "metadata": {},
      "name": "Jenny Rosen",
      "next_invoice_sequence": 1,
      "phone": null,
      "preferred_locales": [],
      "shipping": null,
      "tax_exempt": "none",
      "test_clock": null
    }
  },
  "livemode": false,
  "pending_webhooks": 0,
  "request": {"id": null, "idempotency_key": null},
  "type": "customer.created"
})";

// A GitHub push event as its webhook docs show it (abridged: fewer repository fields).
const std::string kGithubPush = R"({
  "ref": "refs/heads/main",
  "before": "6113728f27ae82c7b1a177c8d03f9e96e0adf246",
  "after": "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c",
  "created": false, "deleted": false, "forced": false,
  "base_ref": null,
  "compare": "https://github.com/octo-org/octo-repo/compare/6113728f27ae...0d1a26e67d8f",
  "commits": [{"id": "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c", "tree_id": "f9d2a07e9488b91af2641b26b9407fe22a451433",
               "distinct": true, "message": "Update README.md", "timestamp": "2015-05-05T19:40:15-04:00",
               "author": {"name": "baxterthehacker", "email": "baxterthehacker@users.noreply.github.com"},
               "added": [], "removed": [], "modified": ["README.md"]}],
  "head_commit": {"id": "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c", "tree_id": "f9d2a07e9488b91af2641b26b9407fe22a451433",
                  "distinct": true, "message": "Update README.md", "timestamp": "2015-05-05T19:40:15-04:00",
                  "author": {"name": "baxterthehacker", "email": "baxterthehacker@users.noreply.github.com"},
                  "added": [], "removed": [], "modified": ["README.md"]},
  "repository": {"id": 35129377, "name": "public-repo", "full_name": "baxterthehacker/public-repo", "private": false},
  "pusher": {"name": "baxterthehacker", "email": "baxterthehacker@users.noreply.github.com"},
  "sender": {"login": "baxterthehacker", "id": 6752317, "type": "User"}
})";

std::string flowWithKey(const std::string& name, const std::string& key, const std::string& webhook) {
  return "  - name: " + name + "\n    entity: " + name + "\n    source: {connector: src, entity: " + name +
         ", options: {key: '" + key + "'}}\n    targets: [{connector: dst, entity: " + name +
         "}]\n    triggers:\n      - webhook: " + webhook + "\n";
}

class SenderBodiesTest : public IntakeTest {
 protected:
  void SetUp() override {
    IntakeTest::SetUp();
    startHub(flowWithKey("customers", "id", "{scheme: stripe, secret: '" + kStripe + "', record: data.object}") +
             flowWithKey("events", "id", "{scheme: stripe, secret: '" + kStripe + "'}") +
             flowWithKey("pushes", "head_commit.id",
                         "{scheme: hmac, secret: '" + kGithub + "', id_header: X-GitHub-Delivery}") +
             flowWithKey("dotted", "order.no", "{scheme: hmac, secret: '" + kGithub + "'}") +
             flowWithKey("nested", "id", "{scheme: hmac, secret: '" + kGithub + "', record: /payload/items}"));
  }
  std::vector<store::QueueItem> queued(const std::string& entity, const std::string& key) {
    return store->queue().history(entity, key);
  }
};

TEST_F(SenderBodiesTest, AStripeEventIsQueuedAsTheObjectAtItsRecordPath) {
  const auto r = post("customers", kStripeEvent, stripeHeaders(kStripe, kStripeEvent));
  ASSERT_EQ(r.status, 202) << r.body;
  const auto rows = queued("customers", "cus_NffrFeUfNV2Hib");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(json::parse(rows[0].payload)["email"], "jennyrosen@example.com");
}

TEST_F(SenderBodiesTest, AStripeEventWithoutARecordPathIsOneRecordKeyedByTheEventId) {
  const auto r = post("events", kStripeEvent, stripeHeaders(kStripe, kStripeEvent));
  ASSERT_EQ(r.status, 202) << r.body << " (a data object is not a list of records)";
  const auto rows = queued("events", "evt_1NG8Du2eZvKYlo2CUI79vXWy");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(json::parse(rows[0].payload)["type"], "customer.created");
}

TEST_F(SenderBodiesTest, AGithubPushIsKeyedByTheDottedPathToItsHeadCommit) {
  const auto r = post("pushes", kGithubPush, github(kGithub, kGithubPush, "72d3162e-cc78-11e3-81ab-4c9367dc0958"));
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(queued("pushes", "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c").size(), 1u);
}

TEST_F(SenderBodiesTest, AMemberWhoseNameHoldsADotIsTheKeyBeforeAnyPath) {
  const std::string body = R"({"order.no": "SO-1", "order": {"no": "SO-2"}})";
  ASSERT_EQ(post("dotted", body, github(kGithub, body)).status, 202);
  EXPECT_EQ(queued("dotted", "SO-1").size(), 1u);
  EXPECT_TRUE(queued("dotted", "SO-2").empty());
}

TEST_F(SenderBodiesTest, ARecordPathGivenAsAJsonPointerReadsTheArrayThere) {
  const std::string body = R"({"payload": {"items": [{"id": "A-1"}, {"id": 7}]}})";
  const auto r = post("nested", body, github(kGithub, body));
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(json::parse(r.body)["accepted"], 2);
  EXPECT_EQ(queued("nested", "7").size(), 1u);
}

TEST_F(SenderBodiesTest, ARecordPathThatFindsNothingIs400NamingThePathAndStoresNothing) {
  const std::string body = R"({"payload": {}})";
  const Rows before = rows();
  const auto r = post("nested", body, github(kGithub, body));
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("/payload/items"), std::string::npos) << r.body;
  EXPECT_EQ(rows().queue, before.queue);
}

TEST_F(SenderBodiesTest, ARecordWhoseKeyIsEmptyOrNotAScalarIs400) {
  for (const std::string body : {R"({"head_commit": {"id": ""}})", R"({"head_commit": {"id": {"sha": "x"}}})"}) {
    const auto r = post("pushes", body, github(kGithub, body));
    EXPECT_EQ(r.status, 400) << body << ": " << r.body;
    EXPECT_NE(r.body.find("head_commit.id"), std::string::npos) << r.body;
  }
}

}  // namespace
}  // namespace hub::webhooks::test
