#pragma once
// Which of the nodes sharing a store fires the schedules: the one holding the
// leader lease (a row in the store with holder and expiry, like River's
// river_leader). A thread here takes or renews it every ttl/3, so a healthy
// leader renews twice before it could expire; a node that stops renewing (it
// died, was stopped, lost the store) loses it within the TTL and another takes
// it over. This node counts itself leader only until two thirds of the TTL
// after its last successful renewal: it gives up before anyone may take over.
// Two leaders for a moment (a paused process waking) still fire each tick
// once, because every fire is also claimed by a unique row.
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "scheduler/wait_clock.h"

namespace hub::sched {

// The duty whose leader fires schedules, as the store names it.
inline constexpr const char* kScheduleDuty = "schedules";
// A node not heard from for this many leader TTLs is not counted as alive.
inline constexpr Millis nodeSilenceLimit(Millis leaderTtl) { return leaderTtl; }

struct LeaderLeaseHooks {
  // Takes or renews the lease until now + ttl; false while another holds it.
  // May throw (the store is unreachable): counted as not held.
  std::function<bool(Millis now, Millis ttl)> hold;
  std::function<void()> resign;  // on stop(), when leading
  // Leadership changed (on the lease thread): the scheduler resynchronises.
  std::function<void(bool leading)> changed;
};

class LeaderLease {
 public:
  LeaderLease(LeaderLeaseHooks hooks, Millis ttl, WaitClock& clock = SystemWaitClock::instance());
  ~LeaderLease();  // stop()
  LeaderLease(const LeaderLease&) = delete;
  LeaderLease& operator=(const LeaderLease&) = delete;

  void start();
  // Joins the thread and resigns, so another node leads at once.
  void stop();
  bool leading() const;
  Millis ttl() const { return ttl_; }

 private:
  void loop();
  void attempt();

  LeaderLeaseHooks hooks_;
  const Millis ttl_;
  WaitClock& clock_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool started_ = false, stopping_ = false;
  bool held_ = false;
  Millis validUntil_ = 0;  // this node's own view: leading while now < validUntil_
  std::thread thread_;
};

}  // namespace hub::sched
