#pragma once
// The example landscape as real processes: `hub-sim kingdee`, `hub-sim dms`
// (sending signed webhooks to the hub) and `hub serve` with a copy of
// deploy/examples/landscape.yaml whose ports, paths and intervals are made
// test-sized, and a copy of the shipped mappings (so a test may break and fix one).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "hub/store/store.h"
#include "tests/support/child_process.h"
#include "tests/support/postgres.h"
#include "tests/support/temp_dir.h"

namespace hub::test::landscape {

using nlohmann::json;

// What the simulators hold, fetched through their APIs.
struct Snapshot {
  std::map<std::string, json> dms_customers, dms_products, dms_stock, dms_invoices, dms_orders;  // by business key
  std::map<std::string, json> kd_customers, kd_materials, kd_orders, kd_outbound, kd_invoices;  // by number
  std::vector<json> kd_stock;
};

class LandscapeTest : public ::testing::Test {
 protected:
  static constexpr const char* kSeed = "7";
  static constexpr const char* kScale = "0.1";  // 30 dealers, 20 products, 200 orders, 40 shipments, 20 invoices
  static constexpr const char* kWebhookSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  void SetUp() override;
  void TearDown() override;

  // `hub <args> --config <landscape>`; exit code and output.
  struct Cli {
    int code = -1;
    std::string out, err;
  };
  Cli hub(std::vector<std::string> args);

  json dmsGet(const std::string& pathAndQuery);
  json dmsPost(const std::string& path, const json& body);
  std::vector<json> dmsAll(const std::string& collection);
  json kingdeeAdmin(const std::string& path);
  json dmsAdmin(const std::string& path);
  Snapshot snapshot();

  // "" when every flow has converged, else what is still missing.
  std::string divergence();
  // Waits until divergence() is "" (or gives up after `seconds`); returns the last divergence.
  std::string awaitConvergence(int seconds = 90);
  std::int64_t openDeadLetters();
  std::string mappingPath(const std::string& name) const { return dir.file("mappings/" + name + ".yaml"); }

  // Set before SetUp() (a subclass): the landscape runs `nodes` hubs on
  // this PostgreSQL database instead of one on SQLite.
  std::unique_ptr<pg::Database> database;
  int nodes = 1;

  TempDir dir;
  std::unique_ptr<ChildProcess> kingdee, dms, hubServe;
  std::vector<std::unique_ptr<ChildProcess>> moreNodes;
  std::string kingdeeUrl, kingdeeRoot, dmsUrl, hubUrl, config;
  std::unique_ptr<store::Store> store;
  const std::vector<std::string> flows = {"customers", "materials", "orders", "stock",
                                          "shipments", "invoices-special", "invoices-ordinary"};
};

}  // namespace hub::test::landscape
