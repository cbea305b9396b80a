#pragma once
// Kingdee's server tasks, the SDKs' polling invoke mode (BatchSaveQuery): a
// call whose body also carries "beginmethod":"BeginQueryImpl" and
// "querymethod":"QueryAsyncResult" starts as a task on the server and
// answers {"Status", "TaskId", "Result"}; DynamicFormService.QueryAsyncResult
// with {"queryInfo":"{\"TaskId\":..,\"Cancelled\":false}"} answers the same
// until Status is 2 (0 pending, 1 running, 2 complete), with the call's own
// answer as Result.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "connectors/spi/record.h"

namespace hub::connector::kingdee {

class KingdeeSession;

struct TaskPolling {
  int max_polls = 30;      // QueryAsyncResult calls at most; then the outcome is unknown
  Millis interval = 1000;  // wait before each of them (the SDKs wait 1 s)
};

// Runs DynamicFormService.<operation> as a task and answers its Result, as
// the direct call would have answered (a refusal in it is thrown the same
// way). Once the task has begun the server may do the work whatever happens
// next, so every failure after that is an ambiguous RetryableError: polls
// that run out ("task_running"), the hub aborting calls while it waits
// ("aborted"), a task the server lost or that faulted. A poll that fails is
// asked again, as the SDKs do, and counts against max_polls.
nlohmann::json callAsTask(KingdeeSession& session, std::string_view operation, const std::string& formId,
                          const nlohmann::json& data, const TaskPolling& polling);

}  // namespace hub::connector::kingdee
