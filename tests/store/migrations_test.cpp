#include <sqlite3.h>

#include "tests/store/store_fixture.h"

namespace hub::test {
namespace {

int migrationRows(const std::string& path) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM schema_migrations", -1, &st, nullptr);
  sqlite3_step(st);
  const int n = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return n;
}

TEST(MigrationsTest, EmptyFileIsMigratedToTheLatestVersion) {
  TempDir dir;
  auto store = store::openStore(store::sqliteAt(dir.file("new/hub.db")));
  EXPECT_GE(store->schemaVersion(), 1);
  EXPECT_TRUE(store->integrityCheck().ok());
}

TEST(MigrationsTest, ReopeningAppliesNothingTwice) {
  TempDir dir;
  const std::string path = dir.file("hub.db");
  int version = 0;
  {
    auto store = store::openStore(store::sqliteAt(path));
    version = store->schemaVersion();
  }
  const int rows = migrationRows(path);
  {
    auto store = store::openStore(store::sqliteAt(path));
    EXPECT_EQ(store->schemaVersion(), version);
  }
  EXPECT_EQ(migrationRows(path), rows);
}

TEST(MigrationsTest, TwoStoresOnOneFileShareTheSchema) {
  TempDir dir;
  const std::string path = dir.file("hub.db");
  auto a = store::openStore(store::sqliteAt(path));
  auto b = store::openStore(store::sqliteAt(path));
  EXPECT_EQ(a->schemaVersion(), b->schemaVersion());
  a->audit().append("cli", "test", "x", "{}", 1);
  EXPECT_EQ(b->audit().list("", 10, 0).size(), 1u);
}

TEST(MigrationsTest, WriteAheadLogIsOn) {
  TempDir dir;
  const std::string path = dir.file("hub.db");
  auto store = store::openStore(store::sqliteAt(path));
  store->audit().append("cli", "test", "x", "{}", 1);
  EXPECT_TRUE(std::filesystem::exists(path + "-wal"));
}

TEST(MigrationsTest, UnwritableLocationFailsWithTheFileNamed) {
  try {
    store::openStore(store::sqliteAt("/proc/no/such/dir/hub.db"));
    FAIL() << "expected an error";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("/proc/no/such/dir"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace hub::test
