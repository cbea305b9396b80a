#include "connectors/kingdee/kingdee_task.h"

#include "connectors/kingdee/kingdee_errors.h"
#include "connectors/kingdee/kingdee_session.h"
#include "connectors/spi/errors.h"

namespace hub::connector::kingdee {

namespace {

using nlohmann::json;

constexpr int kComplete = 2;

bool flag(const json& answer, const char* key) {
  const auto it = answer.find(key);
  return it != answer.end() && it->is_boolean() && it->get<bool>();
}

std::string text(const json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

// Where a begun task stands, from a begin or QueryAsyncResult answer.
struct TaskState {
  std::string id;
  int status = -1;
  bool faulted = false;
  std::string message;
  json result;
};

TaskState readTask(const json& answer, std::string_view label) {
  if (!answer.is_object() || !answer.contains("Status"))
    throw RetryableError("malformed_response", std::string(label) + ": the task answer carries no Status");
  TaskState t;
  t.id = text(answer.value("TaskId", json()));
  const json& status = answer["Status"];
  t.status = status.is_number_integer() ? status.get<int>() : text(status) == "2" ? kComplete : 0;
  t.faulted = flag(answer, "IsFaulted") || flag(answer, "Cancelled");
  t.message = text(answer.value("Message", json()));
  t.result = answer.value("Result", json());
  // The SDKs re-serialise Result themselves; some builds send it as JSON text.
  if (t.result.is_string()) t.result = json::parse(t.result.get<std::string>(), nullptr, false);
  return t;
}

// The Result of the finished task; every failure on the way is ambiguous.
json awaitResult(KingdeeSession& session, const json& begun, const TaskPolling& polling, const std::string& label) {
  try {
    TaskState task = readTask(begun, label);
    std::string failedPoll;
    for (int polls = 0;; ++polls) {
      if (task.faulted)
        throw RetryableError("task_faulted", label + ": task " + task.id + " ended without a result: " + task.message);
      if (task.status == kComplete) {
        if (task.result.is_null() || task.result.is_discarded())
          throw RetryableError("malformed_response", label + ": task " + task.id + " completed without a Result");
        return task.result;
      }
      if (polls >= polling.max_polls)
        throw RetryableError("task_running", label + ": task " + task.id + " still running after " +
                                                 std::to_string(polls) + " polls" +
                                                 (failedPoll.empty() ? "" : " (the last failed: " + failedPoll + ")") +
                                                 "; the retry looks the bills up");
      if (!session.pause(polling.interval))
        throw RetryableError("aborted", label + ": the hub stopped while task " + task.id + " was running");
      try {
        task = readTask(session.callWithBody("QueryAsyncResult",
                                             {{"queryInfo", json{{"TaskId", task.id}, {"Cancelled", false}}.dump()}}),
                        label);
        failedPoll.clear();
      } catch (const RetryableError& e) {
        if (e.error_type == "aborted" || e.error_type == "stopping") throw;
        failedPoll = e.what();  // the SDKs ask again after a failed poll; so does this, within max_polls
      }
    }
  } catch (RetryableError& e) {
    e.ambiguous = true;
    throw;
  } catch (const PermanentError& e) {
    RetryableError unknown(e.error_type, std::string(e.what()) + " (after the task began: it may have run)",
                           e.http_status);
    unknown.response_excerpt = e.response_excerpt;
    unknown.ambiguous = true;
    throw unknown;
  }
}

}  // namespace

json callAsTask(KingdeeSession& session, std::string_view operation, const std::string& formId, const json& data,
                const TaskPolling& polling) {
  const std::string label = "Kingdee." + std::string(operation);
  // Refused before it began (session, signature, transport): as a direct call.
  const json begun = session.callWithBody(operation, {{"formid", formId},
                                                {"data", data},
                                                {"beginmethod", "BeginQueryImpl"},
                                                {"querymethod", "QueryAsyncResult"}});
  const json result = awaitResult(session, begun, polling, label);
  // The task's answer is the server's word on the call, as a direct answer is.
  const Verdict v = classifyDocument(result);
  if (v.disposition != Disposition::Delivered) throwVerdict(v, label);
  return result;
}

}  // namespace hub::connector::kingdee
