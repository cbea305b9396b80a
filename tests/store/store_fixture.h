#pragma once
#include <gtest/gtest.h>

#include <memory>

#include <nlohmann/json.hpp>

#include "hub/core/digest.h"
#include "hub/store/store.h"
#include "tests/support/postgres.h"
#include "tests/support/temp_dir.h"

namespace hub::test {

inline store::IncomingRecord record(const std::string& key, const std::string& payload = "",
                                    const std::string& remoteId = "") {
  const std::string body = payload.empty() ? "{\"id\":\"" + key + "\"}" : payload;
  return {key, 0, remoteId, body, digest::sha256Hex(body), ""};
}

// The store contract: every test of a StoreTest suite runs once per backend
// (INSTANTIATE_STORE_CONTRACT), SQLite on a temp file and PostgreSQL on a
// fresh database of the suite's cluster.
class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgresql") {
      HUB_REQUIRE_POSTGRESQL();
      database = std::make_unique<pg::Database>();
    }
    store = openAnother();
  }
  // A second handle on the same store (another process, another node).
  std::unique_ptr<store::Store> openAnother() {
    if (!database) return store::openStore(store::sqliteAt(dir.file("hub.db")));
    store::StoreOptions o;
    o.driver = "postgresql";
    o.url = database->url();
    o.pool = 4;
    return store::openStore(o);
  }

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
  std::unique_ptr<pg::Database> database;
  std::unique_ptr<store::Store> store;
  Millis now = 1700000000000;
};

inline std::string backendName(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

}  // namespace hub::test

#define INSTANTIATE_STORE_CONTRACT(Suite) \
  INSTANTIATE_TEST_SUITE_P(Backends, Suite, ::testing::Values("sqlite", "postgresql"), ::hub::test::backendName)
