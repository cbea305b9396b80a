// The simulator's server tasks, the SDKs' polling invoke mode: a call begun
// with beginmethod BeginQueryImpl is done at once — the work happens whether
// or not anybody asks for its answer — and QueryAsyncResult answers Running
// for as many polls as the simulator is told, then the call's own answer.
#include "connectors/kingdee/sim/kingdee_simulator.h"
#include "connectors/kingdee/sim/sim_json.h"
#include "hub/core/digest.h"

namespace hub::connector::kingdee::sim {

using nlohmann::json;

namespace {

constexpr int kRunning = 1;
constexpr int kComplete = 2;

// The QueryResultInfo shape of the Java SDK.
json taskAnswer(const std::string& id, int status, json result, const std::string& fault = "") {
  return {{"TaskId", id},
          {"Status", status},
          {"Result", std::move(result)},
          {"Cancelled", false},
          {"IsFaulted", !fault.empty()},
          {"FaultedException", nullptr},
          {"Successful", status == kComplete && fault.empty()},
          {"Message", fault},
          {"Progress", status == kComplete ? 100 : 50},
          {"ProgressDesc", ""}};
}

}  // namespace

void KingdeeSimulator::setTaskRunningPolls(int polls) {
  std::lock_guard lock(mutex_);
  task_running_polls_ = polls;
}

json KingdeeSimulator::beginTask(json answer) {
  const std::string id = digest::hex(digest::randomBytes(16));
  std::lock_guard lock(mutex_);
  tasks_[id] = {std::move(answer), task_running_polls_};
  return taskAnswer(id, kRunning, nullptr);
}

json KingdeeSimulator::queryTask(const json& queryInfo) {
  // The Python SDK sends queryInfo as JSON text, the Java SDK as an object.
  const json info = queryInfo.is_string() ? json::parse(queryInfo.get<std::string>(), nullptr, false) : queryInfo;
  const std::string id = textOf(info, "TaskId");
  std::lock_guard lock(mutex_);
  auto it = tasks_.find(id);
  if (it == tasks_.end()) return taskAnswer(id, kComplete, nullptr, "任务不存在或已结束（TaskId " + id + "）");
  if (it->second.running_polls > 0) {
    --it->second.running_polls;
    return taskAnswer(id, kRunning, nullptr);
  }
  json done = taskAnswer(id, kComplete, std::move(it->second.answer));
  tasks_.erase(it);
  return done;
}

}  // namespace hub::connector::kingdee::sim
