#pragma once
// The sync engine: runs flows when triggered (one at a time per flow: the run
// gate in this process, the run claim in the store across processes), and
// delivers queued records on a pool of workers. Each (flow, target) is a
// delivery lane; a worker takes the lane that is due soonest, delivers one
// batch and puts it back. Everything it knows survives in the store, so a
// restart continues where a crash left off. Every thread it starts is joined
// by stop().
#include <atomic>
#include <condition_variable>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <tl/expected.hpp>
#include <vector>

#include "hub/engine/delivery.h"
#include "hub/engine/landscape.h"
#include "hub/engine/pull_run.h"
#include "hub/engine/stop_signal.h"
#include "hub/store/store.h"
#include "scheduler/run_gate.h"

namespace hub::engine {

struct EngineOptions {
  int workers = 2;
  Millis lease_ttl = 60000;     // also the run claim's TTL
  Millis poll_interval = 500;   // how often an idle lane looks for work others queued
  Millis retention = 7LL * 86400000;
  Millis sweep_interval = 30000;  // park timeouts and purging of finished rows
  std::string owner;            // lease owner prefix; default host:pid
  // Batches of one lane in flight at once (0 = as many as workers). Safe: the
  // lease never hands out two versions of a key, nor a key already in flight.
  int lane_concurrency = 0;
};

enum class TriggerResult { Started, Queued, Skipped, RunningElsewhere, Paused, UnknownFlow, Failed };
const char* toString(TriggerResult r);

struct Triggered {
  TriggerResult result = TriggerResult::Skipped;
  store::Id run = 0;   // Started: the run's id
  std::string detail;  // RunningElsewhere: the claim's holder; Failed: why
};

// Why a pushed body was not queued (store failures are thrown as StoreError).
struct PushRefused {
  enum class Reason { UnknownFlow, SourceUnavailable, MalformedBody, DecoderFailed } reason;
  std::string message;
};

class Engine {
 public:
  // Shares the landscape's stop signal: reloads must build theirs with stopSignal().
  Engine(store::Store& store, std::shared_ptr<const Landscape> landscape, EngineOptions options,
         const Clock& clock = SystemClock::instance(), EngineObserver* observer = nullptr);
  ~Engine();  // stop(0)
  Engine(const Engine&) = delete;

  void start();
  // Stops taking work; batches and pull pages in progress get until shortly
  // before `deadline`, then calls still in flight are aborted (their records
  // stay leased and come back after the lease). Joins every thread before it
  // returns. False when work had to be cut short.
  bool stop(Millis deadline);
  const std::shared_ptr<StopSignal>& stopSignal() const { return stop_; }

  void replaceLandscape(std::shared_ptr<const Landscape> landscape);
  std::shared_ptr<const Landscape> landscape() const;

  // Begins a run and pulls it in the background (schedules, webhooks, the API).
  Triggered trigger(const std::string& flow, const std::string& reason);
  // Runs the pull now on this thread (the CLI); nothing when it was refused.
  std::optional<PullSummary> runNow(const std::string& flow, const std::string& reason, Triggered* refused = nullptr,
                                    std::function<void(store::Id)> onRunStarted = {});

  // Webhook payload mode: the body's records are committed before this returns.
  tl::expected<store::IntakeResult, PushRefused> acceptPushed(const std::string& flow,
                                                              const connector::PushedBody& pushed,
                                                              const std::string& deliveryId);

  void setPaused(const std::string& flow, bool paused);
  bool paused(const std::string& flow) const;
  // Records of this flow (all flows when empty) may have become due.
  void wake(const std::string& flow = {});
  // This engine's name among the nodes sharing the store (host:pid:suffix).
  const std::string& node() const { return claimOwner_; }
  // Number of runs executing now.
  int activeRuns() const { return activeRuns_.load(); }

 private:
  struct Lane {
    std::string flow, target;
    Millis next_due = 0;
    int busy = 0;  // batches in flight
  };
  struct RunThread {
    std::thread thread;
    bool done = false;  // set under mutex_ as the thread ends; reaped by the next trigger and by stop()
  };
  void rebuildLanes();
  void workerLoop(int index);
  void sweeperLoop();
  void sweep();
  void runLoop(std::shared_ptr<const Landscape> scape, std::string flow, store::Id run);
  PullContext pullContext(const std::string& flow);
  Triggered begin(const Flow& flow, const std::string& reason);
  void deliverLane(Lane& lane, std::mt19937_64& rng, int worker);
  void releaseOrphans();
  void leaveRun();

  store::Store& store_;
  EngineOptions options_;
  const Clock& clock_;
  EngineObserver* observer_;
  sched::RunGate gate_;
  std::shared_ptr<StopSignal> stop_;
  std::string claimOwner_;  // owner + a per-engine suffix: two engines of one process never share a claim

  mutable std::mutex mutex_;
  std::condition_variable wake_;    // workers: lanes may be due
  std::condition_variable sweep_;   // the sweeper: only its schedule and the stop
  std::condition_variable idle_;    // stop(): a batch or run ended
  std::shared_ptr<const Landscape> landscape_;
  std::vector<Lane> lanes_;
  std::map<std::string, bool> paused_;
  std::atomic<int> activeRuns_{0};
  int busyWorkers_ = 0;  // guarded by mutex_
  std::vector<std::thread> workers_;
  std::thread sweeper_;
  std::list<RunThread> runs_;
  bool started_ = false;
};

}  // namespace hub::engine
