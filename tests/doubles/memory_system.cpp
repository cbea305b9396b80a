#include "tests/doubles/memory_system.h"

#include "connectors/spi/errors.h"

namespace hub::test {

using connector::Millis;

std::shared_ptr<MemorySystem> MemorySystem::named(const std::string& name) {
  static std::mutex m;
  static std::map<std::string, std::shared_ptr<MemorySystem>> systems;
  std::lock_guard lock(m);
  auto& s = systems[name];
  if (!s) s = std::make_shared<MemorySystem>();
  return s;
}

void MemorySystem::reset() {
  std::lock_guard lock(mutex_);
  rows_.clear();
  rowTime_.clear();
  pulls_ = 0;
  onPull_ = nullptr;
  fault_ = nullptr;
  failCalls_ = 0;
  pushes_.clear();
  stored_.clear();
  seenKeys_.clear();
  calls_ = 0;
  acceptForLater_ = false;
  settled_.clear();
  accepted_.clear();
  failConfirms_ = 0;
  confirmCalls_.clear();
}

void MemorySystem::acceptForLater(bool on) {
  std::lock_guard lock(mutex_);
  acceptForLater_ = on;
}

void MemorySystem::settle(const std::string& key, connector::Outcome answer) {
  std::lock_guard lock(mutex_);
  settled_[key] = std::move(answer);
}

void MemorySystem::failConfirms(int n) {
  std::lock_guard lock(mutex_);
  failConfirms_ = n;
}

std::vector<std::vector<connector::AwaitingRecord>> MemorySystem::confirmCalls() const {
  std::lock_guard lock(mutex_);
  return confirmCalls_;
}

void MemorySystem::put(const std::string& key, Millis updatedAt, nlohmann::json payload) {
  std::lock_guard lock(mutex_);
  if (auto it = rowTime_.find(key); it != rowTime_.end()) rows_.erase({it->second, key});
  connector::Record r;
  r.key = key;
  r.updated_at = updatedAt;
  r.payload = std::move(payload);
  rows_[{updatedAt, key}] = std::move(r);
  rowTime_[key] = updatedAt;
}

void MemorySystem::putBroken(const std::string& where, const std::string& raw) {
  std::lock_guard lock(mutex_);
  connector::Record r;
  r.key = where;
  r.updated_at = 1;
  r.payload = {{"raw", raw}};
  r.problem = "line is not valid JSON";
  rows_[{1, where}] = std::move(r);
  rowTime_[where] = 1;
}

void MemorySystem::onPull(std::function<void(std::size_t)> hook) {
  std::lock_guard lock(mutex_);
  onPull_ = std::move(hook);
}

std::size_t MemorySystem::pulls() const {
  std::lock_guard lock(mutex_);
  return pulls_;
}

void MemorySystem::setFault(Fault fault) {
  std::lock_guard lock(mutex_);
  fault_ = std::move(fault);
}

void MemorySystem::failNextCalls(int n, bool ambiguous) {
  std::lock_guard lock(mutex_);
  failCalls_ = n;
  failAmbiguous_ = ambiguous;
}

std::vector<MemorySystem::Push> MemorySystem::pushes() const {
  std::lock_guard lock(mutex_);
  return pushes_;
}

std::map<std::string, nlohmann::json> MemorySystem::stored() const {
  std::lock_guard lock(mutex_);
  return stored_;
}

std::size_t MemorySystem::created() const {
  std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (const auto& p : pushes_) n += p.effect == "created" || p.effect == "updated";
  return n;
}

std::size_t MemorySystem::deduped() const {
  std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (const auto& p : pushes_) n += p.effect == "deduped";
  return n;
}

std::size_t MemorySystem::calls() const {
  std::lock_guard lock(mutex_);
  return calls_;
}

class MemorySource final : public connector::Source {
 public:
  MemorySource(std::shared_ptr<MemorySystem> s, std::string keyField) : s_(std::move(s)), key_(std::move(keyField)) {}
  connector::Page pull(const connector::ScanRequest& req) override {
    std::function<void(std::size_t)> hook;
    std::size_t number = 0;
    connector::Page page = read(req, hook, number);
    if (hook) hook(number);
    return page;
  }
  std::string keyField() const override { return key_; }

 private:
  connector::Page read(const connector::ScanRequest& req, std::function<void(std::size_t)>& hook, std::size_t& number) {
    std::lock_guard lock(s_->mutex_);
    number = ++s_->pulls_;
    hook = s_->onPull_;
    // resume = "<updated_at>|<key>" of the last record handed out: the
    // compound position keeps equal timestamps apart across pages.
    std::pair<Millis, std::string> after{req.since, ""};
    bool exclusive = false;
    if (!req.resume.empty()) {
      const auto bar = req.resume.find('|');
      after = {std::stoll(req.resume.substr(0, bar)), req.resume.substr(bar + 1)};
      exclusive = true;
    }
    connector::Page page;
    auto it = exclusive ? s_->rows_.upper_bound(after) : s_->rows_.lower_bound(after);
    for (; it != s_->rows_.end() && page.records.size() < req.page_size; ++it) page.records.push_back(it->second);
    page.done = it == s_->rows_.end();
    if (!page.records.empty())
      page.resume = std::to_string(page.records.back().updated_at) + "|" + page.records.back().key;
    else
      page.resume = req.resume;
    return page;
  }

  std::shared_ptr<MemorySystem> s_;
  std::string key_;  // source option `key` (default id)
};

class MemorySink final : public connector::Sink {
 public:
  explicit MemorySink(std::shared_ptr<MemorySystem> s) : s_(std::move(s)) {}
  std::vector<connector::Outcome> push(std::span<const connector::OutboundRecord> batch) override {
    std::lock_guard lock(s_->mutex_);
    const std::size_t call = ++s_->calls_;
    if (s_->failCalls_ > 0) {
      --s_->failCalls_;
      connector::RetryableError e("connection_reset", "injected transport failure");
      e.ambiguous = s_->failAmbiguous_;
      if (s_->failAmbiguous_) {
        for (const auto& r : batch) apply(r);  // it took effect, the answer was lost
      }
      throw e;
    }
    std::vector<connector::Outcome> out;
    for (const auto& r : batch) {
      if (s_->fault_) {
        if (auto o = s_->fault_(r, call)) {
          s_->pushes_.push_back({r.key, r.idempotency_key, r.document, r.attempt, r.previous_attempt_ambiguous, "failed"});
          out.push_back(*o);
          continue;
        }
      }
      if (s_->acceptForLater_) {
        s_->accepted_[r.key] = r.document;
        s_->pushes_.push_back({r.key, r.idempotency_key, r.document, r.attempt, r.previous_attempt_ambiguous, "accepted"});
        out.push_back(connector::Outcome::awaiting("A-" + r.key));
        continue;
      }
      out.push_back(connector::Outcome::delivered(apply(r)));
    }
    return out;
  }
  std::vector<connector::Outcome> confirm(std::span<const connector::AwaitingRecord> records) override {
    std::lock_guard lock(s_->mutex_);
    s_->confirmCalls_.emplace_back(records.begin(), records.end());
    if (s_->failConfirms_ > 0) {
      --s_->failConfirms_;
      throw connector::RetryableError("http_503", "injected status query failure", 503);
    }
    std::vector<connector::Outcome> out;
    for (const auto& r : records) {
      auto it = s_->settled_.find(r.key);
      if (it == s_->settled_.end()) {
        out.push_back(connector::Outcome::awaiting(r.remote_id));
        continue;
      }
      if (it->second.disposition == connector::Disposition::Delivered) s_->stored_[r.key] = s_->accepted_[r.key];
      out.push_back(it->second);
    }
    return out;
  }
  std::size_t maxBatch() const override { return 50; }

 private:
  std::string apply(const connector::OutboundRecord& r) {
    MemorySystem::Push p{r.key, r.idempotency_key, r.document, r.attempt, r.previous_attempt_ambiguous, ""};
    std::string id;
    if (auto seen = s_->seenKeys_.find(r.idempotency_key); seen != s_->seenKeys_.end()) {
      p.effect = "deduped";
      id = seen->second;
    } else {
      p.effect = s_->stored_.count(r.key) ? "updated" : "created";
      id = "R-" + r.key;
      s_->seenKeys_[r.idempotency_key] = id;
      s_->stored_[r.key] = r.document;
    }
    s_->pushes_.push_back(std::move(p));
    return id;
  }
  std::shared_ptr<MemorySystem> s_;
};

class MemoryConnector final : public connector::Connector {
 public:
  explicit MemoryConnector(std::shared_ptr<MemorySystem> s) : s_(std::move(s)) {}
  std::unique_ptr<connector::Source> openSource(const std::string&, const nlohmann::json& options) override {
    return std::make_unique<MemorySource>(s_, options.is_object() ? options.value("key", "id") : "id");
  }
  std::unique_ptr<connector::Sink> openSink(const std::string&, const nlohmann::json&) override {
    return std::make_unique<MemorySink>(s_);
  }

 private:
  std::shared_ptr<MemorySystem> s_;
};

connector::ConnectorType memoryConnectorType() {
  connector::ConnectorType t;
  t.name = "memory";
  t.summary = "in-memory system for tests";
  t.settings = {connector::Field::string("system").require()};
  t.source_options = {connector::Field::string("key").byDefault("id").describe("key field or path of pushed records")};
  t.create = [](const connector::ConnectorContext&, const nlohmann::json& settings) {
    return std::make_unique<MemoryConnector>(MemorySystem::named(settings.at("system").get<std::string>()));
  };
  return t;
}

const connector::Registry& testRegistry() {
  static const connector::Registry registry = [] {
    connector::Registry r;
    for (const auto& t : connector::builtinConnectors().types()) r.add(t);
    r.add(memoryConnectorType());
    return r;
  }();
  return registry;
}

}  // namespace hub::test
