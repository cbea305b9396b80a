#pragma once
#include <gtest/gtest.h>

#include <memory>

#include <nlohmann/json.hpp>

#include "hub/core/digest.h"
#include "hub/store/store.h"
#include "tests/support/temp_dir.h"

namespace hub::test {

inline store::IncomingRecord record(const std::string& key, const std::string& payload = "",
                                    const std::string& remoteId = "") {
  const std::string body = payload.empty() ? "{\"id\":\"" + key + "\"}" : payload;
  return {key, 0, remoteId, body, digest::sha256Hex(body), ""};
}

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override { store = store::openStore({"sqlite", dir.file("hub.db"), true, 5000, ""}); }

  store::PageCommit page(std::vector<store::IncomingRecord> records, std::vector<std::string> targets = {"t"}) {
    store::PageCommit p;
    p.flow = "f";
    p.entity = "order";
    p.source_system = "src";
    p.targets = std::move(targets);
    p.records = std::move(records);
    p.now = now;
    return p;
  }
  std::vector<store::QueueItem> lease(std::size_t limit = 10, const std::string& owner = "w1",
                                      const std::string& target = "t") {
    return store->queue().lease({"f", target, limit, owner, now, 60000});
  }
  store::Completion completion(std::vector<store::ItemOutcome> outcomes, const std::string& owner = "w1") {
    return {"f", "t", owner, "order", "dst", std::move(outcomes), now};
  }
  static store::ItemOutcome delivered(store::Id id, const std::string& remote = "R", const std::string& hash = "h") {
    store::ItemOutcome o;
    o.id = id;
    o.verdict = store::Verdict::Delivered;
    o.remote_id = remote;
    o.mapped_hash = hash;
    o.attempt_detail = R"({"verdict":"delivered"})";
    return o;
  }
  static store::ItemOutcome failed(store::Id id, store::Verdict v, const std::string& msg) {
    store::ItemOutcome o;
    o.id = id;
    o.verdict = v;
    o.failure = {"push", "http_400", 400, msg, "{\"error\":\"bad\"}"};
    o.attempt_detail = R"({"verdict":"failed"})";
    return o;
  }

  TempDir dir;
  std::unique_ptr<store::Store> store;
  Millis now = 1700000000000;
};

}  // namespace hub::test
