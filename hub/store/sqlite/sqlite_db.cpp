#include "hub/store/sqlite/sqlite_db.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/Session.h>

#include <filesystem>

namespace hub::store::sqlite {

void failWith(int code, const std::string& message) {
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:  // a WAL or journal file that cannot be created now
    case SQLITE_PROTOCOL:
    case SQLITE_INTERRUPT:
    case SQLITE_NOMEM:
      throw StoreUnavailable("store unavailable: " + message);
    default:
      throw StoreFault("store error: " + message);
  }
}

void fail(sqlite3* db, int code, std::string_view what) {
  failWith(code, std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(code)));
}

Statement::~Statement() {
  if (stmt_ && owned_) {
    sqlite3_finalize(stmt_);
  } else if (stmt_) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
}

Statement& Statement::bind(int i, std::int64_t v) {
  if (int rc = sqlite3_bind_int64(stmt_, i, v); rc != SQLITE_OK) fail(sqlite3_db_handle(stmt_), rc, "bind");
  return *this;
}
Statement& Statement::bind(int i, double v) {
  if (int rc = sqlite3_bind_double(stmt_, i, v); rc != SQLITE_OK) fail(sqlite3_db_handle(stmt_), rc, "bind");
  return *this;
}
Statement& Statement::bind(int i, std::string_view v) {
  if (int rc = sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT); rc != SQLITE_OK)
    fail(sqlite3_db_handle(stmt_), rc, "bind");
  return *this;
}
Statement& Statement::bindNull(int i) {
  if (int rc = sqlite3_bind_null(stmt_, i); rc != SQLITE_OK) fail(sqlite3_db_handle(stmt_), rc, "bind");
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(sqlite3_db_handle(stmt_), rc, "sqlite step");
}

void Statement::run() {
  while (step()) {
  }
}

std::string Statement::text(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  if (!p) return {};
  return std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)));
}

struct SqliteDb::PocoSession {
  explicit PocoSession(const std::string& path) : session("SQLite", path) {}
  Poco::Data::Session session;
};

SqliteDb::SqliteDb(const DbOptions& options) : path_(options.path) {
  static std::once_flag registered;
  std::call_once(registered, [] { Poco::Data::SQLite::Connector::registerConnector(); });
  const auto parent = std::filesystem::path(options.path).parent_path();
  std::error_code made;
  if (!parent.empty()) std::filesystem::create_directories(parent, made);
  if (made) throw StoreFault("cannot create the store's folder '" + parent.string() + "': " + made.message());
  try {
    session_ = std::make_unique<PocoSession>(options.path);
  } catch (const std::exception& e) {
    throw StoreFault("cannot open store '" + options.path + "': " + e.what());
  }
  db_ = Poco::Data::SQLite::Utility::dbHandle(session_->session);
  sqlite3_extended_result_codes(db_, 1);
  exec("PRAGMA busy_timeout = " + std::to_string(options.busy_timeout_ms));
  exec("PRAGMA journal_mode = WAL");
  exec(std::string("PRAGMA synchronous = ") + (options.synchronous_full ? "FULL" : "NORMAL"));
  exec("PRAGMA foreign_keys = ON");
  exec("PRAGMA temp_store = MEMORY");
  exec("PRAGMA cache_size = -16000");  // 16 MiB: bounded memory whatever the backlog
}

SqliteDb::~SqliteDb() { close(); }

void SqliteDb::close() {
  auto guard = lock();
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  cache_.clear();
  if (session_) {
    sqlite3_exec(db_, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
    session_->session.close();
    session_.reset();
    db_ = nullptr;
  }
}

Statement SqliteDb::prepare(std::string_view sql) {
  std::string key(sql);
  auto it = cache_.find(key);
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    if (int rc = sqlite3_prepare_v3(db_, key.c_str(), static_cast<int>(key.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                                    nullptr);
        rc != SQLITE_OK)
      fail(db_, rc, "prepare '" + key.substr(0, 60) + "'");
    it = cache_.emplace(std::move(key), stmt).first;
  }
  return Statement(it->second);
}

Statement SqliteDb::prepareUncached(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  if (int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr); rc != SQLITE_OK)
    fail(db_, rc, "prepare");
  return Statement(stmt, true);
}

void SqliteDb::exec(const std::string& sql) {
  char* err = nullptr;
  if (int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err); rc != SQLITE_OK) {
    std::string message = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    failWith(rc, message);
  }
}

std::int64_t SqliteDb::lastInsertId() { return sqlite3_last_insert_rowid(db_); }
int SqliteDb::changes() { return sqlite3_changes(db_); }

}  // namespace hub::store::sqlite
