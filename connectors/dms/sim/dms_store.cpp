#include "connectors/dms/sim/dms_store.h"

#include <cstdio>
#include <stdexcept>

#include "connectors/dms/sim/dms_validation.h"
#include "hub/core/digest.h"

namespace hub::connector::dms::sim {

using nlohmann::json;

std::string encodeCursor(Millis updatedAt, const std::string& id) {
  std::string b = digest::base64("v1|" + std::to_string(updatedAt) + "|" + id);
  for (auto& c : b) c = c == '+' ? '-' : c == '/' ? '_' : c;
  while (!b.empty() && b.back() == '=') b.pop_back();
  return b;
}

bool decodeCursor(const std::string& cursor, Millis& updatedAt, std::string& id) {
  std::string b = cursor;
  for (auto& c : b) c = c == '-' ? '+' : c == '_' ? '/' : c;
  std::string text;
  if (!digest::base64Decode(b, text) || text.rfind("v1|", 0) != 0) return false;
  const auto bar = text.find('|', 3);
  if (bar == std::string::npos) return false;
  try {
    updatedAt = std::stoll(text.substr(3, bar - 3));
  } catch (const std::exception&) {
    return false;
  }
  id = text.substr(bar + 1);
  return !id.empty();
}

DmsStore::DmsStore(std::function<Millis()> clock) : clock_(std::move(clock)) {}

json DmsStore::view(const Stored& s) const {
  json out = s.doc;
  out["id"] = s.id;
  out["created_at"] = formatIsoMillis(s.created_at);
  out["updated_at"] = formatIsoMillis(s.updated_at);
  out["version"] = s.version;
  return out;
}

bool DmsStore::exists(const std::string& entity, const std::string& key) const {
  auto t = tables_.find(entity);
  return t != tables_.end() && t->second.by_key.count(key);
}

DmsStore::Stored& DmsStore::write(const EntityInfo& entity, const std::string& key, json doc, Millis at, bool& created) {
  Table& t = tables_[entity.name];
  auto it = t.by_key.find(key);
  created = it == t.by_key.end();
  if (created) {
    char id[32];
    std::snprintf(id, sizeof id, "%s_%06lld", entity.id_prefix.c_str(), t.next_id++);
    Stored s{id, at, at, 0, json::object()};
    it = t.by_key.emplace(key, std::move(s)).first;
    t.key_of_id[id] = key;
  } else {
    t.order.erase({it->second.updated_at, it->second.id});
  }
  Stored& s = it->second;
  for (const char* system : {"id", "created_at", "updated_at", "version"}) doc.erase(system);
  s.doc = std::move(doc);
  s.updated_at = at;
  ++s.version;
  t.order.insert({s.updated_at, s.id});
  return s;
}

void DmsStore::record(const std::string& entity, const std::string& key, const std::string& idem,
                      const std::string& hash, const std::string& effect, int status) {
  ledger_.push_back({static_cast<long long>(ledger_.size() + 1), clock_(), entity, key, idem, hash, effect, status});
}

std::optional<json> DmsStore::replay(const std::string& entity, const std::string& key, const std::string& idem,
                                     const std::string& hash, int& status) {
  if (idem.empty()) return std::nullopt;
  auto it = idempotency_.find(idem);
  if (it == idempotency_.end()) return std::nullopt;
  if (it->second.hash == hash) {
    record(entity, key, idem, hash, "deduped", it->second.status);
    status = it->second.status;
    json again = it->second.result;
    again["replayed"] = true;
    return again;
  }
  record(entity, key, idem, hash, "conflict", 409);
  status = 409;
  return json{{"key", key},
              {"result", "rejected"},
              {"status", 409},
              {"code", "idempotency_key_reused"},
              {"message", "idempotency key " + idem + " was used with a different payload"}};
}

DmsStore::ListPage DmsStore::list(const EntityInfo& entity, Millis updatedAfter, const std::string& cursor,
                                  std::size_t limit) const {
  std::lock_guard lock(mutex_);
  ListPage page;
  std::pair<Millis, std::string> from{updatedAfter, ""};
  bool exclusive = false;
  if (!cursor.empty()) {
    if (!decodeCursor(cursor, from.first, from.second)) throw std::invalid_argument("cursor");
    exclusive = true;  // the cursor names the last row already returned
  }
  auto t = tables_.find(entity.name);
  if (t == tables_.end()) return page;
  auto it = exclusive ? t->second.order.upper_bound(from) : t->second.order.lower_bound(from);
  for (; it != t->second.order.end() && page.data.size() < limit; ++it)
    page.data.push_back(view(t->second.by_key.at(t->second.key_of_id.at(it->second))));
  if (it != t->second.order.end() && !page.data.empty()) {
    const auto& last = page.data.back();
    page.next_cursor = encodeCursor(parseIsoInstant(last["updated_at"].get<std::string>()).value_or(0), last["id"]);
  }
  return page;
}

std::optional<json> DmsStore::get(const EntityInfo& entity, const std::string& key) const {
  std::lock_guard lock(mutex_);
  auto t = tables_.find(entity.name);
  if (t == tables_.end()) return std::nullopt;
  auto it = t->second.by_key.find(key);
  if (it == t->second.by_key.end()) return std::nullopt;
  return view(it->second);
}

std::size_t DmsStore::count(const std::string& entity) const {
  std::lock_guard lock(mutex_);
  auto t = tables_.find(entity);
  return t == tables_.end() ? 0 : t->second.by_key.size();
}

json DmsStore::upsert(const EntityInfo& entity, const std::string& idem, const json& data, std::vector<Change>& changes) {
  std::lock_guard lock(mutex_);
  const std::string hash = digest::sha256Hex(data.dump());
  const std::string key = businessKey(entity, data);
  int status = 0;
  if (auto again = replay(entity.name, key, idem, hash, status)) return *again;

  json merged = json::object();
  const Stored* before = nullptr;
  if (!key.empty()) {
    auto& table = tables_[entity.name];
    if (auto it = table.by_key.find(key); it != table.by_key.end()) {
      before = &it->second;
      merged = before->doc;
    }
  }
  if (data.is_object()) merged.update(data);
  for (const char* system : {"id", "created_at", "updated_at", "version"}) merged.erase(system);
  json result;
  json errors = validateRecord(entity, data.is_object() ? merged : data,
                               [this](const std::string& e, const std::string& k) { return exists(e, k); });
  if (!key.empty() && refused_.count(entity.name + "/" + key)) {
    errors.push_back({{"field", "record"}, {"code", "business_rule_violation"},
                      {"message", "dealer credit limit exceeded (simulated business rule)"}});
  }
  if (!errors.empty()) {
    status = 422;
    result = {{"key", key}, {"result", "rejected"}, {"status", 422}, {"code", "validation_failed"},
              {"message", "the record is invalid"}, {"errors", errors}};
    record(entity.name, key, idem, hash, "rejected", status);
  } else if (before && merged == before->doc) {
    status = 200;
    result = {{"key", key}, {"id", before->id}, {"result", "unchanged"}, {"status", 200}, {"version", before->version}};
    record(entity.name, key, idem, hash, "unchanged", status);
  } else {
    bool created = false;
    const Stored& s = write(entity, key, std::move(merged), clock_(), created);
    status = created ? 201 : 200;
    result = {{"key", key}, {"id", s.id}, {"result", created ? "created" : "updated"}, {"status", status},
              {"version", s.version}};
    record(entity.name, key, idem, hash, created ? "created" : "updated", status);
    changes.push_back({entity.event + (created ? ".created" : ".updated"), view(s)});
  }
  if (!idem.empty()) idempotency_[idem] = {hash, status, result};
  return result;
}

void DmsStore::rejectKeys(const std::string& entity, const std::vector<std::string>& keys) {
  std::lock_guard lock(mutex_);
  for (const auto& k : keys) refused_.insert(entity + "/" + k);
}

json DmsStore::put(const EntityInfo& entity, json record, Millis updatedAt) {
  std::lock_guard lock(mutex_);
  const std::string key = businessKey(entity, record);
  if (key.empty()) throw std::invalid_argument(entity.name + " record without a business key: " + record.dump());
  bool created = false;
  return view(write(entity, key, std::move(record), updatedAt, created));
}

bool DmsStore::touch(const EntityInfo& entity, const std::string& key, Millis updatedAt) {
  std::lock_guard lock(mutex_);
  auto& t = tables_[entity.name];
  auto it = t.by_key.find(key);
  if (it == t.by_key.end()) return false;
  t.order.erase({it->second.updated_at, it->second.id});
  it->second.updated_at = updatedAt;
  ++it->second.version;
  t.order.insert({updatedAt, it->second.id});
  return true;
}

std::vector<LedgerEntry> DmsStore::ledger() const {
  std::lock_guard lock(mutex_);
  return ledger_;
}

std::size_t DmsStore::created(const std::string& entity, const std::string& key) const {
  std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (const auto& e : ledger_) n += e.entity == entity && e.key == key && e.effect == "created";
  return n;
}

}  // namespace hub::connector::dms::sim
