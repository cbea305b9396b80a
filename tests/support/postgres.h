#pragma once
// The suite's throw-away PostgreSQL cluster (deploy/pg_cluster.sh, a
// ctest fixture) and a fresh database per test on it. Where the cluster could
// not be started, serverUrl() is empty and skipReason() says why.
#include <optional>
#include <string>

namespace hub::test::pg {

// URL of the cluster's maintenance database (HUB_TEST_PG_URL overrides).
std::optional<std::string> serverUrl();
std::string skipReason();
// Folder of the server's binaries and data (for tests that stop and start it).
std::string binDir();
std::string dataDir();

// A database created for one test and dropped after it.
class Database {
 public:
  Database();  // throws std::runtime_error when the cluster is unreachable
  ~Database();
  Database(const Database&) = delete;
  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }

 private:
  std::string name_, url_;
};

// Runs one statement on the maintenance database; throws with the server's message.
void execute(const std::string& sql);

}  // namespace hub::test::pg

// In a test body: skips with the fixture's message when there is no cluster.
#define HUB_REQUIRE_POSTGRESQL()                                                         \
  do {                                                                                   \
    if (!::hub::test::pg::serverUrl()) GTEST_SKIP() << ::hub::test::pg::skipReason();   \
  } while (0)
