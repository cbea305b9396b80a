#include "connectors/dms/sim/dms_simulator.h"

#include "connectors/dms/sim/dms_seed.h"
#include "connectors/dms/sim/sim_wire.h"
#include "hub/core/digest.h"

namespace hub::connector::dms::sim {

using nlohmann::json;
using hub::sim::SimRequest;
using hub::sim::SimResponse;

DmsSimulator::DmsSimulator(SimulatorOptions options)
    : options_(std::move(options)), store_([] { return nowMillis(); }) {
  if (options_.webhook) webhooks_ = std::make_unique<WebhookSender>(*options_.webhook);
}

DmsSimulator::~DmsSimulator() { stop(); }

void DmsSimulator::start() {
  server_ = std::make_unique<hub::sim::SimHttpServer>([this](const SimRequest& r) { return handle(r); }, options_.host,
                                                      options_.port, 16);
  server_->start();
}

void DmsSimulator::stop() {
  if (server_) server_->stop();
  server_.reset();
  std::lock_guard lock(mutex_);
  webhooks_.reset();
}

int DmsSimulator::port() const { return server_ ? server_->port() : 0; }
std::string DmsSimulator::baseUrl() const { return server_ ? server_->url() : std::string(); }

void DmsSimulator::seed(const json& data) {
  // Masters first: orders and stock refer to them.
  for (const char* name : {"customers", "products", "orders", "stock", "invoices"}) {
    if (!data.contains(name)) continue;
    const EntityInfo* e = findEntity(name);
    for (const auto& r : data[name]) {
      const Millis at = r.contains("updated_at") ? parseIsoInstant(r["updated_at"].get<std::string>()).value_or(nowMillis()) : nowMillis();
      store_.put(*e, r, at);
    }
  }
  std::lock_guard lock(mutex_);
  order_counter_ = static_cast<long long>(store_.count("orders"));
}

json DmsSimulator::put(const std::string& entity, json record, Millis updatedAt) {
  const EntityInfo* e = findEntity(entity);
  if (!e) throw std::invalid_argument("no entity " + entity);
  json stored = store_.put(*e, std::move(record), updatedAt);
  publish({{e->event + ".updated", stored}});
  return stored;
}

bool DmsSimulator::touch(const std::string& entity, const std::string& key, Millis updatedAt) {
  const EntityInfo* e = findEntity(entity);
  return e && store_.touch(*e, key, updatedAt);
}

std::optional<json> DmsSimulator::find(const std::string& entity, const std::string& key) const {
  const EntityInfo* e = findEntity(entity);
  return e ? store_.get(*e, key) : std::nullopt;
}

std::size_t DmsSimulator::count(const std::string& entity) const { return store_.count(entity); }

std::vector<std::string> DmsSimulator::placeOrders(int n) {
  std::vector<std::string> numbers;
  const int customers = std::max<int>(1, static_cast<int>(store_.count("customers")));
  const int products = std::max<int>(1, static_cast<int>(store_.count("products")));
  for (int i = 0; i < n; ++i) {
    long long sequence;
    {
      std::lock_guard lock(mutex_);
      sequence = ++order_counter_;
    }
    const Millis at = nowMillis();
    json order = newOrder(options_.seed, sequence, customers, products, at);
    numbers.push_back(order["order_no"]);
    const json stored = store_.put(*findEntity("orders"), std::move(order), at);
    publish({{"order.created", stored}});
  }
  return numbers;
}

void DmsSimulator::inject(Fault fault) { faults_.inject(std::move(fault)); }
void DmsSimulator::setFaultMix(std::vector<std::pair<double, Fault>> mix, std::uint64_t seed) {
  faults_.setMix(std::move(mix), seed);
}
void DmsSimulator::clearFaults() { faults_.clear(); }
void DmsSimulator::rejectKeys(const std::string& entity, const std::vector<std::string>& keys) {
  store_.rejectKeys(entity, keys);
}
std::size_t DmsSimulator::faultsApplied() const { return faults_.hits(); }

void DmsSimulator::expireTokens() {
  std::lock_guard lock(mutex_);
  revoked_.insert(issued_.begin(), issued_.end());
  issued_.clear();
}

std::vector<LedgerEntry> DmsSimulator::ledger() const { return store_.ledger(); }
std::size_t DmsSimulator::created(const std::string& entity, const std::string& key) const {
  return store_.created(entity, key);
}
std::size_t DmsSimulator::requests() const {
  std::lock_guard lock(mutex_);
  return requestLog_.size();
}

std::vector<RequestLogEntry> DmsSimulator::requestLog() const {
  std::lock_guard lock(mutex_);
  return requestLog_;
}

void DmsSimulator::setWebhook(WebhookTarget target) {
  std::lock_guard lock(mutex_);
  webhooks_ = std::make_unique<WebhookSender>(std::move(target));
}

std::vector<WebhookAttempt> DmsSimulator::webhookAttempts() const {
  std::lock_guard lock(mutex_);
  return webhooks_ ? webhooks_->attempts() : std::vector<WebhookAttempt>{};
}

std::size_t DmsSimulator::webhooksPending() const {
  std::lock_guard lock(mutex_);
  return webhooks_ ? webhooks_->pending() : 0;
}

bool DmsSimulator::waitForWebhooks(Millis timeout) {
  WebhookSender* sender;
  {
    std::lock_guard lock(mutex_);
    sender = webhooks_.get();
  }
  return !sender || sender->waitIdle(timeout);
}

void DmsSimulator::publish(const std::vector<Change>& changes) {
  std::lock_guard lock(mutex_);
  if (!webhooks_) return;
  for (const auto& c : changes) webhooks_->enqueue(c.type, c.record);
}

std::optional<SimResponse> DmsSimulator::refuse(const SimRequest& req, bool forceExpired) {
  const std::string header = req.header("Authorization");
  if (header.rfind("Bearer ", 0) != 0) return unauthorized("unauthorized", "missing bearer token");
  const std::string token = header.substr(7);
  std::lock_guard lock(mutex_);
  const bool isStatic = std::find(options_.api_tokens.begin(), options_.api_tokens.end(), token) != options_.api_tokens.end();
  if (forceExpired && (isStatic || issued_.count(token))) {
    revoked_.insert(issued_.begin(), issued_.end());
    issued_.clear();
    return unauthorized("token_expired", "the access token has expired");
  }
  if (isStatic || issued_.count(token)) return std::nullopt;
  if (revoked_.count(token)) return unauthorized("token_expired", "the access token has expired");
  return unauthorized("unauthorized", "invalid bearer token");
}

SimResponse DmsSimulator::issueToken(const SimRequest& req) {
  if (req.method != "POST") return apiError(405, "method_not_allowed", "use POST");
  const json body = json::parse(req.body, nullptr, false);
  if (!body.is_object() || body.value("client_id", "") != options_.client_id ||
      !digest::constantTimeEquals(body.value("client_secret", ""), options_.client_secret))
    return unauthorized("invalid_client", "unknown client_id or wrong client_secret");
  std::lock_guard lock(mutex_);
  const std::string token = "dmsat_" + std::to_string(++token_counter_) + "_" + digest::hex(digest::randomBytes(12));
  issued_.insert(token);
  return SimResponse::json(200, json{{"access_token", token}, {"token_type", "Bearer"},
                                     {"expires_in", options_.token_ttl / 1000}}.dump());
}

SimResponse DmsSimulator::handle(const SimRequest& req) {
  if (req.path.rfind("/__sim/", 0) == 0) return admin(req);
  RequestLogEntry entry;
  entry.at = nowMillis();
  entry.method = req.method;
  SimResponse res = answer(req, entry);
  entry.status = res.drop || res.cut_body ? 0 : res.status;
  if (entry.operation == "status") entry.idempotency_keys.push_back(req.header("Idempotency-Key"));
  if (entry.operation == "batch") {
    const json body = json::parse(req.body, nullptr, false);
    if (body.is_object() && body.contains("records") && body["records"].is_array())
      for (const auto& r : body["records"])
        if (r.is_object() && r.contains("idempotency_key") && r["idempotency_key"].is_string())
          entry.idempotency_keys.push_back(r["idempotency_key"]);
  }
  std::lock_guard lock(mutex_);
  entry.seq = static_cast<long long>(requestLog_.size() + 1);
  requestLog_.push_back(std::move(entry));
  return res;
}

SimResponse DmsSimulator::answer(const SimRequest& req, RequestLogEntry& entry) {
  const auto segments = pathSegments(req.path);
  if (segments.size() < 3 || segments[0] != "api" || segments[1] != "v1")
    return apiError(404, "not_found", "no such endpoint: " + req.path);
  std::string operation;
  const EntityInfo* entity = nullptr;
  if (segments.size() == 4 && segments[2] == "auth" && segments[3] == "token") {
    operation = "token";
  } else {
    entity = findEntity(segments[2]);
    if (!entity) return apiError(404, "not_found", "no entity '" + segments[2] + "'");
    if (segments.size() == 3) operation = "list";
    else if (segments.size() == 4 && segments[3] == "batch") operation = "batch";
    else if (segments.size() == 4) operation = "get";
    else if (segments.size() == 5 && segments[4] == "status" && entity->name == "orders") operation = "status";
    else return apiError(404, "not_found", "no such endpoint: " + req.path);
  }
  entry.operation = operation;
  entry.entity = entity ? entity->name : "";
  const auto fault = faults_.pick(operation, entity ? entity->name : "");
  if (fault) entry.fault = faultKindName(fault->kind);
  if (operation != "token") {
    if (auto no = refuse(req, fault && fault->kind == FaultKind::TokenExpired)) return *no;
  }
  if (fault && fault->kind == FaultKind::ServerError)
    return apiError(fault->status, fault->status == 503 ? "service_unavailable" : "internal_error", "injected failure");
  if (fault && fault->kind == FaultKind::RateLimited) {
    SimResponse r = apiError(429, "rate_limited", "too many requests");
    r.headers.emplace_back("Retry-After", std::to_string(fault->retry_after_s));
    return r;
  }
  SimResponse res = operation == "token" ? issueToken(req) : api(req, operation, entity, segments);
  if (!fault) return res;
  switch (fault->kind) {
    case FaultKind::Latency: res.delay_ms = fault->delay_ms; break;
    case FaultKind::Timeout: res.delay_ms = fault->delay_ms ? fault->delay_ms : options_.timeout_fault_delay; break;
    case FaultKind::Ambiguous: res.drop = true; break;
    case FaultKind::ResetMidBody: res.cut_body = true; break;
    case FaultKind::Malformed:
      res.status = 200;
      res.body = res.body.substr(0, res.body.size() / 2) + "<!-- upstream proxy error";
      break;
    default: break;
  }
  return res;
}

}  // namespace hub::connector::dms::sim
