#pragma once
// A protocol-faithful Kingdee K/3 Cloud WebAPI on loopback, for tests and the
// example landscape: the three authentication styles with their real checks
// (ValidateUser, LoginBySign, X-Api-*/X-Kd-* signed headers — those answered
// with a session cookie too), session cookies that idle out, body forms 1 and 2 (named and positional parameters), the
// DynamicFormService operations the hub uses, and faults on request.
//
//   KingdeeSimulator sim;           // defaults: acct 65a1b2c3d4e5f6, user dms_api
//   sim.start();                    // port 0 → any free port
//   connector base_url = sim.baseUrl();   // http://127.0.0.1:P/k3cloud/
//   sim.inject({FaultKind::Ambiguous, "Save"});
//
// Admin endpoints (outside the virtual dir): POST /__sim/faults {kind,
// operation, times, status, retry_after, delay_ms}; DELETE /__sim/faults;
// POST /__sim/sessions/expire; POST /__sim/seed {form: [models]};
// GET /__sim/objects/{form}; GET /__sim/stats (logins, sessions, calls per
// operation, objects per form, query_rows: rows ExecuteBillQuery answered per form).
// A DynamicFormService call whose body carries "beginmethod":"BeginQueryImpl"
// runs as a task (the SDKs' polling mode); QueryAsyncResult answers it.
#include <atomic>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "connectors/kingdee/sim/sim_book.h"
#include "connectors/sim/sim_http_server.h"

namespace hub::connector::kingdee::sim {

struct SimulatorOptions {
  std::string host = "127.0.0.1";
  int port = 0;
  std::string virtual_dir = "/k3cloud/";
  std::string acct_id = "65a1b2c3d4e5f6";
  std::string username = "dms_api";
  std::string password = "Kingdee@2024";
  std::string app_id = "224466_QUJDREVGR0hJSktMTU5PUFFSU1RVVldY";
  std::string app_secret = "0123456789abcdef0123456789abcdef";
  int utc_offset_minutes = 480;            // server local time (China Standard Time)
  Millis session_idle_ttl = 20 * 60000;    // Kingdee's default idle timeout
  Millis signature_tolerance = 5 * 60000;  // accepted clock difference for signed timestamps
  int max_limit = 2000;                    // ExecuteBillQuery row ceiling
  Millis timeout_fault_delay = 3000;       // how late a Timeout fault answers unless told
  int task_running_polls = 0;              // QueryAsyncResult polls a begun task answers Running before its result
};

enum class FaultKind { Latency, ServerError, RateLimited, Timeout, Ambiguous, SessionExpired, MalformedBody };

struct Fault {
  FaultKind kind = FaultKind::ServerError;
  std::string operation;  // "" = any DynamicFormService call; else "Save", "ExecuteBillQuery", "ValidateUser", ...
  int times = 1;          // how many matching calls it hits
  int status = 500;       // ServerError
  int retry_after_s = 1;  // RateLimited
  Millis delay_ms = 0;    // Latency, Timeout (0 = timeout_fault_delay)
};

// "server_error", "rate_limited", "timeout", "ambiguous", "session_expired",
// "malformed_body", "latency"; throws std::invalid_argument for others.
FaultKind faultKindNamed(const std::string& name);

class KingdeeSimulator {
 public:
  explicit KingdeeSimulator(SimulatorOptions options = {});
  ~KingdeeSimulator();

  void start();
  void stop();
  int port() const;
  std::string baseUrl() const;  // http://host:port/k3cloud/
  const SimulatorOptions& options() const { return options_; }

  BillBook& book() { return book_; }
  void inject(Fault fault);
  void clearFaults();
  void expireSessions();  // every session ends now; the next call answers MsgCode 1
  void addUser(const std::string& username, const std::string& password);
  void addApp(const std::string& appId, const std::string& appSecret);
  // Tasks begun from now on answer Running for this many polls (options().task_running_polls).
  void setTaskRunningPolls(int polls);
  // {"BD_Customer":[{model},...], ...}: base data first, then bills.
  void loadSeed(const nlohmann::json& seed);

  int calls(const std::string& operation) const;  // answered or not
  // Rows ExecuteBillQuery answered for this form: with a sink's look-ups by
  // external number the only queries of a form, the bills those look-ups found.
  int queryRows(const std::string& formId) const;
  int logins() const;
  std::size_t sessions() const;

 private:
  struct Session {
    std::string user;
    Millis last_used = 0;
  };
  hub::sim::SimResponse handle(const hub::sim::SimRequest& req);
  hub::sim::SimResponse admin(const hub::sim::SimRequest& req);
  hub::sim::SimResponse login(const std::string& method, const nlohmann::json& args);
  hub::sim::SimResponse accountService(const std::string& method) const;  // GetDataCenterList
  nlohmann::json operation(const std::string& op, const nlohmann::json& args);
  // A call sent with beginmethod BeginQueryImpl: done now, its answer kept
  // for QueryAsyncResult; answers {TaskId, Status 1, ...}.
  nlohmann::json beginTask(nlohmann::json answer);
  // QueryAsyncResult for `queryInfo` ({TaskId, Cancelled}, or that as JSON text).
  nlohmann::json queryTask(const nlohmann::json& queryInfo);
  // Why a DynamicFormService call is refused, as Kingdee's MsgCode says it:
  // 1 (上下文丢失) a session that is gone — log in again and retry; 2 (没有权限)
  // a signature that does not check out, which no retry fixes.
  static constexpr int kMsgContextLost = 1;
  static constexpr int kMsgNoPermission = 2;
  struct Refusal {
    std::string message;
    int msg_code = kMsgContextLost;
  };
  // `setCookies` gets the cookies of a session the call opened (signed calls).
  std::optional<Refusal> authenticate(const hub::sim::SimRequest& req,
                                      std::vector<std::pair<std::string, std::string>>& setCookies);
  // "" when the X-Kd-*/X-Api-* headers check out (`user` is then the signed
  // one); else what is wrong with them.
  std::string checkSignedHeaders(const hub::sim::SimRequest& req, std::string& user);
  // A session is known by both of its cookie ids.
  struct SessionIds {
    std::string sid, aspnet;  // kdservice-sessionid, ASP.NET_SessionId
    std::vector<std::pair<std::string, std::string>> setCookies() const;
  };
  SessionIds openSession(const std::string& user);
  // True for a live session (its idle time starts again); an idle one ends.
  bool touchSession(const std::string& id);
  std::optional<Fault> takeFault(const std::string& op);

  SimulatorOptions options_;
  BillBook book_;
  std::unique_ptr<hub::sim::SimHttpServer> server_;
  mutable std::mutex mutex_;
  std::map<std::string, std::string> users_;  // username → password
  std::map<std::string, std::string> apps_;   // app id → secret
  std::map<std::string, Session> sessions_;   // by kdservice-sessionid and ASP.NET_SessionId
  std::deque<Fault> faults_;
  std::map<std::string, int> calls_;
  std::map<std::string, int> query_rows_;  // by form id
  int logins_ = 0;
  struct Task {
    nlohmann::json answer;
    int running_polls = 0;  // left before the answer shows
  };
  std::map<std::string, Task> tasks_;  // by TaskId
  int task_running_polls_ = 0;
};

}  // namespace hub::connector::kingdee::sim
