#pragma once
// The pull half of a run: pages from the source since the flow's watermark,
// each page's records committed to the queue together with the advanced
// cursor in one transaction before the next page is asked for.
#include <atomic>
#include <functional>
#include <string>

#include "hub/core/time.h"
#include "hub/engine/landscape.h"
#include "hub/store/store.h"

namespace hub::engine {

struct PullSummary {
  store::Id run = 0;
  std::size_t pages = 0, pulled = 0, queued = 0, unchanged = 0, rejected = 0;
  std::string error;  // empty when the pull completed
};

struct PullContext {
  store::Store& store;
  const Clock& clock;
  EngineObserver* observer = nullptr;
  std::function<void()> on_page_committed;  // wakes the flow's delivery lanes
  std::function<void(store::Id)> on_run_started;
  const std::atomic<bool>* stopping = nullptr;
  int page_attempts = 3;  // tries per page before the run fails (the cursor stays put)
};

PullSummary pullFlow(const Flow& flow, const std::string& trigger, PullContext& ctx);

// Converts source records for the queue; records the source could not decode
// carry their problem and are dead-lettered at intake.
std::vector<store::IncomingRecord> toIncoming(const std::vector<connector::Record>& records);

}  // namespace hub::engine
