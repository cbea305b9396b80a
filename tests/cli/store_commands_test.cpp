// `hub store migrate | status | copy` and the schema check of `hub serve`,
// through the real binary.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "tests/support/child_process.h"
#include "tests/support/paths.h"
#include "tests/support/postgres.h"
#include "tests/support/temp_dir.h"

namespace hub::test {
namespace {

void sql(const std::string& path, const std::string& text) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, text.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  sqlite3_close(db);
}

class StoreCommandsTest : public ::testing::Test {
 protected:
  int hub(std::vector<std::string> args, std::string* err = nullptr, std::string* out = nullptr) {
    args.insert(args.begin(), hubBinary());
    ChildProcess p(args, {}, dir.path().string());
    const auto code = p.wait(std::chrono::seconds(30));
    if (err) *err = p.stderrText();
    if (out) *out = p.stdoutText();
    return code.value_or(-1);
  }
  // A store as the previous release left it: schema version 4.
  void makeVersion4Store() {
    ASSERT_EQ(hub({"store", "migrate", "--config", config}), 0);
    sql(dir.file("hub.db"),
        "DROP INDEX queue_active; ALTER TABLE queue DROP COLUMN awaiting_since; "
        "CREATE INDEX queue_active ON queue (state, flow, target, enqueued_at) "
        "WHERE state IN ('pending', 'leased', 'parked'); DELETE FROM schema_migrations WHERE version = 5");
  }

  TempDir dir;
  std::string config = dir.write("hub.yaml", "server: {listen: '127.0.0.1:0'}\nstore: {path: hub.db}\n");
};

TEST_F(StoreCommandsTest, ServeRefusesAnOlderSchemaAndNamesTheCommandThatMigratesIt) {
  ASSERT_NO_FATAL_FAILURE(makeVersion4Store());
  std::string err;
  EXPECT_EQ(hub({"serve", "--config", config}, &err), 1);
  EXPECT_NE(err.find("schema version 4; this hub needs 5: run `hub store migrate` first"), std::string::npos) << err;
}

TEST_F(StoreCommandsTest, MigrateBringsAnOlderSchemaToTheLatest) {
  ASSERT_NO_FATAL_FAILURE(makeVersion4Store());
  std::string out;
  EXPECT_EQ(hub({"store", "migrate", "--config", config}, nullptr, &out), 0);
  EXPECT_NE(out.find("schema version 5 (latest 5)"), std::string::npos) << out;
  std::string status;
  EXPECT_EQ(hub({"store", "status", "--config", config}, nullptr, &status), 0);
  EXPECT_NE(status.find("integrity: ok"), std::string::npos) << status;
}

TEST_F(StoreCommandsTest, StatusSaysNoHubServesAnIdleStore) {
  std::string out;
  EXPECT_EQ(hub({"store", "status", "--config", config}, nullptr, &out), 0);
  EXPECT_NE(out.find("nodes: 0 (no hub is serving this store)"), std::string::npos) << out;
}

TEST_F(StoreCommandsTest, CopyMovesASqliteStoreToPostgresql) {
  HUB_REQUIRE_POSTGRESQL();
  pg::Database target;
  ASSERT_EQ(hub({"token", "create", "--role", "viewer", "--config", config}), 0);
  std::string out, err;
  EXPECT_EQ(hub({"store", "copy", "--from", "sqlite:" + dir.file("hub.db"), "--to", target.url()}, &err, &out), 0)
      << err;
  EXPECT_NE(out.find("api_tokens          1 rows"), std::string::npos) << out;
  EXPECT_NE(out.find("done: every table has as many rows"), std::string::npos) << out;
}

TEST_F(StoreCommandsTest, CopyNamesTheFormsAStoreMayTake) {
  std::string err;
  EXPECT_EQ(hub({"store", "copy", "--from", "hub.db", "--to", "sqlite:x.db"}, &err), 2);
  EXPECT_NE(err.find("--from must be sqlite:PATH or a postgresql:// URL"), std::string::npos) << err;
}

}  // namespace
}  // namespace hub::test
