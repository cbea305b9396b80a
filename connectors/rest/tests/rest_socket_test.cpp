// The rest connector against the collection API over loopback: what the
// contract suite does not pin down (auth on the wire, paging styles, batch
// mode, update path, partial batches).
#include <gtest/gtest.h>

#include <set>

#include "connectors/rest/rest_connector.h"
#include "connectors/rest/tests/collection_server.h"
#include "connectors/spi/errors.h"

namespace hub::test {
namespace {

using nlohmann::json;
using connector::Disposition;

class RestSocket : public ::testing::Test {
 protected:
  std::unique_ptr<connector::Connector> connect(json settings = json::object()) {
    settings["base_url"] = server.baseUrl();
    if (!settings.contains("timeout")) settings["timeout"] = "2s";
    connector::ConnectorContext ctx;
    ctx.observe_http = [this](const connector::HttpObservation& o) { observed.push_back(o); };
    return connector::rest::connectorType().create(ctx, settings);
  }
  std::set<std::string> pullKeys(connector::Connector& c, const json& options, std::size_t pageSize, int* pages = nullptr) {
    auto source = c.openSource("items", options);
    std::set<std::string> keys;
    connector::ScanRequest req{0, "", pageSize};
    for (int i = 0; i < 50; ++i) {
      const auto page = source->pull(req);
      for (const auto& r : page.records) keys.insert(r.key);
      if (pages) ++*pages;
      if (page.done) break;
      req.resume = page.resume;
    }
    return keys;
  }
  connector::OutboundRecord outbound(const std::string& key, json doc, std::string remote = {}) {
    connector::OutboundRecord r;
    r.key = key;
    r.idempotency_key = "idem-" + key;
    r.document = std::move(doc);
    r.known_remote_id = std::move(remote);
    return r;
  }
  void seed(int n) {
    for (int i = 0; i < n; ++i) server.put("K-" + std::to_string(100 + i), 1700000000000 + i);
  }
  CollectionServer server;
  std::vector<connector::HttpObservation> observed;
};

TEST_F(RestSocket, HmacSignedCallsPassAVerifyingServer) {
  server.requireHmac("hub-rest-secret");
  seed(3);
  auto c = connect({{"auth", {{"type", "hmac"}, {"secret", "hub-rest-secret"}}}});
  EXPECT_EQ(pullKeys(*c, {{"path", "/items"}, {"key", "code"}}, 10).size(), 3u);
}

TEST_F(RestSocket, WrongHmacSecretIsAPermanentAuthError) {
  server.requireHmac("hub-rest-secret");
  auto c = connect({{"auth", {{"type", "hmac"}, {"secret", "guess"}}}});
  auto source = c->openSource("items", {{"path", "/items"}});
  try {
    source->pull({0, "", 10});
    FAIL() << "no error";
  } catch (const connector::PermanentError& e) {
    EXPECT_EQ(e.error_type, "auth");
  }
}

TEST_F(RestSocket, ApiKeyHeaderReachesTheServer) {
  server.requireHeader("X-Api-Key", "k-1");
  seed(1);
  auto c = connect({{"auth", {{"type", "api_key"}, {"header", "X-Api-Key"}, {"value", "k-1"}}}});
  EXPECT_EQ(pullKeys(*c, {{"path", "/items"}, {"key", "code"}}, 10).size(), 1u);
}

TEST_F(RestSocket, PagePagingReadsEveryItemOnce) {
  seed(23);
  auto c = connect();
  int pages = 0;
  EXPECT_EQ(pullKeys(*c, {{"path", "/items"}, {"key", "code"}, {"paging", "page"}}, 5, &pages).size(), 23u);
  EXPECT_EQ(pages, 5);
}

TEST_F(RestSocket, OffsetPagingReadsEveryItemOnce) {
  seed(20);
  auto c = connect();
  int pages = 0;
  EXPECT_EQ(pullKeys(*c, {{"path", "/items"}, {"key", "code"}, {"paging", "offset"}}, 5, &pages).size(), 20u);
  EXPECT_EQ(pages, 5);  // the fifth page is empty and ends the scan
}

TEST_F(RestSocket, ArrayBatchAnswersPerRecordOutcomes) {
  auto c = connect();
  auto sink = c->openSink("items", {{"path", "/items/batch"}, {"batch", "array"}});
  std::vector<connector::OutboundRecord> batch = {outbound("B-1", {{"code", "B-1"}, {"name", "甲"}}),
                                                  outbound("B-2", {{"code", "B-2"}}),
                                                  outbound("B-3", {{"code", "B-3"}, {"name", "丙"}})};
  const auto out = sink->push(batch);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].disposition, Disposition::Delivered);
  EXPECT_EQ(out[1].disposition, Disposition::Permanent);
  EXPECT_EQ(out[1].message, "name is required");
  EXPECT_EQ(out[2].disposition, Disposition::Delivered);
  EXPECT_EQ(server.count("B-2"), 0u);
  EXPECT_EQ(sink->push(batch)[2].remote_id, out[2].remote_id);  // replayed by idempotency key
  EXPECT_EQ(server.count("B-3"), 1u);
}

TEST_F(RestSocket, KnownRemoteIdUpdatesInsteadOfCreating) {
  auto c = connect();
  auto sink = c->openSink("items", {{"path", "/items"}, {"update_path", "/items/{id}"}});
  std::vector<connector::OutboundRecord> first = {outbound("U-1", {{"code", "U-1"}, {"name", "v1"}})};
  const auto created = sink->push(first);
  ASSERT_EQ(created.at(0).disposition, Disposition::Delivered);
  std::vector<connector::OutboundRecord> second = {
      outbound("U-1", {{"code", "U-1"}, {"name", "v2"}}, created[0].remote_id)};
  second[0].idempotency_key = "idem-U-1-v2";
  EXPECT_EQ(sink->push(second).at(0).remote_id, created[0].remote_id);
  EXPECT_EQ(server.count("U-1"), 1u);
  EXPECT_EQ(server.item(created[0].remote_id)->value("name", ""), "v2");
  EXPECT_EQ(observed.back().endpoint, "PUT /items/{id}");
}

TEST_F(RestSocket, RateLimitedCallHoldsBackTheRestOfTheBatch) {
  auto c = connect();
  auto sink = c->openSink("items", {{"path", "/items"}});
  server.inject(CollectionServer::Fault::RateLimited);
  std::vector<connector::OutboundRecord> batch = {outbound("Q-1", {{"name", "a"}}), outbound("Q-2", {{"name", "b"}})};
  const int before = server.calls();
  const auto out = sink->push(batch);
  EXPECT_EQ(server.calls() - before, 1);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1].disposition, Disposition::Retry);
  EXPECT_EQ(out[1].retry_after, 1000);
}

TEST_F(RestSocket, UnreachableTargetIsRetryableAndNotAmbiguous) {
  std::string deadUrl;
  {
    CollectionServer gone;
    deadUrl = gone.baseUrl();
  }
  connector::ConnectorContext ctx;
  auto c = connector::rest::connectorType().create(ctx, {{"base_url", deadUrl}, {"connect_timeout", "300ms"}});
  auto sink = c->openSink("items", {{"path", "/items"}});
  std::vector<connector::OutboundRecord> batch = {outbound("D-1", {{"name", "a"}}), outbound("D-2", {{"name", "b"}})};
  const auto out = sink->push(batch);
  ASSERT_EQ(out.size(), 2u);
  for (const auto& o : out) {
    EXPECT_EQ(o.disposition, Disposition::Retry);
    EXPECT_FALSE(o.ambiguous);
  }
}

}  // namespace
}  // namespace hub::test
