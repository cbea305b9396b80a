#pragma once
// The sync engine: runs flows when triggered (one at a time per flow, through
// the run gate), and delivers queued records on a pool of workers. Each
// (flow, target) is a delivery lane; a worker takes the lane that is due
// soonest, delivers one batch and puts it back. Everything it knows survives
// in the store, so a restart continues where a crash left off.
#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "hub/engine/delivery.h"
#include "hub/engine/landscape.h"
#include "hub/engine/pull_run.h"
#include "hub/store/store.h"
#include "scheduler/run_gate.h"

namespace hub::engine {

struct EngineOptions {
  int workers = 2;
  Millis lease_ttl = 60000;
  Millis poll_interval = 500;   // how often an idle lane looks for work others queued
  Millis retention = 7LL * 86400000;
  Millis sweep_interval = 30000;
  std::string owner;            // lease owner prefix; default host:pid
  // Batches of one lane in flight at once (0 = as many as workers). Safe: the
  // lease never hands out two versions of a key, nor a key already in flight.
  int lane_concurrency = 0;
};

enum class TriggerResult { Started, Queued, Skipped, Paused, UnknownFlow };
const char* toString(TriggerResult r);

class Engine {
 public:
  Engine(store::Store& store, std::shared_ptr<const Landscape> landscape, EngineOptions options,
         const Clock& clock = SystemClock::instance(), EngineObserver* observer = nullptr);
  ~Engine();
  Engine(const Engine&) = delete;

  void start();
  // Stops taking work; leased batches and the current page of each pull
  // finish. False when work was still running at the deadline.
  bool stop(Millis deadline);

  void replaceLandscape(std::shared_ptr<const Landscape> landscape);
  std::shared_ptr<const Landscape> landscape() const;

  // Starts a run in the background (schedules, webhooks, the API).
  TriggerResult trigger(const std::string& flow, const std::string& reason);
  // Runs the pull now on this thread (the CLI); nullopt when the gate refused.
  std::optional<PullSummary> runNow(const std::string& flow, const std::string& reason, TriggerResult* refused = nullptr,
                                    std::function<void(store::Id)> onRunStarted = {});

  // Webhook payload mode: the body's records are committed before this returns.
  store::IntakeResult acceptPushed(const std::string& flow, std::string_view body, std::string_view contentType,
                                   const std::string& deliveryId);

  void setPaused(const std::string& flow, bool paused);
  bool paused(const std::string& flow) const;
  // Records of this flow (all flows when empty) may have become due.
  void wake(const std::string& flow = {});
  // Number of runs executing now.
  int activeRuns() const { return activeRuns_.load(); }
  sched::RunGate& gate() { return gate_; }

 private:
  struct Lane {
    std::string flow, target;
    Millis next_due = 0;
    int busy = 0;  // batches in flight
  };
  void rebuildLanes();
  void workerLoop(int index);
  void sweeperLoop();
  void runLoop(std::string flow, std::string reason);
  PullSummary pull(const Flow& flow, const std::string& reason, std::function<void(store::Id)> onRunStarted = {});
  void deliverLane(Lane& lane, std::mt19937_64& rng, int worker);

  store::Store& store_;
  EngineOptions options_;
  const Clock& clock_;
  EngineObserver* observer_;
  sched::RunGate gate_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::shared_ptr<const Landscape> landscape_;
  std::vector<Lane> lanes_;
  std::map<std::string, bool> paused_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> activeRuns_{0};
  std::atomic<int> busyWorkers_{0};
  std::vector<std::thread> workers_;
  std::thread sweeper_;
  std::vector<std::thread> runs_;
  bool started_ = false;
};

}  // namespace hub::engine
