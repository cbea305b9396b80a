// R6: webhook intake negatives (and the positives beside them) over real
// loopback sockets with the real HttpServer. Each row asserts the status, the
// JSON error shape with its result label, and the database's row counts:
// unchanged for every 4xx, grown by exactly the delivery for every 202.
#include <functional>

#include "tests/webhooks/intake_fixture.h"

namespace hub::webhooks::test {
namespace {

using Headers = std::map<std::string, std::string>;

struct Request {
  std::string flow, body;
  Headers headers;
};

struct Case {
  std::string name;
  std::function<Request()> request;
  int status;
  std::string result;                 // the "result" label of the answer
  long long queued = 0;               // queue rows a 202 adds
  std::function<void()> before = {};  // e.g. the first copy of a duplicate
};

std::string order(const std::string& key, int qty = 1) {
  return json{{"id", key}, {"qty", qty}, {"dealer", "D-7"}}.dump();
}

Headers with(Headers h, const std::string& k, const std::string& v) {
  h[k] = v;
  return h;
}
Headers without(Headers h, const std::string& k) {
  h.erase(k);
  return h;
}

class R6Table : public IntakeTest {
 protected:
  std::vector<Case> cases() {
    std::vector<Case> c;
    auto std_ = [this](const std::string& id, const std::string& body, std::int64_t skew = 0,
                       const std::string& secret = kNew) { return standard(secret, id, body, skew); };
    // Standard Webhooks, payload mode.
    c.push_back({"valid",
                 [=, this] {
                   return Request{"orders", order("A1"), std_("m-a1", order("A1"))};
                 },
                 202, "accepted", 1});
    c.push_back({"rotated list: old secret still signs",
                 [=, this] {
                   return Request{"orders", order("A2"), std_("m-a2", order("A2"), 0, kOld)};
                 },
                 202, "accepted", 1});
    c.push_back({"header lists a wrong and the right signature",
                 [=, this] {
                   auto h = std_("m-a3", order("A3"));
                   h["webhook-signature"] = "v1,bm90IHRoZSByaWdodCBzaWduYXR1cmUgYXQgYWxsIQ== " + h["webhook-signature"];
                   return Request{"orders", order("A3"), h};
                 },
                 202, "accepted", 1});
    c.push_back({"timestamp 300 s old is inside the window",
                 [=, this] {
                   return Request{"orders", order("A4"), std_("m-a4", order("A4"), -300)};
                 },
                 202, "accepted", 1});
    c.push_back({"charset parameter on JSON",
                 [=, this] {
                   return Request{"orders", order("A5"),
                                  with(std_("m-a5", order("A5")), "Content-Type", "application/json; charset=utf-8")};
                 },
                 202, "accepted", 1});
    c.push_back({"vendor +json media type",
                 [=, this] {
                   return Request{"orders", order("A6"),
                                  with(std_("m-a6", order("A6")), "Content-Type", "application/vnd.dms.v1+json")};
                 },
                 202, "accepted", 1});
    c.push_back(
        {"array of three records",
         [=, this] {
           const std::string b =
               json::array({json::parse(order("A7")), json::parse(order("A8")), json::parse(order("A9"))}).dump();
           return Request{"orders", b, std_("m-a7", b)};
         },
         202, "accepted", 3});
    c.push_back({"missing signature",
                 [=, this] {
                   return Request{"orders", order("B1"), without(std_("m-b1", order("B1")), "webhook-signature")};
                 },
                 401, "missing_signature"});
    c.push_back({"missing webhook-id",
                 [=, this] {
                   return Request{"orders", order("B2"), without(std_("m-b2", order("B2")), "webhook-id")};
                 },
                 401, "missing_signature"});
    c.push_back({"missing timestamp",
                 [=, this] {
                   return Request{"orders", order("B3"), without(std_("m-b3", order("B3")), "webhook-timestamp")};
                 },
                 401, "missing_signature"});
    c.push_back({"no signing headers at all",
                 [=, this] {
                   return Request{"orders", order("B4"), {}};
                 },
                 401, "missing_signature"});
    c.push_back(
        {"bad HMAC (unknown secret)",
         [=, this] {
           return Request{"orders", order("B5"), std_("m-b5", order("B5"), 0, "whsec_" + digest::base64("intruder"))};
         },
         401, "bad_signature"});
    c.push_back({"timestamp 301 s old",
                 [=, this] {
                   return Request{"orders", order("B6"), std_("m-b6", order("B6"), -301)};
                 },
                 400, "stale_timestamp"});
    c.push_back({"timestamp 301 s ahead",
                 [=, this] {
                   return Request{"orders", order("B7"), std_("m-b7", order("B7"), 301)};
                 },
                 400, "future_timestamp"});
    c.push_back({"body re-serialised after signing",
                 [=, this] {
                   const std::string pretty = json::parse(order("B8")).dump(2);
                   return Request{"orders", order("B8"), std_("m-b8", pretty)};
                 },
                 401, "bad_signature"});
    c.push_back({"one flipped body byte",
                 [=, this] {
                   std::string b = order("B9");
                   auto h = std_("m-b9", b);
                   b[b.find("qty") + 5] ^= 1;  // qty 1 -> 0: still valid JSON
                   return Request{"orders", b, h};
                 },
                 401, "bad_signature"});
    c.push_back({"signature entry without a comma",
                 [=, this] {
                   auto h = std_("m-c1", order("C1"));
                   h["webhook-signature"] = "v1" + h["webhook-signature"].substr(3);
                   return Request{"orders", order("C1"), h};
                 },
                 401, "malformed_signature"});
    c.push_back({"v2-only signature",
                 [=, this] {
                   auto h = std_("m-c2", order("C2"));
                   h["webhook-signature"] = "v2" + h["webhook-signature"].substr(2);
                   return Request{"orders", order("C2"), h};
                 },
                 401, "unsupported_signature"});
    c.push_back({"timestamp is not a number",
                 [=, this] {
                   return Request{"orders", order("C3"), with(std_("m-c3", order("C3")), "webhook-timestamp", "now")};
                 },
                 401, "malformed_signature"});
    c.push_back({"signature of another delivery id",
                 [=, this] {
                   return Request{"orders", order("C4"), with(std_("m-c4", order("C4")), "webhook-id", "m-c4-other")};
                 },
                 401, "bad_signature"});
    c.push_back(
        {"base64 garbage",
         [=, this] {
           return Request{"orders", order("C5"), with(std_("m-c5", order("C5")), "webhook-signature", "v1,%%%%")};
         },
         401, "bad_signature"});
    c.push_back({"GitHub header on a Standard Webhooks flow",
                 [=, this] {
                   return Request{"orders", order("C6"), github(kGithub, order("C6"), "g-c6")};
                 },
                 401, "missing_signature"});
    c.push_back({"malformed JSON, correctly signed",
                 [=, this] {
                   return Request{"orders", R"({"id":"C7",)", std_("m-c7", R"({"id":"C7",)")};
                 },
                 400, "malformed_body"});
    c.push_back({"record without its key",
                 [=, this] {
                   const std::string b = R"({"qty":3})";
                   return Request{"orders", b, std_("m-c8", b)};
                 },
                 400, "malformed_body"});
    // Found by fuzz/json_records.cpp: an empty key was queued like any other.
    c.push_back({"record with an empty key",
                 [=, this] {
                   const std::string b = R"({"id":"","qty":3})";
                   return Request{"orders", b, std_("m-c8e", b)};
                 },
                 400, "malformed_body"});
    c.push_back({"empty body", [=, this] { return Request{"orders", "", std_("m-c9", "")}; }, 400, "malformed_body"});
    c.push_back({"wrong content type text/plain",
                 [=, this] {
                   return Request{"orders", order("D1"), with(std_("m-d1", order("D1")), "Content-Type", "text/plain")};
                 },
                 415, "unsupported_media_type"});
    c.push_back({"XML to a source that decodes only JSON",
                 [=, this] {
                   const std::string b = "<order><id>D2</id></order>";
                   return Request{"orders", b, with(std_("m-d2", b), "Content-Type", "application/xml")};
                 },
                 415, "unsupported_media_type"});
    c.push_back(
        {"form-encoded body",
         [=, this] {
           const std::string b = "id=D3&qty=1";
           return Request{"orders", b, with(std_("m-d3", b), "Content-Type", "application/x-www-form-urlencoded")};
         },
         415, "unsupported_media_type"});
    c.push_back({"unknown flow",
                 [=, this] {
                   return Request{"nope", order("D4"), std_("m-d4", order("D4"))};
                 },
                 404, "unknown_flow"});
    c.push_back({"flow without a webhook trigger",
                 [=, this] {
                   return Request{"scheduled", order("D5"), std_("m-d5", order("D5"))};
                 },
                 404, "unknown_flow"});
    c.push_back({"duplicate webhook-id (sender retry, new timestamp)",
                 [=, this] {
                   return Request{"orders", order("D6"), std_("m-d6", order("D6"), -5)};
                 },
                 409, "duplicate", 0,
                 [=, this] { ASSERT_EQ(post("orders", order("D6"), std_("m-d6", order("D6"))).status, 202); }});
    c.push_back({"reused webhook-id with a different body",
                 [=, this] {
                   return Request{"orders", order("D7", 99), std_("m-d7", order("D7", 99))};
                 },
                 409, "duplicate", 0,
                 [=, this] { ASSERT_EQ(post("orders", order("D7"), std_("m-d7", order("D7"))).status, 202); }});
    c.push_back({"delivery id of 300 characters",
                 [=, this] {
                   const std::string id(300, 'x');
                   return Request{"orders", order("D8"), std_(id, order("D8"))};
                 },
                 400, "bad_delivery_id"});
    // GitHub-like header/prefix HMAC.
    c.push_back({"github valid",
                 [=, this] {
                   return Request{"gh", order("E1"), github(kGithub, order("E1"), "g-e1")};
                 },
                 202, "accepted", 1});
    c.push_back(
        {"github missing signature",
         [=, this] {
           return Request{"gh", order("E2"), without(github(kGithub, order("E2"), "g-e2"), "X-Hub-Signature-256")};
         },
         401, "missing_signature"});
    c.push_back({"github legacy sha1= form",
                 [=, this] {
                   return Request{"gh", order("E3"),
                                  with(github(kGithub, order("E3"), "g-e3"), "X-Hub-Signature-256",
                                       "sha1=" + signHmac(kGithub, order("E3"), "").substr(0, 40))};
                 },
                 401, "malformed_signature"});
    c.push_back({"github truncated hex",
                 [=, this] {
                   return Request{"gh", order("E4"),
                                  with(github(kGithub, order("E4"), "g-e4"), "X-Hub-Signature-256",
                                       signHmac(kGithub, order("E4")).substr(0, 50))};
                 },
                 401, "malformed_signature"});
    c.push_back({"github wrong secret",
                 [=, this] {
                   return Request{"gh", order("E5"), github("guess", order("E5"), "g-e5")};
                 },
                 401, "bad_signature"});
    c.push_back({"github duplicate X-GitHub-Delivery",
                 [=, this] {
                   return Request{"gh", order("E6"), github(kGithub, order("E6"), "g-e6")};
                 },
                 409, "duplicate", 0,
                 [=, this] { ASSERT_EQ(post("gh", order("E6"), github(kGithub, order("E6"), "g-e6")).status, 202); }});
    c.push_back({"github without a delivery id: the body hash dedupes",
                 [=, this] {
                   return Request{"gh", order("E7"), github(kGithub, order("E7"))};
                 },
                 409, "duplicate", 0,
                 [=, this] { ASSERT_EQ(post("gh", order("E7"), github(kGithub, order("E7"))).status, 202); }});
    // Stripe.
    c.push_back({"stripe valid",
                 [=, this] {
                   const std::string b = json{{"id", "evt_F1"}, {"data", {{"id", "F1"}, {"qty", 2}}}}.dump();
                   return Request{"stripe", b, stripeHeaders(kStripe, b)};
                 },
                 202, "accepted", 1});
    c.push_back({"stripe event id replayed with a fresh t",
                 [=, this] {
                   const std::string b = json{{"id", "evt_F2"}, {"data", {{"id", "F2"}}}}.dump();
                   return Request{"stripe", b, stripeHeaders(kStripe, b, -2)};
                 },
                 409, "duplicate", 0,
                 [=, this] {
                   const std::string b = json{{"id", "evt_F2"}, {"data", {{"id", "F2"}}}}.dump();
                   ASSERT_EQ(post("stripe", b, stripeHeaders(kStripe, b)).status, 202);
                 }});
    c.push_back({"stripe 301 s old",
                 [=, this] {
                   const std::string b = json{{"id", "evt_F3"}, {"data", {{"id", "F3"}}}}.dump();
                   return Request{"stripe", b, stripeHeaders(kStripe, b, -301)};
                 },
                 400, "stale_timestamp"});
    c.push_back({"stripe header without t=",
                 [=, this] {
                   const std::string b = json{{"id", "evt_F4"}, {"data", {{"id", "F4"}}}}.dump();
                   auto h = stripeHeaders(kStripe, b);
                   h["Stripe-Signature"] = h["Stripe-Signature"].substr(h["Stripe-Signature"].find("v1="));
                   return Request{"stripe", b, h};
                 },
                 401, "malformed_signature"});
    // Notify mode.
    c.push_back({"notify valid",
                 [=, this] {
                   return Request{"pings", R"({"changed":"orders"})", std_("p-1", R"({"changed":"orders"})")};
                 },
                 202, "accepted"});
    c.push_back({"notify empty body without a content type",
                 [=, this] {
                   return Request{"pings", "", with(std_("p-2", ""), "Content-Type", "")};
                 },
                 202, "accepted"});
    c.push_back({"notify duplicate",
                 [=, this] {
                   return Request{"pings", "{}", std_("p-3", "{}")};
                 },
                 409, "duplicate", 0, [=, this] { ASSERT_EQ(post("pings", "{}", std_("p-3", "{}")).status, 202); }});
    c.push_back({"notify malformed JSON",
                 [=, this] {
                   return Request{"pings", "{oops", std_("p-4", "{oops")};
                 },
                 400, "malformed_body"});
    c.push_back({"notify text/plain",
                 [=, this] {
                   return Request{"pings", "ping", with(std_("p-5", "ping"), "Content-Type", "text/plain")};
                 },
                 415, "unsupported_media_type"});
    c.push_back({"notify bad signature",
                 [=, this] {
                   return Request{"pings", "{}", std_("p-6", "{}", 0, kOld)};
                 },
                 401, "bad_signature"});
    return c;
  }
};

TEST_F(R6Table, EveryCaseHasItsStatusJsonShapeAndRowCounts) {
  startHub();
  ASSERT_FALSE(HasFatalFailure());
  // Pinned mid-second, so "300 s" and "301 s" cannot drift across a second boundary.
  clock.pin(nowMillis() / 1000 * 1000 + 500);
  const auto all = cases();
  EXPECT_GE(all.size(), 40u);
  for (const auto& c : all) {
    SCOPED_TRACE(c.name);
    if (c.before) {
      c.before();
      ASSERT_FALSE(HasFatalFailure());
    }
    const Request req = c.request();
    const Rows before = rows();
    auto res = post(req.flow, req.body, req.headers);
    const Rows after = rows();
    EXPECT_EQ(res.status, c.status) << res.body;
    const auto body = json::parse(res.body, nullptr, false);
    ASSERT_TRUE(body.is_object()) << "every answer is a JSON object: " << res.body;
    EXPECT_EQ(res.headers["content-type"].rfind("application/json", 0), 0u);
    for (const auto& secret : {kOld, kNew, kGithub, kStripe})
      EXPECT_EQ(res.body.find(secret), std::string::npos) << "the answer echoes a secret";
    if (c.status >= 400) {
      EXPECT_TRUE(body["error"].is_string() && !body["error"].get<std::string>().empty()) << res.body;
      EXPECT_EQ(body["status"], c.status);
      EXPECT_EQ(body["result"], c.result);
      EXPECT_EQ(after, before) << "a " << c.status << " stored something";
      if (c.status == 409) {
        EXPECT_EQ(body["duplicate"], true);
      }
    } else {
      EXPECT_EQ(after.deliveries, before.deliveries + 1) << "the delivery id is recorded with the records";
      EXPECT_EQ(after.queue, before.queue + c.queued);
      EXPECT_EQ(after.dead_letters, before.dead_letters);
      if (req.flow != "pings") {
        EXPECT_EQ(body["accepted"], c.queued) << res.body;
      } else {
        EXPECT_TRUE(body["trigger"].is_string()) << res.body;
      }
    }
  }
  // One observation per request (plus the first copies of the duplicates), labels from the documented set.
  const auto seen = resultsSeen();
  for (const auto& [key, n] : seen) {
    const auto label = key.substr(key.find(':') + 1);
    EXPECT_NE(std::find(intakeResults().begin(), intakeResults().end(), label), intakeResults().end()) << label;
    EXPECT_EQ(key.rfind("nope:", 0), std::string::npos) << "an unknown flow never becomes a label value";
  }
  EXPECT_EQ(seen.at(":unknown_flow"), 2);
  EXPECT_EQ(seen.at("orders:stale_timestamp"), 1);
}

TEST_F(R6Table, GetIsNotAllowedAndSaysSoInJson) {
  startHub();
  const auto r = hub::test::httpRequest("GET", base + "/webhooks/orders");
  EXPECT_EQ(r.status, 405);
  EXPECT_TRUE(json::parse(r.body).contains("error"));
}

}  // namespace
}  // namespace hub::webhooks::test
