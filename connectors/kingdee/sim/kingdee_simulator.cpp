#include "connectors/kingdee/sim/kingdee_simulator.h"

#include <strings.h>

#include <stdexcept>

#include "connectors/kingdee/kingdee_signing.h"
#include "connectors/kingdee/sim/sim_json.h"
#include "hub/core/digest.h"

namespace hub::connector::kingdee::sim {

using nlohmann::json;
using hub::sim::SimRequest;
using hub::sim::SimResponse;

namespace {

constexpr std::string_view kAuthService = "Kingdee.BOS.WebApi.ServicesStub.AuthService.";
constexpr std::string_view kFormService = "Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.";
constexpr std::string_view kAccountService = "Kingdee.BOS.ServiceFacade.ServicesStub.Account.AccountService.";

// Bodies come in four shapes (protocol notes §1): named parameters, a
// positional "parameters" array (or that array as a JSON string, the legacy
// envelope), or a bare array. Answers the positional array or the named object.
struct Args {
  json positional;  // array, or null
  json named;       // object, or null
  bool begins_task = false;  // "beginmethod":"BeginQueryImpl" beside the parameters
  json at(std::size_t i, const std::string& name) const {
    if (positional.is_array()) return i < positional.size() ? positional[i] : json();
    const json* v = member(named, name);
    return v ? *v : json();
  }
};

std::optional<Args> readArgs(const std::string& body) {
  json doc = json::parse(body, nullptr, false);
  if (doc.is_discarded()) return std::nullopt;
  Args a;
  if (doc.is_array()) {
    a.positional = doc;
    return a;
  }
  if (!doc.is_object()) return std::nullopt;
  const json* begin = member(doc, "beginmethod");
  a.begins_task = begin && text(*begin) == "BeginQueryImpl";
  if (const json* p = member(doc, "parameters")) {
    json params = p->is_string() ? json::parse(p->get<std::string>(), nullptr, false) : *p;
    if (!params.is_array()) return std::nullopt;
    a.positional = params;
    return a;
  }
  a.named = doc;
  return a;
}

// `data` may be an object or a JSON string holding one.
json dataOf(const json& v) {
  if (v.is_string()) {
    json parsed = json::parse(v.get<std::string>(), nullptr, false);
    return parsed.is_discarded() ? json() : parsed;
  }
  return v;
}

SimResponse answer(const json& body) { return SimResponse::json(200, body.dump()); }

}  // namespace

FaultKind faultKindNamed(const std::string& n) {
  if (n == "server_error") return FaultKind::ServerError;
  if (n == "rate_limited") return FaultKind::RateLimited;
  if (n == "timeout") return FaultKind::Timeout;
  if (n == "ambiguous") return FaultKind::Ambiguous;
  if (n == "session_expired") return FaultKind::SessionExpired;
  if (n == "malformed_body") return FaultKind::MalformedBody;
  if (n == "latency") return FaultKind::Latency;
  throw std::invalid_argument("unknown fault kind '" + n + "'");
}

KingdeeSimulator::KingdeeSimulator(SimulatorOptions options)
    : options_(std::move(options)), book_(options_.utc_offset_minutes), task_running_polls_(options_.task_running_polls) {
  users_[options_.username] = options_.password;
  apps_[options_.app_id] = options_.app_secret;
  if (options_.virtual_dir.empty() || options_.virtual_dir.back() != '/') options_.virtual_dir += '/';
}

KingdeeSimulator::~KingdeeSimulator() { stop(); }

void KingdeeSimulator::start() {
  server_ = std::make_unique<hub::sim::SimHttpServer>([this](const SimRequest& r) { return handle(r); },
                                                      options_.host, options_.port);
  server_->start();
}

void KingdeeSimulator::stop() {
  if (server_) server_->stop();
}

int KingdeeSimulator::port() const { return server_ ? server_->port() : 0; }
std::string KingdeeSimulator::baseUrl() const { return server_->url() + options_.virtual_dir; }

void KingdeeSimulator::inject(Fault fault) {
  std::lock_guard lock(mutex_);
  faults_.push_back(std::move(fault));
}

void KingdeeSimulator::clearFaults() {
  std::lock_guard lock(mutex_);
  faults_.clear();
}

void KingdeeSimulator::expireSessions() {
  std::lock_guard lock(mutex_);
  sessions_.clear();
}

void KingdeeSimulator::addUser(const std::string& u, const std::string& p) {
  std::lock_guard lock(mutex_);
  users_[u] = p;
}

void KingdeeSimulator::addApp(const std::string& id, const std::string& secret) {
  std::lock_guard lock(mutex_);
  apps_[id] = secret;
}

int KingdeeSimulator::calls(const std::string& op) const {
  std::lock_guard lock(mutex_);
  auto it = calls_.find(op);
  return it == calls_.end() ? 0 : it->second;
}

int KingdeeSimulator::queryRows(const std::string& formId) const {
  std::lock_guard lock(mutex_);
  auto it = query_rows_.find(formId);
  return it == query_rows_.end() ? 0 : it->second;
}

int KingdeeSimulator::logins() const {
  std::lock_guard lock(mutex_);
  return logins_;
}

std::size_t KingdeeSimulator::sessions() const {
  std::lock_guard lock(mutex_);
  return sessions_.size() / 2;  // each login registers both cookie ids
}

void KingdeeSimulator::loadSeed(const json& seed) {
  // References must resolve, so base data goes in before the bills using it.
  const std::vector<std::string> order = {"BD_Customer", "BD_MATERIAL", "SAL_SaleOrder", "SAL_OUTSTOCK",
                                          "STK_Inventory", "IV_SALESIC", "IV_SALESOC", "AR_receivable"};
  for (const auto& form : order) {
    const json* list = member(seed, form);
    if (!list || !list->is_array()) continue;
    for (const auto& model : *list) {
      std::optional<Millis> at;
      json m = model;
      if (const json* t = member(m, "_modified_at"); t && t->is_number()) at = t->get<Millis>();
      erase(m, "_modified_at");
      const json* audited = member(m, "_audited");
      const bool audit = audited && audited->is_boolean() && audited->get<bool>();
      erase(m, "_audited");
      book_.insert(form, m, at, audit);
    }
  }
}

std::optional<Fault> KingdeeSimulator::takeFault(const std::string& op) {
  std::lock_guard lock(mutex_);
  const bool login = op == "ValidateUser" || op == "LoginBySign" || op == "LoginByAppSecret" || op == "Logout";
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (it->operation.empty() ? login : it->operation != op) continue;
    Fault f = *it;
    if (--it->times <= 0) faults_.erase(it);
    return f;
  }
  return std::nullopt;
}

SimResponse KingdeeSimulator::handle(const SimRequest& req) {
  if (req.path.rfind("/__sim/", 0) == 0) return admin(req);
  constexpr std::string_view suffix = ".common.kdsvc";
  const std::string& p = req.path;
  if (p.rfind(options_.virtual_dir, 0) != 0 || p.size() < options_.virtual_dir.size() + suffix.size() ||
      p.compare(p.size() - suffix.size(), suffix.size(), suffix) != 0)
    return SimResponse::json(404, R"({"error":"not a Kingdee service path"})");
  const std::string service = p.substr(options_.virtual_dir.size(), p.size() - options_.virtual_dir.size() - suffix.size());
  const bool auth = service.rfind(kAuthService, 0) == 0, form = service.rfind(kFormService, 0) == 0;
  const bool account = service.rfind(kAccountService, 0) == 0;
  if (!auth && !form && !account) return SimResponse::json(404, R"({"error":"unknown service"})");
  if (req.method != "POST") return SimResponse::json(405, R"({"error":"POST only"})");
  const std::string op = service.substr((auth ? kAuthService : form ? kFormService : kAccountService).size());
  {
    std::lock_guard lock(mutex_);
    ++calls_[op];
  }
  if (account) return accountService(op);
  const auto fault = takeFault(op);
  if (fault) {
    switch (fault->kind) {
      case FaultKind::ServerError: {
        SimResponse r = SimResponse::json(fault->status, "<html><body><h1>Server Error in '/k3cloud' Application.</h1></body></html>");
        r.content_type = "text/html; charset=utf-8";
        return r;
      }
      case FaultKind::RateLimited: {
        SimResponse r = SimResponse::json(429, R"({"error":"too many requests"})");
        r.headers.emplace_back("Retry-After", std::to_string(fault->retry_after_s));
        return r;
      }
      case FaultKind::MalformedBody: return SimResponse::json(200, R"([[{"Result":{"ResponseStatus":{"IsSucc)");
      case FaultKind::SessionExpired: expireSessions(); break;
      default: break;
    }
  }
  SimResponse res;
  std::vector<std::pair<std::string, std::string>> setCookies;  // of a session this call opened
  const auto args = readArgs(req.body);
  if (!args) {
    res = answer(failure("请求参数不是合法的 JSON", "", 0));
  } else if (auth) {
    res = login(op, json{{"positional", args->positional}, {"named", args->named}});
    if (res.status == 200 && op != "Logout") {
      std::lock_guard lock(mutex_);
      ++logins_;
    }
  } else if (const auto refused = authenticate(req, setCookies)) {
    const json status = failure(refused->message, "", 0, refused->msg_code);
    res = answer(op == "ExecuteBillQuery" ? json::array({json::array({status})}) : status);
  } else {
    json result = operation(op, json{{"positional", args->positional}, {"named", args->named}});
    res = answer(args->begins_task && op != "QueryAsyncResult" ? beginTask(std::move(result)) : result);
    res.headers.insert(res.headers.end(), setCookies.begin(), setCookies.end());
  }
  if (fault && fault->kind == FaultKind::Timeout)
    res.delay_ms = fault->delay_ms > 0 ? fault->delay_ms : options_.timeout_fault_delay;
  if (fault && fault->kind == FaultKind::Latency) res.delay_ms = fault->delay_ms;
  if (fault && fault->kind == FaultKind::Ambiguous) res.drop = true;  // done, but nobody hears about it
  return res;
}

json KingdeeSimulator::operation(const std::string& op, const json& args) {
  const Args a{args["positional"], args["named"]};
  if (op == "ExecuteBillQuery") {
    const json data = dataOf(a.positional.is_array() ? a.at(0, "") : a.at(0, "data"));
    json rows = book_.executeBillQuery(data, options_.max_limit);
    // A refusal is one row holding a ResponseStatus object; data rows hold values.
    const bool refused = rows.size() == 1 && rows[0].is_array() && !rows[0].empty() && rows[0][0].is_object();
    if (rows.is_array() && !refused) {
      std::lock_guard lock(mutex_);
      query_rows_[textOf(data, "FormId")] += static_cast<int>(rows.size());
    }
    return rows;
  }
  if (op == "QueryAsyncResult") return queryTask(a.at(0, "queryInfo"));
  const std::string formId = text(a.at(0, "formid"));
  const json data = dataOf(a.at(1, "data"));
  if (!data.is_object()) return failure("参数 data 不是合法的 JSON 对象", "data");
  if (op == "Save") return book_.save(formId, data, false);
  if (op == "BatchSave") return book_.save(formId, data, true);
  if (op == "Submit") return book_.submit(formId, data);
  if (op == "Audit") return book_.audit(formId, data);
  if (op == "View") return book_.view(formId, data);
  return failure("模拟器不支持操作 " + op);
}

}  // namespace hub::connector::kingdee::sim
