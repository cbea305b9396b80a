#include "connectors/kingdee/kingdee_session.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "connectors/kingdee/kingdee_errors.h"
#include "connectors/kingdee/kingdee_signing.h"
#include "connectors/spi/errors.h"
#include "hub/core/digest.h"
#include "hub/core/time.h"

namespace hub::connector::kingdee {

namespace {

using nlohmann::json;

constexpr std::string_view kFormService = "Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.";
constexpr std::string_view kAuthService = "Kingdee.BOS.WebApi.ServicesStub.AuthService.";

std::string trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

KingdeeSession::KingdeeSession(SessionSettings settings, const ConnectorContext& context)
    : settings_(std::move(settings)),
      client_(settings_.http, context),
      now_(context.now ? context.now : std::function<Millis()>([] { return nowMillis(); })),
      log_(context.log),
      aborted_(context.aborted) {
  if (!settings_.base_url.empty() && settings_.base_url.back() != '/') settings_.base_url += '/';
}

std::string KingdeeSession::servicePath(const std::string& service) const {
  const std::string url = settings_.base_url + service + ".common.kdsvc";
  const auto scheme = url.find("://");
  const auto slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  return slash == std::string::npos ? "/" : url.substr(slash);
}

void KingdeeSession::keepCookies(const http::HttpResponse& res) {
  std::lock_guard lock(mutex_);
  for (const auto& line : res.headerValues("Set-Cookie")) {
    const std::string pair = line.substr(0, line.find(';'));
    const auto eq = pair.find('=');
    if (eq == std::string::npos) continue;
    const std::string name = trim(pair.substr(0, eq)), value = trim(pair.substr(eq + 1));
    bool replaced = false;
    for (auto& [k, v] : cookies_)
      if (k == name) v = value, replaced = true;
    if (!replaced) cookies_.emplace_back(name, value);
  }
}

http::HttpResponse KingdeeSession::post(const std::string& service, const std::string& body, std::string_view label,
                                        bool withSession) {
  http::HttpRequest req;
  req.method = "POST";
  req.url = settings_.base_url + service + ".common.kdsvc";
  req.body = body;
  req.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
  if (withSession) {
    std::lock_guard lock(mutex_);
    std::string cookie;
    for (const auto& [k, v] : cookies_) {
      cookie += (cookie.empty() ? "" : "; ") + k + "=" + v;
      // The Python SDK also sends the session id as a header.
      if (k == "kdservice-sessionid") req.headers.emplace_back("kdservice-sessionid", v);
    }
    if (!cookie.empty()) req.headers.emplace_back("Cookie", cookie);
  }
  if (settings_.auth == AuthMode::SignedHeaders) {
    SignedHeaderInput in{settings_.app_id, settings_.app_secret, settings_.acct_id, settings_.username,
                         settings_.org_number, settings_.lcid, servicePath(service), "", std::to_string(now_())};
    in.nonce = digest::hex(digest::randomBytes(16));
    try {
      for (auto& h : signedHeaders(in)) req.headers.push_back(std::move(h));
    } catch (const std::invalid_argument& e) {
      throw PermanentError("config", std::string("app_id: ") + e.what());
    }
  }
  auto res = client_.send(req, label);
  keepCookies(res);
  return res;
}

void KingdeeSession::login() {
  std::lock_guard lock(login_mutex_);
  loginLocked();
}

void KingdeeSession::loginLocked() {
  if (settings_.auth == AuthMode::SignedHeaders) {
    std::lock_guard lock(mutex_);
    logged_in_ = true;
    return;
  }
  {
    std::lock_guard lock(mutex_);
    cookies_.clear();  // a stale session cookie must not ride along with the login
  }
  json body;
  std::string method;
  if (settings_.auth == AuthMode::ValidateUser) {
    method = "ValidateUser";
    // Positional form: the named-key spelling of ValidateUser is not settled.
    body = {{"parameters", {settings_.acct_id, settings_.username, settings_.password, settings_.lcid}}};
  } else {
    method = "LoginBySign";
    const std::string ts = std::to_string(now_() / 1000);
    body = {{"acctID", settings_.acct_id}, {"username", settings_.username}, {"appId", settings_.app_id},
            {"timestamp", ts},
            {"sign", loginSign(settings_.acct_id, settings_.username, settings_.app_id, settings_.app_secret, ts)},
            {"lcid", settings_.lcid}};
  }
  const std::string label = "Kingdee." + method;
  const auto res = post(std::string(kAuthService) + method, body.dump(), label, false);
  const Verdict v = classifyAnswer(res.status, res.header("Retry-After"), res.body, now_());
  if (v.disposition != Disposition::Delivered) throwVerdict(v, label);
  const json answer = parseAnswer(res.body);
  const int result = answer.is_object() ? answer.value("LoginResultType", -1) : -1;
  // -5 is an administrator login that "needs form handling"; Kingdee says to treat it as allowed.
  if (result != 1 && result != -5) {
    std::string message = answer.is_object() ? answer.value("Message", std::string()) : std::string();
    PermanentError e("auth", label + " refused (LoginResultType " + std::to_string(result) + "): " + message);
    e.response_excerpt = http::excerpt(res.body);
    throw e;
  }
  std::lock_guard lock(mutex_);
  bool hasCookie = false;
  for (const auto& [k, v2] : cookies_) hasCookie = hasCookie || k == "kdservice-sessionid";
  if (!hasCookie && answer.contains("KDSVCSessionId") && answer["KDSVCSessionId"].is_string())
    cookies_.emplace_back("kdservice-sessionid", answer["KDSVCSessionId"].get<std::string>());
  logged_in_ = true;
  ++generation_;
  ++logins_;
}

int KingdeeSession::loginCount() const {
  std::lock_guard lock(mutex_);
  return logins_;
}

bool KingdeeSession::pause(Millis ms) const {
  // The hub lends no waitable stop signal, only `aborted` to ask: so wait in
  // short slices and ask between them, and shutdown ends the wait within one.
  constexpr Millis kSlice = 20;
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  for (;;) {
    if (aborted_ && aborted_()) return false;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
    if (left.count() <= 0) return true;
    std::this_thread::sleep_for(std::min(left, std::chrono::milliseconds(kSlice)));
  }
}

json KingdeeSession::call(std::string_view operation, const std::string& formId, const json& data) {
  return callWithBody(operation, formId.empty() ? json{{"data", data}} : json{{"formid", formId}, {"data", data}});
}

json KingdeeSession::callWithBody(std::string_view operation, const json& body) {
  const std::string payload = body.dump();
  const std::string service = std::string(kFormService) + std::string(operation);
  const std::string label = "Kingdee." + std::string(operation);
  for (int round = 0;; ++round) {
    int generation = 0;
    {
      std::unique_lock lock(mutex_);
      if (!logged_in_) {
        lock.unlock();
        std::lock_guard loginLock(login_mutex_);
        if (!logged_in_) loginLocked();
        lock.lock();
      }
      generation = generation_;
    }
    const auto res = post(service, payload, label, true);
    const Verdict v = classifyAnswer(res.status, res.header("Retry-After"), res.body, now_());
    if (v.disposition == Disposition::Delivered) return parseAnswer(res.body);
    if (v.error_type == "session_expired" && round == 0) {
      std::lock_guard loginLock(login_mutex_);
      bool stale = false;
      {
        std::lock_guard lock(mutex_);
        stale = generation_ == generation;  // nobody logged in again meanwhile
      }
      if (stale) {
        // Support staff see session churn (idle timeouts, kicked-off users) here.
        if (log_) log_("kingdee_session_renewed", {{"operation", std::string(operation)}, {"message", v.message}});
        loginLocked();
      }
      continue;
    }
    if (settings_.auth == AuthMode::SignedHeaders && (v.error_type == "auth" || v.error_type == "session_expired")) {
      // Refused outright (MsgCode 2), or "session lost" once more right after
      // signing afresh: either way the signature itself is not accepted.
      Verdict refused = v;
      refused.disposition = Disposition::Permanent;
      refused.error_type = "auth";
      refused.message = "signed request refused, check app_id, app_secret, acct_id and username: " + v.message;
      throwVerdict(refused, label);
    }
    throwVerdict(v, label);
  }
}

}  // namespace hub::connector::kingdee
