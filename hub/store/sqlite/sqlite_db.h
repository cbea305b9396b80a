#pragma once
// One SQLite connection: opened and owned by Poco::Data::SQLite, used through
// cached prepared statements on its handle (Poco's Statement re-prepares on
// every execution, which the queue's hot path cannot afford). All access is
// serialised by one mutex; write transactions are BEGIN IMMEDIATE so two
// processes never deadlock upgrading a read lock.
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

#include "hub/store/errors.h"

namespace hub::store::sqlite {

class Statement {
 public:
  explicit Statement(sqlite3_stmt* stmt, bool owned = false) : stmt_(stmt), owned_(owned) {}
  Statement(Statement&& o) noexcept : stmt_(o.stmt_), owned_(o.owned_) { o.stmt_ = nullptr; }
  Statement(const Statement&) = delete;
  ~Statement();

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, std::size_t value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, double value);
  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Statement& bindNull(int index);
  // Binds an empty string as NULL.
  Statement& bindOptional(int index, std::string_view value) { return value.empty() ? bindNull(index) : bind(index, value); }

  template <class... Args>
  Statement& args(const Args&... values) {
    int i = 1;
    (bind(i++, values), ...);
    return *this;
  }

  bool step();  // true while a row is available
  void run();   // step to completion, ignoring rows

  std::int64_t i64(int col) const { return sqlite3_column_int64(stmt_, col); }
  double f64(int col) const { return sqlite3_column_double(stmt_, col); }
  std::string text(int col) const;
  bool isNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

 private:
  sqlite3_stmt* stmt_;
  bool owned_ = false;  // finalized on destruction instead of returned to the cache
};

struct DbOptions {
  std::string path;
  bool synchronous_full = true;
  std::int64_t busy_timeout_ms = 5000;
};

class SqliteDb {
 public:
  explicit SqliteDb(const DbOptions& options);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;

  // Callers hold lock() while using statements.
  std::unique_lock<std::recursive_mutex> lock() { return std::unique_lock(mutex_); }
  Statement prepare(std::string_view sql);
  // For statements whose text varies (filters with id lists): not cached.
  Statement prepareUncached(std::string_view sql);
  void exec(const std::string& sql);
  std::int64_t lastInsertId();
  int changes();
  sqlite3* handle() const { return db_; }

  template <class F>
  auto transaction(F&& body) -> decltype(body()) {
    auto guard = lock();
    exec("BEGIN IMMEDIATE");
    try {
      if constexpr (std::is_void_v<decltype(body())>) {
        body();
        exec("COMMIT");
      } else {
        auto result = body();
        exec("COMMIT");
        return result;
      }
    } catch (...) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }

  template <class F>
  auto read(F&& body) -> decltype(body()) {
    auto guard = lock();
    return body();
  }

  void close();
  const std::string& path() const { return path_; }

 private:
  struct PocoSession;
  std::unique_ptr<PocoSession> session_;
  sqlite3* db_ = nullptr;
  std::string path_;
  std::recursive_mutex mutex_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

// Throws the store's typed error for an SQLite result code: StoreUnavailable
// for what may pass (busy, locked, full, I/O), StoreFault for the rest.
[[noreturn]] void fail(sqlite3* db, int code, std::string_view what);
[[noreturn]] void failWith(int code, const std::string& message);

}  // namespace hub::store::sqlite
