// The simulator's authentication: session logins (ValidateUser, LoginBySign,
// LoginByAppSecret) issuing cookies, and the sessionless signed headers.
#include <strings.h>

#include "connectors/kingdee/kingdee_signing.h"
#include "connectors/kingdee/sim/kingdee_simulator.h"
#include "connectors/kingdee/sim/sim_json.h"
#include "hub/core/digest.h"

namespace hub::connector::kingdee::sim {

using nlohmann::json;
using hub::sim::SimRequest;
using hub::sim::SimResponse;

namespace {

constexpr const char* kSessionLost = "会话信息已丢失，请重新登录";
constexpr const char* kSignatureRefused = "API签名认证失败";
constexpr const char* kDataCentreName = "模拟数据中心";
constexpr const char* kVersion = "8.2.0.20240101";

json loginAnswer(int type, const std::string& message, const json& context = nullptr, const std::string& sid = "") {
  return {{"Message", message.empty() ? json() : json(message)},
          {"MessageCode", type == 1 ? "CheckPasswordPolicy" : ""},
          {"LoginResultType", type},
          {"Context", context},
          {"KDSVCSessionId", sid.empty() ? json() : json(sid)},
          {"FormId", nullptr},
          {"RedirectFormParam", nullptr},
          {"FormInputObject", nullptr},
          {"ErrorStackTrace", nullptr},
          {"Lcid", 0},
          {"AccessToken", nullptr},
          {"CustomParam", ""},
          {"KdAccessResult", nullptr},
          {"IsSuccessByAPI", type == 1}};
}

// Positional parameters in the documented order, else named keys (any case).
json arg(const json& positional, const json& named, std::size_t i, const char* name) {
  if (positional.is_array()) return i < positional.size() ? positional[i] : json();
  const json* v = member(named, name);
  return v ? *v : json();
}

std::string guid() {
  const std::string h = digest::hex(digest::randomBytes(16));
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20);
}

// Signed timestamps come in milliseconds (Java, .NET) or seconds (Python).
std::optional<Millis> timestampMillis(const std::string& t) {
  if (t.empty() || t.size() > 15 || t.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  const long long v = std::stoll(t);
  return v > 100000000000LL ? v : v * 1000;
}

}  // namespace

SimResponse KingdeeSimulator::login(const std::string& method, const json& body) {
  const json positional = body.contains("positional") ? body["positional"] : json();
  const json named = body.contains("named") ? body["named"] : json();
  const std::string acct = text(arg(positional, named, 0, "acctID"));
  const std::string user = text(arg(positional, named, 1, "username"));
  auto refuse = [](int type, const std::string& m) { return SimResponse::json(200, loginAnswer(type, m).dump()); };
  if (method == "Logout") return SimResponse::json(200, "true");
  if (acct != options_.acct_id) return refuse(-1, "数据中心不存在或已停用（" + acct + "）");
  std::string expected;
  {
    std::lock_guard lock(mutex_);
    auto it = users_.find(user);
    if (it == users_.end()) return refuse(0, "用户名或密码错误！");
    expected = it->second;
  }
  if (method == "ValidateUser" || method == "ValidateUser2") {
    if (text(arg(positional, named, 2, "password")) != expected) return refuse(0, "用户名或密码错误！");
  } else if (method == "LoginBySign" || method == "LoginByAppSecret") {
    const std::string appId = text(arg(positional, named, 2, "appId"));
    std::string secret;
    {
      std::lock_guard lock(mutex_);
      auto it = apps_.find(appId);
      if (it == apps_.end()) return refuse(-1, "第三方系统登录授权中不存在应用“" + appId + "”");
      secret = it->second;
    }
    if (method == "LoginByAppSecret") {
      if (text(arg(positional, named, 3, "appSecret")) != secret) return refuse(-1, "应用密钥不正确");
    } else {
      const std::string ts = text(arg(positional, named, 3, "timestamp"));
      const std::string sign = text(arg(positional, named, 4, "sign"));
      const auto at = timestampMillis(ts);
      if (!at || std::llabs(*at - nowMillis()) > options_.signature_tolerance)
        return refuse(-1, "签名已过期，请检查时间戳（" + ts + "）");
      if (!digest::constantTimeEquals(sign, loginSign(acct, user, appId, secret, ts)))
        return refuse(-1, "签名验证失败");
    }
  } else {
    return refuse(-1, "模拟器不支持登录方式 " + method);
  }
  const SessionIds ids = openSession(user);
  const json context = {{"UserLocale", "zh-CN"}, {"LogLocale", "zh-CN"}, {"DBid", acct}, {"DatabaseType", 3},
                        {"SessionId", ids.aspnet}, {"UserId", 100008}, {"UserName", user},
                        {"CustomName", kDataCentreName}, {"DisplayVersion", kVersion},
                        {"DataCenterName", kDataCentreName}};
  SimResponse res = SimResponse::json(200, loginAnswer(1, "", context, ids.sid).dump());
  res.headers = ids.setCookies();
  return res;
}

SimResponse KingdeeSimulator::accountService(const std::string& method) const {
  if (method != "GetDataCenterList") return SimResponse::json(404, R"({"error":"unknown service"})");
  // The SDKs' GetDataCenters(), asked before any login: the DataCenter shape
  // of the Java SDK (AuthenticationMethodType 0 domain, 1 password).
  const json centre = {{"Id", options_.acct_id},
                       {"Number", "K3C001"},
                       {"Name", kDataCentreName},
                       {"Version", kVersion},
                       {"GDCID", "6f1d2c3b-4a59-4e68-9d7c-" + options_.acct_id.substr(0, 12)},
                       {"AuthenticationMethods", json::array({{{"AuthenticationMethodType", 1}, {"Name", "密码认证"}}})}};
  return SimResponse::json(200, json::array({centre}).dump());
}

KingdeeSimulator::SessionIds KingdeeSimulator::openSession(const std::string& user) {
  SessionIds ids{guid(), digest::hex(digest::randomBytes(12))};
  std::lock_guard lock(mutex_);
  sessions_[ids.sid] = {user, nowMillis()};
  sessions_[ids.aspnet] = {user, nowMillis()};
  return ids;
}

std::vector<std::pair<std::string, std::string>> KingdeeSimulator::SessionIds::setCookies() const {
  return {{"Set-Cookie", "kdservice-sessionid=" + sid + "; path=/"},
          {"Set-Cookie", "ASP.NET_SessionId=" + aspnet + "; path=/; HttpOnly"}};
}

bool KingdeeSimulator::touchSession(const std::string& id) {
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(id);
  if (id.empty() || it == sessions_.end()) return false;
  const Millis now = nowMillis();
  if (now - it->second.last_used > options_.session_idle_ttl) {
    sessions_.erase(it);
    return false;
  }
  it->second.last_used = now;
  return true;
}

std::optional<KingdeeSimulator::Refusal> KingdeeSimulator::authenticate(
    const SimRequest& req, std::vector<std::pair<std::string, std::string>>& setCookies) {
  if (!req.header("X-Kd-Signature").empty() || !req.header("X-Api-Signature").empty()) {
    std::string user;
    if (std::string refused = checkSignedHeaders(req, user); !refused.empty()) return Refusal{refused, kMsgNoPermission};
    // No login, yet the server keeps a session for the signed caller and sets
    // its cookie, which the SDKs send back with every later call.
    if (!touchSession(req.cookie("kdservice-sessionid"))) setCookies = openSession(user).setCookies();
    return std::nullopt;
  }
  std::string sid = req.cookie("kdservice-sessionid");
  if (sid.empty()) sid = req.header("kdservice-sessionid");
  if (sid.empty()) sid = req.header("SID");
  if (sid.empty()) sid = req.cookie("ASP.NET_SessionId");
  if (!touchSession(sid)) return Refusal{kSessionLost, kMsgContextLost};
  return std::nullopt;
}

std::string KingdeeSimulator::checkSignedHeaders(const SimRequest& req, std::string& user) {
  const std::string appId = req.header("X-Kd-Appkey");
  std::string secret;
  {
    std::lock_guard lock(mutex_);
    auto it = apps_.find(appId);
    if (it == apps_.end()) return std::string(kSignatureRefused) + "（未授权的应用 X-Kd-Appkey）";
    secret = it->second;
  }
  std::string plain;
  if (!digest::base64Decode(req.header("X-Kd-Appdata"), plain)) return std::string(kSignatureRefused) + "（X-Kd-Appdata 无法解码）";
  std::vector<std::string> parts;
  for (std::size_t p = 0; p <= plain.size();) {
    const auto c = std::min(plain.find(',', p), plain.size());
    parts.push_back(plain.substr(p, c - p));
    p = c + 1;
  }
  if (parts.size() != 4 || parts[0] != options_.acct_id) return std::string(kSignatureRefused) + "（X-Kd-Appdata 数据中心不正确）";
  {
    std::lock_guard lock(mutex_);
    if (!users_.count(parts[1])) return std::string(kSignatureRefused) + "（X-Kd-Appdata 用户不存在）";
  }
  user = parts[1];
  if (!digest::constantTimeEquals(req.header("X-Kd-Signature"), kdSignature(appId, plain, secret)))
    return std::string(kSignatureRefused) + "（X-Kd-Signature 校验失败）";
  const std::string ts = req.header("x-api-timestamp"), nonce = req.header("x-api-nonce");
  const auto at = timestampMillis(ts);
  if (!at || std::llabs(*at - nowMillis()) > options_.signature_tolerance)
    return std::string(kSignatureRefused) + "（x-api-timestamp 已过期）";
  if (req.header("X-Api-ClientID") != clientIdOf(appId)) return std::string(kSignatureRefused) + "（X-Api-ClientID 不匹配）";
  const auto gateway = gatewaySecret(appId);
  const std::string path = req.path + (req.query.empty() ? "" : "?" + req.query);
  if (!gateway || !digest::constantTimeEquals(req.header("X-Api-Signature"), apiSignature(*gateway, path, nonce, ts)))
    return std::string(kSignatureRefused) + "（X-Api-Signature 校验失败）";
  return "";
}

}  // namespace hub::connector::kingdee::sim
