#include "tests/support/postgres.h"

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <stdexcept>

#include "tests/support/paths.h"

namespace hub::test::pg {
namespace {

std::filesystem::path stateDir() { return binaryDir() / "tests" / "pg"; }

std::string firstLine(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  return line;
}

std::string withDatabase(const std::string& url, const std::string& db) {
  const auto slash = url.rfind('/');
  return url.substr(0, slash + 1) + db;
}

}  // namespace

std::optional<std::string> serverUrl() {
  if (const char* env = std::getenv("HUB_TEST_PG_URL"); env && *env) return std::string(env);
  const std::string url = firstLine(stateDir() / "url");
  if (url.empty()) return std::nullopt;
  return url;
}

std::string skipReason() {
  const std::string why = firstLine(stateDir() / "skipped");
  return why.empty() ? "no PostgreSQL test cluster: the ctest fixture postgresql_cluster_start did not run (" +
                           (stateDir() / "url").string() + " is missing)"
                     : why;
}

std::string binDir() { return firstLine(stateDir() / "bin_dir"); }
std::string dataDir() { return firstLine(stateDir() / "data_dir") + "/data"; }

void execute(const std::string& sql) {
  const auto url = serverUrl();
  if (!url) throw std::runtime_error(skipReason());
  PGconn* c = PQconnectdb(url->c_str());
  if (PQstatus(c) != CONNECTION_OK) {
    const std::string why = PQerrorMessage(c);
    PQfinish(c);
    throw std::runtime_error("cannot reach the test cluster: " + why);
  }
  PQsetNoticeProcessor(c, [](void*, const char*) {}, nullptr);  // "does not exist, skipping"
  PGresult* r = PQexec(c, sql.c_str());
  const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
  const std::string why = ok ? "" : PQresultErrorMessage(r);
  PQclear(r);
  PQfinish(c);
  if (!ok) throw std::runtime_error(sql + ": " + why);
}

Database::Database() {
  static std::atomic<int> counter{0};
  name_ = "hub_t" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
  execute("DROP DATABASE IF EXISTS " + name_);
  execute("CREATE DATABASE " + name_);
  url_ = withDatabase(*serverUrl(), name_);
}

Database::~Database() {
  try {
    execute("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (...) {
    // A test that stopped the server leaves its database to the cluster's removal.
  }
}

}  // namespace hub::test::pg
