#pragma once
// Connections to one PostgreSQL server through libpq, pooled. libpq rather
// than Poco::Data::PostgreSQL: the store needs each error's SQLSTATE (a lost
// connection, a deadlock or a statement timeout may pass; a constraint or
// syntax error will not), server-side prepared statements for the queue's hot
// path and `FOR UPDATE SKIP LOCKED` results, none of which Poco 1.11's
// binding exposes. Values travel as text; the SQL casts where a type is not
// implied by the column it meets.
#include <libpq-fe.h>

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "hub/core/time.h"
#include "hub/store/errors.h"

namespace hub::store::pg {

// A parameter: text, or SQL NULL.
using Param = std::optional<std::string>;
inline Param param(std::string_view v) { return std::string(v); }
inline Param param(const std::string& v) { return v; }
inline Param param(const char* v) { return std::string(v); }
inline Param param(std::int64_t v) { return std::to_string(v); }
inline Param param(int v) { return std::to_string(v); }
inline Param param(std::size_t v) { return std::to_string(v); }
inline Param param(bool v) { return std::string(v ? "1" : "0"); }
inline Param param(const std::optional<std::string>& v) { return v; }
// Array parameters (text[], bigint[]): one statement for a whole page.
std::string textArray(const std::vector<std::string>& values);
std::string bigintArray(const std::vector<std::int64_t>& values);
// An empty string as NULL (optional columns).
inline Param orNull(const std::string& v) { return v.empty() ? Param{} : Param{v}; }

class Result {
 public:
  explicit Result(PGresult* r) : r_(r) {}
  Result(Result&& o) noexcept : r_(o.r_) { o.r_ = nullptr; }
  Result(const Result&) = delete;
  ~Result() { if (r_) PQclear(r_); }

  int rows() const { return PQntuples(r_); }
  bool empty() const { return rows() == 0; }
  bool isNull(int row, int col) const { return PQgetisnull(r_, row, col) != 0; }
  std::string text(int row, int col) const {
    return std::string(PQgetvalue(r_, row, col), static_cast<std::size_t>(PQgetlength(r_, row, col)));
  }
  // Integers the store itself wrote; a value that is not one is a fault.
  std::int64_t i64(int row, int col) const;
  // Rows an INSERT, UPDATE or DELETE touched.
  std::int64_t affected() const;

 private:
  PGresult* r_;
};

struct ConnectionOptions {
  std::string url;       // libpq connection string or URI
  std::string password;  // kept out of the URL (and so out of every message naming it)
  Millis statement_timeout = 30000;
  Millis connect_timeout = 10000;
};

// What a message may say about the server: host, port and database, never
// the user's password.
std::string describeServer(const std::string& url);

class Connection {
 public:
  explicit Connection(const ConnectionOptions& options);
  ~Connection();
  Connection(const Connection&) = delete;

  // One statement, prepared once per connection and reused.
  Result run(std::string_view sql, const std::vector<Param>& params = {});
  template <class... Args>
  Result query(std::string_view sql, const Args&... args) {
    return run(sql, std::vector<Param>{param(args)...});
  }
  // Planned afresh on every execution with its values (never a generic plan):
  // for statements over a whole page, whose best plan depends on the arrays.
  Result runPlanned(std::string_view sql, const std::vector<Param>& params);
  template <class... Args>
  Result queryPlanned(std::string_view sql, const Args&... args) {
    return runPlanned(sql, std::vector<Param>{param(args)...});
  }
  // Statements that are run once (schema changes), possibly several in one text.
  void script(const std::string& sql);
  bool broken() const;
  void rollbackQuietly();

 private:
  [[noreturn]] void fail(PGresult* r, std::string_view what);
  PGconn* conn_ = nullptr;
  std::string server_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL text -> statement name
};

// A deadlock or serialization failure: the transaction is run again.
class TransactionConflict : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Pool {
 public:
  Pool(ConnectionOptions options, std::size_t size);
  ~Pool();
  Pool(const Pool&) = delete;

  class Lease {
   public:
    Lease(Pool& pool, std::unique_ptr<Connection> c) : pool_(&pool), c_(std::move(c)) {}
    Lease(Lease&& o) noexcept = default;
    ~Lease() { if (pool_ && c_) pool_->giveBack(std::move(c_)); }
    Connection& operator*() { return *c_; }
    Connection* operator->() { return c_.get(); }

   private:
    Pool* pool_;
    std::unique_ptr<Connection> c_;
  };
  // Waits for a free connection (opening one when the pool is not full);
  // StoreUnavailable when none frees up within the statement timeout.
  Lease acquire();

  // `body(Connection&)` inside BEGIN … COMMIT; run again (up to five times) on
  // a deadlock or serialization failure, so it must only compute from its
  // captures and the database.
  template <class F>
  auto transaction(F&& body) -> decltype(body(std::declval<Connection&>()));
  // `body(Connection&)` outside an explicit transaction (one statement each).
  template <class F>
  auto read(F&& body) -> decltype(body(std::declval<Connection&>())) {
    auto c = acquire();
    try {
      return body(*c);
    } catch (const TransactionConflict& e) {
      throw StoreUnavailable(std::string("store unavailable: ") + e.what());
    }
  }
  void close();
  const std::string& server() const { return server_; }

 private:
  void giveBack(std::unique_ptr<Connection> c);
  ConnectionOptions options_;
  std::string server_;
  std::size_t size_;
  std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::size_t open_ = 0;
  bool closed_ = false;
};

template <class F>
auto Pool::transaction(F&& body) -> decltype(body(std::declval<Connection&>())) {
  for (int attempt = 1;; ++attempt) {
    auto c = acquire();
    try {
      c->run("BEGIN");
      if constexpr (std::is_void_v<decltype(body(*c))>) {
        body(*c);
        c->run("COMMIT");
        return;
      } else {
        auto result = body(*c);
        c->run("COMMIT");
        return result;
      }
    } catch (const TransactionConflict& e) {
      c->rollbackQuietly();
      if (attempt >= 5) throw StoreUnavailable(std::string("store unavailable: ") + e.what());
    } catch (...) {
      c->rollbackQuietly();
      throw;
    }
  }
}

}  // namespace hub::store::pg
