// Webhook intake beyond the R6 table: 16 concurrent connections, the body
// limit at 1 MiB and one byte over it (answered before the body is read),
// notify mode starting pulls, one log line per delivery without secrets,
// reload of secrets, and the shared vectors replayed over HTTP.
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <fstream>
#include <set>
#include <thread>

#include "hub/core/redaction.h"
#include "tests/support/paths.h"
#include "tests/webhooks/intake_fixture.h"

namespace hub::webhooks::test {
namespace {

using hub::test::eventually;

std::string order(const std::string& key, int qty = 1) { return json{{"id", key}, {"qty", qty}}.dump(); }

TEST_F(IntakeTest, SixteenConcurrentConnectionsEachIdAcceptedOnceThenDelivered) {
  startHub();
  ASSERT_FALSE(HasFatalFailure());
  constexpr int kThreads = 16, kPerThread = 25;
  // Threads t and t+8 send the same deliveries at the same time: a retry
  // racing its original. Exactly one of each pair may be accepted.
  std::vector<std::map<int, int>> statuses(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string key = "SO-" + std::to_string(t % 8) + "-" + std::to_string(i);
        const std::string body = order(key, i);
        const auto r = post("orders", body, standard(kNew, "burst-" + key, body));
        ++statuses[t][r.status];
      }
    });
  }
  for (auto& th : threads) th.join();
  std::map<int, int> total;
  for (const auto& s : statuses)
    for (const auto& [status, n] : s) total[status] += n;
  EXPECT_EQ(total[202], 8 * kPerThread) << "one acceptance per delivery id";
  EXPECT_EQ(total[409], 8 * kPerThread) << "its racing twin is told it is a duplicate";
  EXPECT_EQ(total[202] + total[409], kThreads * kPerThread) << "no other answers";
  const Rows r = rows();
  EXPECT_EQ(r.queue, 8 * kPerThread);
  EXPECT_EQ(r.deliveries, 8 * kPerThread);
  ASSERT_TRUE(eventually([&] { return dst->stored().size() == 8u * kPerThread; })) << dst->stored().size();
  EXPECT_EQ(dst->created(), 8u * kPerThread) << "no record created twice";
}

TEST_F(IntakeTest, BodyOfExactlyOneMebibyteIsAccepted) {
  startHub();
  const std::string head = R"({"id":"BIG","pad":")";
  const std::string tail = R"("})";
  const std::string atLimit = head + std::string((1 << 20) - head.size() - tail.size(), 'x') + tail;
  ASSERT_EQ(atLimit.size(), 1u << 20);
  auto ok = post("orders", atLimit, standard(kNew, "big-1", atLimit));
  EXPECT_EQ(ok.status, 202) << ok.body;
}

// 1 MiB + 1 byte, signed: the 413 comes back as soon as the head is read,
// before any of the body is sent, so the server never buffers it; sending the
// body afterwards changes nothing. (The answer is read before the body goes
// out because the server closes without draining it, and a reset could
// otherwise overtake the answer.)
TEST_F(IntakeTest, OneMebibytePlusOneByteIs413BeforeTheBodyIsReadAndStoresNothing) {
  startHub();
  const std::string body = R"({"id":"BIG2","pad":")" + std::string((1 << 20) + 1 - 22, 'y') + R"("})";
  ASSERT_EQ(body.size(), (1u << 20) + 1);
  const Rows before = rows();
  Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(server->port())));
  socket.setReceiveTimeout(Poco::Timespan(5, 0));
  std::string head = "POST /webhooks/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
  for (const auto& [k, v] : standard(kNew, "big-2", body)) head += k + ": " + v + "\r\n";
  head += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  socket.sendBytes(head.data(), static_cast<int>(head.size()));
  std::string answer;
  char buf[4096];
  while (answer.find("\r\n\r\n") == std::string::npos) {
    const int n = socket.receiveBytes(buf, sizeof buf);
    if (n <= 0) break;
    answer.append(buf, static_cast<std::size_t>(n));
  }
  EXPECT_EQ(answer.rfind("HTTP/1.1 413", 0), 0u) << answer;
  EXPECT_NE(answer.find("application/json"), std::string::npos) << answer;
  try {
    socket.sendBytes(body.data(), static_cast<int>(body.size()));
  } catch (const Poco::Exception&) {
    // The server closed the connection: it wanted none of it.
  }
  socket.close();
  EXPECT_EQ(rows(), before);
}

TEST_F(IntakeTest, NotifyStartsAPullOnceAndTheRetryStartsNothing) {
  startHub();
  src->put("N-1", 1767225600000, {{"id", "N-1"}, {"qty", 4}});
  const auto first = post("pings", "{}", standard(kNew, "ping-1", "{}"));
  ASSERT_EQ(first.status, 202) << first.body;
  EXPECT_EQ(json::parse(first.body)["trigger"], "started");
  ASSERT_TRUE(eventually([&] { return dst->stored().count("N-1") == 1; })) << "the pull fetched and delivered N-1";
  const auto pulls = src->pulls();
  const auto again = post("pings", "{}", standard(kNew, "ping-1", "{}"));
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(json::parse(again.body)["duplicate"], true);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(src->pulls(), pulls) << "a replayed notification starts no pull";
}

TEST_F(IntakeTest, PausedFlowStillQueuesPayloadsAndSaysSoForNotify) {
  startHub();
  engine->setPaused("orders", true);
  engine->setPaused("pings", true);
  EXPECT_EQ(post("orders", order("P-1"), standard(kNew, "pp-1", order("P-1"))).status, 202);
  const auto n = post("pings", "{}", standard(kNew, "pp-2", "{}"));
  EXPECT_EQ(n.status, 202);
  EXPECT_EQ(json::parse(n.body)["trigger"], "paused");
  EXPECT_EQ(rows().queue, 1) << "queued, waiting for resume";
}

TEST_F(IntakeTest, OneLogLinePerDeliveryWithFlowIdAndResultAndNeverASecret) {
  startHub();
  Redactor::global().clear();  // prove the lines are clean by construction, not by masking
  std::mutex m;
  std::vector<std::string> lines;
  log::setSink([&](std::string_view line) {
    std::lock_guard lock(m);
    lines.emplace_back(line);
  });
  post("orders", order("L-1"), standard(kNew, "log-1", order("L-1")));
  post("orders", order("L-2"), standard("whsec_" + digest::base64("intruder"), "log-2", order("L-2")));
  post("gh", order("L-3"), github(kGithub, order("L-3"), "log-3"));
  post("unknown-flow", "{}", {});
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  log::resetSink();
  std::lock_guard lock(m);
  std::vector<json> deliveries;
  for (const auto& l : lines) {
    for (const auto& secret : {kOld, kNew, kGithub, kStripe})
      EXPECT_EQ(l.find(secret), std::string::npos) << "secret in log: " << l;
    EXPECT_EQ(l.find(signHmac(kGithub, order("L-3"), "")), std::string::npos) << "signature in log: " << l;
    const auto j = json::parse(l);
    if (j["event"] == "webhook_delivery") deliveries.push_back(j);
  }
  ASSERT_EQ(deliveries.size(), 4u);
  std::set<std::string> seen;
  for (const auto& d : deliveries) {
    EXPECT_TRUE(d.contains("flow") && d.contains("delivery_id") && d.contains("result") && d.contains("status")) << d;
    seen.insert(d["flow"].get<std::string>() + "/" + d["delivery_id"].get<std::string>() + "/" +
                d["result"].get<std::string>());
  }
  EXPECT_TRUE(seen.count("orders/log-1/accepted"));
  EXPECT_TRUE(seen.count("orders/log-2/bad_signature")) << "the claimed id is logged for support";
  EXPECT_TRUE(seen.count("gh/log-3/accepted"));
  EXPECT_TRUE(seen.count("unknown-flow//unknown_flow"));
}

TEST_F(IntakeTest, ReloadedSecretsApplyToTheNextDelivery) {
  startHub();
  const std::string rotated = "whsec_" + digest::base64("third-key-after-rotation!");
  EXPECT_EQ(post("orders", order("R-1"), standard(kNew, "rl-1", order("R-1"))).status, 202);
  const std::string yaml = "store:\n  path: " + dir.file("hub.db") +
                           "\nconnectors:\n  - {name: src, type: memory, system: " + srcName +
                           "}\n  - {name: dst, type: memory, system: " + dstName + "}\nflows:\n" +
                           flowBlock("orders", "webhook: {secret: '" + rotated + "'}");
  auto loaded = config::parseConfig(yaml, "hub.yaml", dir.path().string(), hub::test::testRegistry());
  ASSERT_TRUE(loaded);
  auto scape = engine::Landscape::build(*loaded, hub::test::testRegistry());
  ASSERT_TRUE(scape);
  engine->replaceLandscape(*scape);
  EXPECT_EQ(post("orders", order("R-2"), standard(kNew, "rl-2", order("R-2"))).status, 401);
  EXPECT_EQ(post("orders", order("R-3"), standard(rotated, "rl-3", order("R-3"))).status, 202);
  EXPECT_EQ(post("gh", order("R-4"), github(kGithub, order("R-4"), "rl-4")).status, 404)
      << "flow removed by the reload";
}

// The shared vectors, posted as a sender would, with the intake's clock pinned
// to each row's timestamp (notify flows, so bodies without record keys pass).
TEST_F(IntakeTest, SharedVectorsAreAcceptedOverHttp) {
  HUB_REQUIRE_SHARED(shared);
  std::ifstream in(shared / "protocols" / "vectors.json");
  const auto vectors = json::parse(in);
  auto list = [](const json& rows, const std::set<std::string>& skip = {}) {
    std::set<std::string> secrets;
    for (const auto& r : rows)
      if (!skip.count(r["secret"])) secrets.insert(r["secret"].get<std::string>());
    std::string out;
    for (auto s : secrets) {
      for (std::size_t q = s.find('\''); q != std::string::npos; q = s.find('\'', q + 2)) s.insert(q, "'");  // YAML ''
      out += (out.empty() ? "'" : ", '") + s + "'";
    }
    return out;
  };
  startHub(flowBlock("std", "webhook: {mode: notify, secrets: [" + list(vectors["standard_webhooks"]) + "]}") +
           flowBlock("gh", "webhook: {mode: notify, scheme: hmac, secrets: [" + list(vectors["github"]) + "]}") +
           flowBlock("stripe", "webhook: {mode: notify, scheme: stripe, secrets: [" + list(vectors["stripe"]) + "]}"));
  ASSERT_FALSE(HasFatalFailure());
  int posted = 0;
  for (const auto& row : vectors["standard_webhooks"]) {
    clock.pin(row["webhook-timestamp"].get<Millis>() * 1000 + 250);
    const auto r = post("std", row["body"],
                        {{"webhook-id", row["webhook-id"]},
                         {"webhook-timestamp", std::to_string(row["webhook-timestamp"].get<long long>())},
                         {"webhook-signature", row["webhook-signature"]}});
    EXPECT_EQ(r.status, 202) << row["webhook-id"] << ": " << r.body;
    ++posted;
  }
  clock.release();
  for (const auto& row : vectors["github"]) {
    const std::string body = row["body"];
    if (!json::accept(body)) continue;  // "Hello, World!" is checked by the pure test
    const auto r = post("gh", body, {{"X-Hub-Signature-256", row["X-Hub-Signature-256"]}});
    EXPECT_EQ(r.status, 202) << body << ": " << r.body;
    ++posted;
  }
  for (const auto& row : vectors["stripe"]) {
    clock.pin(row["t"].get<Millis>() * 1000);
    const auto r = post("stripe", row["body"], {{"Stripe-Signature", row["header"]}});
    EXPECT_EQ(r.status, 202) << row["header"] << ": " << r.body;
    const auto replay = post("stripe", row["body"], {{"Stripe-Signature", row["header"]}});
    EXPECT_EQ(replay.status, 409) << "the event id (or body hash) dedupes";
    ++posted;
  }
  clock.release();
  EXPECT_EQ(rows().deliveries, posted);
}

}  // namespace
}  // namespace hub::webhooks::test
