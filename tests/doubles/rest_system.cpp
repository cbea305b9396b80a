#include "tests/doubles/rest_system.h"

#include <thread>

#include <chrono>

#include "hub/core/time.h"

namespace hub::test {

namespace {
std::int64_t steadyMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

sim::SimResponse error(int status, const std::string& message) {
  return sim::SimResponse::json(status, nlohmann::json{{"error", message}}.dump());
}

std::string queryValue(const std::string& query, const std::string& name, const std::string& fallback) {
  std::size_t start = 0;
  while (start < query.size()) {
    std::size_t end = query.find('&', start);
    if (end == std::string::npos) end = query.size();
    const std::string item = query.substr(start, end - start);
    const auto eq = item.find('=');
    if (item.substr(0, eq) == name) {
      std::string v = eq == std::string::npos ? "" : item.substr(eq + 1);
      std::string out;
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (v[i] == '%' && i + 2 < v.size()) {
          out += static_cast<char>(std::stoi(v.substr(i + 1, 2), nullptr, 16));
          i += 2;
        } else {
          out += v[i] == '+' ? ' ' : v[i];
        }
      }
      return out;
    }
    start = end + 1;
  }
  return fallback;
}
}  // namespace

RestSystem::RestSystem(std::uint32_t seed) : rng_(seed) {
  server_ = std::make_unique<sim::SimHttpServer>([this](const sim::SimRequest& r) { return handle(r); });
  server_->start();
}

RestSystem::~RestSystem() { server_->stop(); }

std::string RestSystem::baseUrl() const { return server_->url(); }

sim::SimResponse RestSystem::handle(const sim::SimRequest& req) {
  if (req.method == "GET" && req.path == "/orders") return list(req);
  if (req.method == "POST" && req.path == "/orders/batch") return batch(req);
  return error(404, "no route");
}

void RestSystem::put(const std::string& id, const std::string& updatedAtIso, nlohmann::json fields) {
  std::lock_guard lock(mutex_);
  if (auto it = rowTime_.find(id); it != rowTime_.end()) rows_.erase({it->second, id});
  const std::int64_t at = parseIsoInstant(updatedAtIso).value_or(0);
  fields["id"] = id;
  fields["updated_at"] = updatedAtIso;
  rows_[{at, id}] = std::move(fields);
  rowTime_[id] = at;
}

void RestSystem::setFaults(FaultMix mix) {
  std::lock_guard lock(mutex_);
  faults_ = mix;
}

void RestSystem::rejectKeys(std::set<std::string> keys) {
  std::lock_guard lock(mutex_);
  rejected_ = std::move(keys);
}

sim::SimResponse RestSystem::list(const sim::SimRequest& req) {
  std::lock_guard lock(mutex_);
  ++sourceCalls_;
  callTimes_.push_back(steadyMillis());
  const std::int64_t since = parseIsoInstant(queryValue(req.query, "updated_since", "")).value_or(0);
  const std::size_t offset = std::stoul(queryValue(req.query, "offset", "0"));
  const std::size_t limit = std::stoul(queryValue(req.query, "limit", "100"));
  nlohmann::json data = nlohmann::json::array();
  std::size_t skipped = 0;
  for (auto it = rows_.lower_bound({since, ""}); it != rows_.end() && data.size() < limit; ++it) {
    if (skipped++ < offset) continue;
    data.push_back(it->second);
  }
  return sim::SimResponse::json(200, nlohmann::json{{"data", data}}.dump());
}

void RestSystem::holdPushes(int ms) {
  std::lock_guard lock(mutex_);
  holdMs_ = ms;
}

std::size_t RestSystem::overlaps() const {
  std::lock_guard lock(mutex_);
  return overlaps_;
}

sim::SimResponse RestSystem::batch(const sim::SimRequest& req) {
  enum class Fault { None, E500, E429, Timeout, Ambiguous } fault = Fault::None;
  int slow = 0;
  {
    std::lock_guard lock(mutex_);
    ++calls_;
    callTimes_.push_back(steadyMillis());
    const int roll = std::uniform_int_distribution<int>(0, 99)(rng_);
    int edge = faults_.http500;
    if (roll < edge) fault = Fault::E500;
    else if (roll < (edge += faults_.http429)) fault = Fault::E429;
    else if (roll < (edge += faults_.timeout)) fault = Fault::Timeout;
    else if (roll < (edge += faults_.ambiguous)) fault = Fault::Ambiguous;
    slow = faults_.slow_ms;
  }
  if (fault == Fault::E500) return error(500, "internal error");
  if (fault == Fault::E429) {
    auto r = error(429, "too many requests");
    r.headers.emplace_back("Retry-After", "1");
    return r;
  }
  const auto body = nlohmann::json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.contains("records")) return error(400, "expected {\"records\":[...]}");
  nlohmann::json results = nlohmann::json::array();
  std::vector<std::string> mine;  // ids this push put in flight
  int hold = 0;
  {
    std::lock_guard lock(mutex_);
    hold = holdMs_;
    for (const auto& rec : body["records"]) {
      const std::string id = rec.value("id", "");
      if (inFlight_.insert(id).second) mine.push_back(id); else ++overlaps_;
    }
  }
  if (hold > 0) std::this_thread::sleep_for(std::chrono::milliseconds(hold));
  {
    std::lock_guard lock(mutex_);
    for (const auto& id : mine) inFlight_.erase(id);
    for (const auto& rec : body["records"]) {
      const std::string id = rec.value("id", "");
      const std::string key = rec.value("idempotency_key", "");
      if (rejected_.count(id)) {
        results.push_back({{"status", "rejected"}, {"error", "customer credit limit exceeded for " + id}});
        continue;
      }
      if (auto seen = keys_.find(key); !key.empty() && seen != keys_.end()) {
        ++absorbed_;
        results.push_back({{"status", "unchanged"}, {"id", seen->second}});
        continue;
      }
      keys_[key] = "R-" + id;
      nlohmann::json doc = rec;
      doc.erase("idempotency_key");
      stored_[id] = doc;
      ++created_;
      ++creations_[id];
      results.push_back({{"status", "created"}, {"id", "R-" + id}});
    }
  }
  auto res = sim::SimResponse::json(200, nlohmann::json{{"results", results}}.dump());
  if (fault == Fault::Timeout) res.delay_ms = slow;  // committed; the answer comes after the client gave up
  if (fault == Fault::Ambiguous) res.drop = true;    // committed; nobody hears about it
  return res;
}

std::size_t RestSystem::storedCount() const {
  std::lock_guard lock(mutex_);
  return stored_.size();
}
std::map<std::string, nlohmann::json> RestSystem::stored() const {
  std::lock_guard lock(mutex_);
  return stored_;
}
std::size_t RestSystem::created() const {
  std::lock_guard lock(mutex_);
  return created_;
}
std::size_t RestSystem::absorbed() const {
  std::lock_guard lock(mutex_);
  return absorbed_;
}
std::size_t RestSystem::creationsOf(const std::string& id) const {
  std::lock_guard lock(mutex_);
  auto it = creations_.find(id);
  return it == creations_.end() ? 0 : it->second;
}
std::size_t RestSystem::calls() const {
  std::lock_guard lock(mutex_);
  return calls_;
}
std::size_t RestSystem::sourceCalls() const {
  std::lock_guard lock(mutex_);
  return sourceCalls_;
}

std::vector<std::int64_t> RestSystem::callTimes() const {
  std::lock_guard lock(mutex_);
  return callTimes_;
}

}  // namespace hub::test
