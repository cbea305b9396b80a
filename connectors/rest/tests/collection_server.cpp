#include "connectors/rest/tests/collection_server.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "connectors/rest/rest_auth.h"
#include "hub/core/digest.h"
#include "hub/core/time.h"

namespace hub::test {

using nlohmann::json;

CollectionServer::CollectionServer() {
  auto router = std::make_shared<http::Router>();
  for (const auto& [method, pattern] : std::vector<std::pair<std::string, std::string>>{
           {"GET", "/items"}, {"POST", "/items"}, {"PUT", "/items/{id}"}, {"POST", "/items/batch"}})
    router->add({method, pattern, "", "", ""}, [this](http::Request& r) { return handle(r); });
  server_ = std::make_unique<http::HttpServer>(http::ServerOptions{}, router);
  server_->start();
}

CollectionServer::~CollectionServer() { server_->stop(2000); }

std::string CollectionServer::baseUrl() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }

void CollectionServer::requireHeader(std::string name, std::string value) {
  std::lock_guard lock(mutex_);
  required_[std::move(name)] = std::move(value);
}

void CollectionServer::requireHmac(std::string secret) {
  std::lock_guard lock(mutex_);
  hmacSecret_ = std::move(secret);
}

void CollectionServer::put(const std::string& code, connector::Millis updatedAt, json fields) {
  std::lock_guard lock(mutex_);
  fields["code"] = code;
  if (!fields.contains("name")) fields["name"] = "item " + code;
  fields["updated_at"] = formatIsoMillis(updatedAt);
  items_.push_back({"srv-" + std::to_string(nextId_++), updatedAt, fields});
}

void CollectionServer::touch(const std::string& code, connector::Millis updatedAt) {
  std::lock_guard lock(mutex_);
  for (auto& item : items_)
    if (item.doc.value("code", "") == code) {
      item.updated_at = updatedAt;
      item.doc["updated_at"] = formatIsoMillis(updatedAt);
    }
}

std::size_t CollectionServer::count(const std::string& code) const {
  std::lock_guard lock(mutex_);
  return static_cast<std::size_t>(
      std::count_if(items_.begin(), items_.end(), [&](const Item& i) { return i.doc.value("code", "") == code; }));
}

std::optional<json> CollectionServer::item(const std::string& id) const {
  std::lock_guard lock(mutex_);
  for (const auto& i : items_)
    if (i.id == id) return i.doc;
  return std::nullopt;
}

void CollectionServer::inject(Fault fault) {
  std::lock_guard lock(mutex_);
  faults_.push_back(fault);
}

int CollectionServer::calls() const {
  std::lock_guard lock(mutex_);
  return static_cast<int>(requests_.size());
}

std::vector<http::Request> CollectionServer::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

std::optional<http::Response> CollectionServer::refuse(const http::Request& req) {
  for (const auto& [name, value] : required_)
    if (req.header(name) != value) return http::Response::error(401, "missing or wrong " + name);
  if (!hmacSecret_.empty()) {
    std::string target = req.path;
    std::string query;
    for (const auto& [k, v] : req.query) query += (query.empty() ? "?" : "&") + connector::http::urlEncode(k) + "=" + connector::http::urlEncode(v);
    const std::string expected = digest::hex(digest::hmacSha256(
        hmacSecret_, connector::rest::canonicalRequest(req.method, target + query, req.header("X-Timestamp"), req.body)));
    if (!digest::constantTimeEquals(expected, req.header("X-Signature"))) return http::Response::error(401, "bad signature");
  }
  return std::nullopt;
}

http::Response CollectionServer::handle(http::Request& req) {
  std::optional<Fault> fault;
  {
    std::lock_guard lock(mutex_);
    requests_.push_back(req);
    if (auto no = refuse(req)) return *no;
    if (!faults_.empty()) {
      fault = faults_.front();
      faults_.erase(faults_.begin());
    }
  }
  if (fault == Fault::ServerError) return http::Response::error(500, "injected failure");
  if (fault == Fault::RateLimited) {
    auto r = http::Response::error(429, "slow down");
    r.headers["Retry-After"] = "1";
    return r;
  }
  if (fault == Fault::Malformed) return http::Response::text(200, "{\"data\": [", "application/json");
  http::Response res = req.method == "GET"           ? list(req)
                       : req.path == "/items/batch"  ? batch(req)
                       : req.method == "PUT"         ? replace(req)
                                                     : create(req);
  // Committed above; the answer comes after the client gave up.
  if (fault == Fault::Timeout) std::this_thread::sleep_for(std::chrono::milliseconds(700));
  return res;
}

http::Response CollectionServer::list(const http::Request& req) {
  std::lock_guard lock(mutex_);
  std::vector<const Item*> view;
  const auto since = parseIsoInstant(req.queryValue("updated_since"));
  for (const auto& i : items_)
    if (!since || i.updated_at >= *since) view.push_back(&i);
  std::stable_sort(view.begin(), view.end(), [](const Item* a, const Item* b) {
    return std::tie(a->updated_at, a->doc["code"]) < std::tie(b->updated_at, b->doc["code"]);
  });
  std::size_t size = std::stoul(req.queryValue("page_size", req.queryValue("limit", "100")));
  std::size_t start = 0;
  if (!req.queryValue("cursor").empty()) start = std::stoul(req.queryValue("cursor"));
  if (!req.queryValue("offset").empty()) start = std::stoul(req.queryValue("offset"));
  if (!req.queryValue("page").empty()) start = (std::stoul(req.queryValue("page")) - 1) * size;
  json data = json::array();
  for (std::size_t i = start; i < view.size() && i < start + size; ++i) data.push_back(view[i]->doc);
  json next = start + size < view.size() ? json(std::to_string(start + size)) : json(nullptr);
  return http::Response::json(200, {{"data", data}, {"next_cursor", next}});
}

json CollectionServer::write(const json& doc, const std::string& key, int& status) {
  if (!key.empty())
    if (auto it = replies_.find(key); it != replies_.end()) {
      status = it->second.first;
      return it->second.second;
    }
  json reply;
  if (!doc.is_object() || !doc.contains("name") || !doc["name"].is_string()) {
    status = 422;
    reply = {{"error", {{"message", "name is required"}}}};
  } else {
    status = 201;
    Item item{"srv-" + std::to_string(nextId_++), nowMillis(), doc};
    item.doc.erase("idempotency_key");
    items_.push_back(item);
    reply = {{"id", item.id}, {"status", "created"}};
  }
  if (!key.empty()) replies_[key] = {status, reply};
  return reply;
}

http::Response CollectionServer::create(const http::Request& req) {
  std::lock_guard lock(mutex_);
  const json doc = json::parse(req.body, nullptr, false);
  int status = 0;
  json reply = write(doc, req.header("Idempotency-Key"), status);
  return http::Response::json(status, reply);
}

http::Response CollectionServer::replace(const http::Request& req) {
  std::lock_guard lock(mutex_);
  const json doc = json::parse(req.body, nullptr, false);
  for (auto& i : items_)
    if (i.id == req.params.at("id")) {
      i.doc = doc;
      i.updated_at = nowMillis();
      return http::Response::json(200, {{"id", i.id}, {"status", "updated"}});
    }
  return http::Response::error(404, "no item " + req.params.at("id"));
}

http::Response CollectionServer::batch(const http::Request& req) {
  std::lock_guard lock(mutex_);
  const json docs = json::parse(req.body, nullptr, false);
  if (!docs.is_array()) return http::Response::error(400, "body must be an array");
  json results = json::array();
  for (const auto& doc : docs) {
    int status = 0;
    json reply = write(doc, doc.value("idempotency_key", ""), status);
    if (status == 422) reply = {{"status", "rejected"}, {"error", reply["error"]}};
    results.push_back(reply);
  }
  return http::Response::json(200, {{"results", results}});
}

}  // namespace hub::test
