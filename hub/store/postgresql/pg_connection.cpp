#include "hub/store/postgresql/pg_connection.h"

#include <charconv>
#include <chrono>

namespace hub::store::pg {
namespace {

// SQLSTATE classes that may pass by themselves: the connection (08), a
// conflict with another transaction (40), the server's resources (53), an
// operator or timeout cancelling the statement (57), a lock not available
// (55P03) and system errors (58).
bool transient(std::string_view state) {
  if (state.size() != 5) return true;  // no SQLSTATE: libpq lost the server
  const std::string_view cls = state.substr(0, 2);
  return cls == "08" || cls == "40" || cls == "53" || cls == "57" || cls == "58" || state == "55P03";
}

std::string firstLine(const char* message) {
  std::string m = message ? message : "";
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  const auto nl = m.find('\n');
  return nl == std::string::npos ? m : m.substr(0, nl);
}

}  // namespace

std::string textArray(const std::vector<std::string>& values) {
  // Every element quoted, so no value is read as NULL or split at a comma.
  std::string out = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    out += i ? ",\"" : "\"";
    for (char ch : values[i]) {
      if (ch == '"' || ch == '\\') out += '\\';
      out += ch;
    }
    out += '"';
  }
  return out + "}";
}

std::string bigintArray(const std::vector<std::int64_t>& values) {
  std::string out = "{";
  for (std::size_t i = 0; i < values.size(); ++i) out += (i ? "," : "") + std::to_string(values[i]);
  return out + "}";
}

std::string describeServer(const std::string& url) {
  PQconninfoOption* options = PQconninfoParse(url.c_str(), nullptr);
  if (!options) return "postgresql (unparsable URL)";
  std::string host = "localhost", port = "5432", db;
  for (auto* o = options; o->keyword; ++o) {
    if (!o->val) continue;
    const std::string_view k = o->keyword;
    if (k == "host" || k == "hostaddr") host = o->val;
    else if (k == "port") port = o->val;
    else if (k == "dbname") db = o->val;
  }
  PQconninfoFree(options);
  return "postgresql://" + host + ":" + port + "/" + db;
}

std::int64_t Result::i64(int row, int col) const {
  const char* v = PQgetvalue(r_, row, col);
  const auto len = static_cast<std::size_t>(PQgetlength(r_, row, col));
  std::int64_t out = 0;
  const auto [end, ec] = std::from_chars(v, v + len, out);
  if (ec != std::errc() || end != v + len)
    throw StoreFault("store error: column " + std::to_string(col) + " holds '" + std::string(v, len) +
                     "', not an integer");
  return out;
}

std::int64_t Result::affected() const {
  const char* n = PQcmdTuples(r_);
  std::int64_t out = 0;
  if (n && *n) std::from_chars(n, n + std::char_traits<char>::length(n), out);
  return out;
}

Connection::Connection(const ConnectionOptions& o) : server_(describeServer(o.url)) {
  const std::string timeout = std::to_string(std::max<Millis>(1, o.connect_timeout / 1000));
  // The URL is expanded in place (expand_dbname); a password given apart
  // overrides one in the URL; the application name shows hub connections in
  // pg_stat_activity.
  std::vector<const char*> keys = {"dbname", "connect_timeout", "application_name"};
  std::vector<const char*> values = {o.url.c_str(), timeout.c_str(), "hub"};
  if (!o.password.empty()) keys.push_back("password"), values.push_back(o.password.c_str());
  keys.push_back(nullptr);
  values.push_back(nullptr);
  conn_ = PQconnectdbParams(keys.data(), values.data(), 1);
  if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
    const std::string why = conn_ ? firstLine(PQerrorMessage(conn_)) : "out of memory";
    if (conn_) PQfinish(conn_);
    conn_ = nullptr;
    throw StoreUnavailable("store unavailable: cannot connect to " + server_ + ": " + why);
  }
  // Custom plans only: a prepared statement's generic plan is kept once
  // chosen, and chosen while the queue is small (a fresh store: seq scans are
  // cheapest), it stays a seq scan at a million rows until statistics are
  // taken. Planning these short statements each time costs microseconds; a
  // stale plan cost milliseconds per call (measured: xref look-ups 3-8 ms at
  // 100 000 rows, 0.05 ms planned afresh).
  script("SET statement_timeout = " + std::to_string(o.statement_timeout) +
         "; SET client_min_messages = warning; SET TIME ZONE 'UTC'; SET plan_cache_mode = force_custom_plan");
}

Connection::~Connection() {
  if (conn_) PQfinish(conn_);
}

bool Connection::broken() const { return !conn_ || PQstatus(conn_) != CONNECTION_OK; }

void Connection::rollbackQuietly() {
  if (broken()) return;
  if (PQtransactionStatus(conn_) == PQTRANS_IDLE) return;
  PQclear(PQexec(conn_, "ROLLBACK"));
}

void Connection::fail(PGresult* r, std::string_view what) {
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  const std::string code = state ? state : "";
  std::string message = firstLine(r ? PQresultErrorMessage(r) : PQerrorMessage(conn_));
  if (message.empty()) message = firstLine(PQerrorMessage(conn_));
  if (r) PQclear(r);
  const std::string text = std::string(what) + " on " + server_ + ": " + message + (code.empty() ? "" : " [" + code + "]");
  if (code == "40001" || code == "40P01") throw TransactionConflict(text);
  if (broken() || transient(code)) throw StoreUnavailable("store unavailable: " + text);
  throw StoreFault("store error: " + text);
}

Result Connection::run(std::string_view sql, const std::vector<Param>& params) {
  if (broken()) throw StoreUnavailable("store unavailable: the connection to " + server_ + " was lost");
  std::string key(sql);
  auto it = prepared_.find(key);
  if (it == prepared_.end()) {
    const std::string name = "s" + std::to_string(prepared_.size());
    PGresult* r = PQprepare(conn_, name.c_str(), key.c_str(), 0, nullptr);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) fail(r, "prepare '" + key.substr(0, 60) + "'");
    PQclear(r);
    it = prepared_.emplace(std::move(key), name).first;
  }
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  PGresult* r = PQexecPrepared(conn_, it->second.c_str(), static_cast<int>(values.size()), values.data(), nullptr,
                               nullptr, 0);
  const auto status = PQresultStatus(r);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(r, "statement '" + it->first.substr(0, 60) + "'");
  return Result(r);
}

Result Connection::runPlanned(std::string_view sql, const std::vector<Param>& params) {
  if (broken()) throw StoreUnavailable("store unavailable: the connection to " + server_ + " was lost");
  const std::string text(sql);
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  PGresult* r = PQexecParams(conn_, text.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr,
                             nullptr, 0);
  const auto status = PQresultStatus(r);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(r, "statement '" + text.substr(0, 60) + "'");
  return Result(r);
}

void Connection::script(const std::string& sql) {
  if (broken()) throw StoreUnavailable("store unavailable: the connection to " + server_ + " was lost");
  PGresult* r = PQexec(conn_, sql.c_str());
  const auto status = PQresultStatus(r);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(r, "script");
  PQclear(r);
}

Pool::Pool(ConnectionOptions options, std::size_t size)
    : options_(std::move(options)), server_(describeServer(options_.url)), size_(std::max<std::size_t>(1, size)) {}

Pool::~Pool() { close(); }

Pool::Lease Pool::acquire() {
  std::unique_lock lock(mutex_);
  const auto until = std::chrono::steady_clock::now() +
                     std::chrono::milliseconds(std::max<Millis>(1000, options_.statement_timeout));
  while (true) {
    if (closed_) throw StoreUnavailable("store unavailable: the store was closed");
    if (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(c));
    }
    if (open_ < size_) {
      ++open_;
      lock.unlock();
      try {
        return Lease(*this, std::make_unique<Connection>(options_));
      } catch (...) {
        lock.lock();
        --open_;
        freed_.notify_one();
        throw;
      }
    }
    if (freed_.wait_until(lock, until) == std::cv_status::timeout && idle_.empty() && open_ >= size_)
      throw StoreUnavailable("store unavailable: all " + std::to_string(size_) + " connections to " + server_ +
                             " stayed busy");
  }
}

void Pool::giveBack(std::unique_ptr<Connection> c) {
  std::lock_guard lock(mutex_);
  // A broken connection is dropped; the next acquire() opens a new one, which
  // is how the store reconnects after the server restarted.
  if (c->broken() || closed_) {
    --open_;
  } else {
    idle_.push_back(std::move(c));
  }
  freed_.notify_one();
}

void Pool::close() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  open_ -= idle_.size();
  idle_.clear();
  freed_.notify_all();
}

}  // namespace hub::store::pg
