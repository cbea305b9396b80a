#pragma once
// The pull half of a run: pages from the source since the flow's watermark,
// each page's records committed to the queue together with the advanced
// cursor in one transaction before the next page is asked for.
//
// One pull of a flow at a time, in every process sharing the store: a run
// begins by taking the flow's run claim, renews it with every page commit
// (which is fenced by it) and releases it at the end. A failing store fails
// the run, never the process; the next run resumes from the committed cursor.
#include <functional>
#include <string>

#include "hub/core/time.h"
#include "hub/engine/landscape.h"
#include "hub/engine/stop_signal.h"
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
  const StopSignal& stop;   // a stop ends retry waits and the pull after its current page
  std::string owner;        // the run claim's holder: unique per engine
  EngineObserver* observer = nullptr;
  std::function<void()> on_page_committed;  // wakes the flow's delivery lanes
  Millis claim_ttl = 60000; // renewed with every page; a dead holder's claim lapses after this
  int page_attempts = 3;    // tries per page before the run fails (the cursor stays put)
};

// A run that began (run != 0), or why not: another process holds the flow's
// claim (`held_by`), or the store failed (`error`).
struct RunStart {
  store::Id run = 0;
  std::string held_by;
  std::string error;
};

// Takes the flow's run claim and records the run's start.
RunStart beginRun(const Flow& flow, const std::string& trigger, PullContext& ctx);

// Pulls the run begun by beginRun to its end and releases the claim.
PullSummary pullFlow(const Flow& flow, store::Id run, PullContext& ctx);

// Converts source records for the queue; records the source could not decode
// carry their problem and are dead-lettered at intake.
std::vector<store::IncomingRecord> toIncoming(const std::vector<connector::Record>& records);

}  // namespace hub::engine
