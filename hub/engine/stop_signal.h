#pragma once
// How the hub stops, in two stages, as something threads can wait on:
//   stop   no new work is taken; waits (retry back-off, rate limits) end at
//          once; work in progress finishes;
//   abort  at the shutdown deadline: calls still in flight end now (the
//          connectors' HTTP transfers check it), their records stay leased.
// One signal is shared by the engine and every landscape it runs, so a call
// made with a landscape replaced by a reload is aborted too.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

#include "hub/core/time.h"

namespace hub::engine {

class StopSignal {
 public:
  void requestStop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
  }
  void abortCalls() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
      aborting_ = true;
    }
    changed_.notify_all();
  }
  bool stopping() const { return stopping_.load(); }
  bool aborting() const { return aborting_.load(); }

  // Sleeps up to `ms`; false when the stop came first. Waits that are part
  // of work in progress (a call waiting for its rate-limit slot) end only at
  // the abort instead.
  enum class Until { Stop, Abort };
  bool sleepFor(Millis ms, Until until = Until::Stop) const {
    std::unique_lock lock(mutex_);
    return !changed_.wait_for(lock, std::chrono::milliseconds(ms < 0 ? 0 : ms), [&] {
      return until == Until::Stop ? stopping_.load() : aborting_.load();
    });
  }

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> aborting_{false};
};

}  // namespace hub::engine
