#pragma once
// The Kingdee protocol client: one per connector instance, shared by its
// sources and sinks, safe to call from several threads. It authenticates in
// the style the instance is configured for, keeps the session cookies and
// reuses them, and when Kingdee answers "session lost" (MsgCode 1) it logs in
// again once and repeats the call transparently.
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "connectors/http/http_client.h"

namespace hub::connector::kingdee {

enum class AuthMode { ValidateUser, LoginBySign, SignedHeaders };

struct SessionSettings {
  std::string base_url;  // site root with virtual dir, ending in '/': http://host/k3cloud/
  AuthMode auth = AuthMode::ValidateUser;
  std::string acct_id;
  std::string username;
  std::string password;    // ValidateUser
  std::string app_id;      // LoginBySign, SignedHeaders
  std::string app_secret;  // LoginBySign, SignedHeaders
  int lcid = 2052;
  std::string org_number = "0";  // X-Kd-Appdata; "0" = the user's default org
  http::ClientOptions http;
};

class KingdeeSession {
 public:
  // Every call is observed, waits for the instance's rate limit and ends when
  // the hub aborts calls at its shutdown deadline, through `context`.
  KingdeeSession(SessionSettings settings, const ConnectorContext& context);

  // Calls DynamicFormService.<operation> with `data` in the named-parameter
  // body form ({"formid":..,"data":..} or {"data":..}); answers the parsed
  // body, or throws RetryableError/PermanentError.
  nlohmann::json call(std::string_view operation, const std::string& formId, const nlohmann::json& data);
  // The same with the whole body given: other parameters (QueryAsyncResult's
  // queryInfo) or more of them (a task's beginmethod).
  nlohmann::json callWithBody(std::string_view operation, const nlohmann::json& body);

  // Waits up to `ms` between calls (polling a task); false as soon as the hub
  // aborts calls at its shutdown deadline.
  bool pause(Millis ms) const;

  // Logs in now (no call in signed-header mode); throws PermanentError("auth")
  // when Kingdee refuses the credentials.
  void login();

  int loginCount() const;

 private:
  http::HttpResponse post(const std::string& service, const std::string& body, std::string_view label,
                          bool withSession);
  void loginLocked();
  void keepCookies(const http::HttpResponse& res);
  std::string servicePath(const std::string& service) const;

  SessionSettings settings_;
  http::HttpClient client_;
  std::function<Millis()> now_;
  std::function<void(std::string_view, const nlohmann::json&)> log_;
  std::function<bool()> aborted_;
  mutable std::mutex mutex_;       // cookies and generation
  std::mutex login_mutex_;         // one login at a time
  std::vector<std::pair<std::string, std::string>> cookies_;
  int generation_ = 0;             // bumps with every successful login
  std::atomic<bool> logged_in_{false};
  int logins_ = 0;
};

}  // namespace hub::connector::kingdee
