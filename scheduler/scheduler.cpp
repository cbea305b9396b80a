#include "scheduler/scheduler.h"

#include <exception>
#include <limits>

#include "hub/core/log.h"

namespace hub::sched {

Scheduler::Scheduler(SchedulerHooks hooks, WaitClock& clock, SchedulerOptions options)
    : hooks_(std::move(hooks)), clock_(clock), options_(options), jitter_(options.jitter_seed) {}

Scheduler::~Scheduler() { stop(); }

void Scheduler::start() {
  {
    std::lock_guard guard(mutex_);
    if (started_) return;
  }
  resync();
  std::lock_guard guard(mutex_);
  started_ = true;
  stopping_ = false;
  following_ = static_cast<bool>(hooks_.leading);
  thread_ = std::thread([this] { loop(); });
}

void Scheduler::resync() {
  std::vector<Key> keys;
  {
    std::lock_guard guard(mutex_);
    for (const auto& [key, entry] : entries_) keys.push_back(key);
  }
  std::map<Key, std::optional<Millis>> last;
  for (const Key& key : keys) {
    try {
      last[key] = hooks_.lastFire ? hooks_.lastFire(key.first, key.second) : std::nullopt;
    } catch (const std::exception& e) {
      log::error("schedule_history_unreadable", {{"flow", key.first}, {"trigger", key.second}, {"error", e.what()}});
    }
  }
  std::lock_guard guard(mutex_);
  const Millis now = clock_.now();
  for (auto& [key, entry] : entries_) {
    const auto it = last.find(key);
    const std::optional<Millis> from = it != last.end() ? it->second : std::nullopt;
    entry.due = entry.trigger.schedule.next(from ? *from : now, &jitter_);
  }
}

void Scheduler::leadershipChanged() { wake_.notify_all(); }

void Scheduler::stop() {
  {
    std::lock_guard guard(mutex_);
    if (!started_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard guard(mutex_);
  started_ = false;
}

void Scheduler::replaceAll(std::vector<ScheduledTrigger> triggers) { merge(std::move(triggers), nullptr); }

void Scheduler::replaceFlow(const std::string& flow, std::vector<ScheduledTrigger> triggers) {
  merge(std::move(triggers), &flow);
}

void Scheduler::merge(std::vector<ScheduledTrigger> triggers, const std::string* onlyFlow) {
  {
    std::lock_guard guard(mutex_);
    const Millis now = clock_.now();
    std::map<Key, Entry> next;
    if (onlyFlow) {
      for (auto& [key, entry] : entries_)
        if (key.first != *onlyFlow) next.emplace(key, std::move(entry));
    }
    for (auto& t : triggers) {
      if (onlyFlow && t.flow != *onlyFlow) continue;
      Key key{t.flow, t.index};
      const auto old = entries_.find(key);
      if (old != entries_.end() && old->second.trigger.schedule == t.schedule) {
        old->second.trigger.misfire = t.misfire;
        next.emplace(key, std::move(old->second));
        continue;
      }
      // Before start() the first time comes from lastFire; after, from now.
      std::optional<Millis> due = started_ ? t.schedule.next(now, &jitter_) : std::nullopt;
      next.emplace(std::move(key), Entry{std::move(t), due});
    }
    entries_ = std::move(next);
  }
  wake_.notify_all();
}

std::vector<Upcoming> Scheduler::upcoming() const {
  std::lock_guard guard(mutex_);
  std::vector<Upcoming> out;
  const Millis now = clock_.now();
  for (const auto& [key, entry] : entries_) {
    const auto due = started_ ? entry.due : entry.trigger.schedule.next(now);
    out.push_back({key.first, key.second, entry.trigger.schedule.describe(), due});
  }
  return out;
}

std::vector<Scheduler::Action> Scheduler::collectDue(Millis now) {
  std::vector<Action> actions;
  for (auto& [key, entry] : entries_) {
    if (!entry.due || *entry.due > now) continue;
    const Millis due = *entry.due;
    const Schedule& schedule = entry.trigger.schedule;
    if (now - due <= options_.misfire_grace) {
      actions.push_back({key, due, due});
      entry.due = schedule.next(due, &jitter_);
      // Woken late for a fast schedule: fire once, not once per missed second.
      if (entry.due && *entry.due <= now) entry.due = schedule.next(now, &jitter_);
      continue;
    }
    const bool runOnce = entry.trigger.misfire == Misfire::RunOnce;
    log::warn("schedule_misfire", {{"flow", key.first},
                                   {"trigger", key.second},
                                   {"missed", formatIsoSeconds(due)},
                                   {"policy", runOnce ? "run_once" : "skip"}});
    if (runOnce) actions.push_back({key, due, now});
    entry.due = schedule.next(now, &jitter_);
  }
  return actions;
}

void Scheduler::fire(const Action& a) {
  try {
    if (hooks_.claim) {
      if (!hooks_.claim(a.key.first, a.key.second, a.scheduled_for, a.record)) {
        log::debug("schedule_tick_fired_elsewhere",
                   {{"flow", a.key.first}, {"trigger", a.key.second}, {"scheduled_for", formatIsoMillis(a.scheduled_for)}});
        return;
      }
      // Claimed before the fire: a crash in between loses this tick (the
      // next one pulls what it would have), never fires it twice.
      if (hooks_.fire) hooks_.fire(a.key.first, a.key.second, a.scheduled_for);
      return;
    }
    if (hooks_.fire) hooks_.fire(a.key.first, a.key.second, a.scheduled_for);
    // Recorded after the fire: a crash in between fires again on restart (at
    // least once), which an idempotent sync tolerates.
    if (hooks_.recordFire) hooks_.recordFire(a.key.first, a.key.second, a.record);
  } catch (const std::exception& e) {
    log::error("schedule_fire_failed", {{"flow", a.key.first}, {"trigger", a.key.second}, {"error", e.what()}});
  }
}

void Scheduler::loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (hooks_.leading && !hooks_.leading()) {
      following_ = true;
      clock_.waitUntil(lock, wake_, clock_.now() + std::max<Millis>(1, options_.follower_poll));
      continue;
    }
    if (following_) {
      following_ = false;
      lock.unlock();
      resync();
      lock.lock();
      continue;
    }
    const std::vector<Action> actions = collectDue(clock_.now());
    if (!actions.empty()) {
      lock.unlock();
      for (const Action& a : actions) {
        // Leadership may have lapsed while an earlier fire ran.
        if (hooks_.leading && !hooks_.leading()) break;
        fire(a);
      }
      lock.lock();
      continue;
    }
    Millis deadline = std::numeric_limits<Millis>::max();
    for (const auto& [key, entry] : entries_)
      if (entry.due) deadline = std::min(deadline, *entry.due);
    if (hooks_.leading) deadline = std::min(deadline, clock_.now() + std::max<Millis>(1, options_.follower_poll));
    clock_.waitUntil(lock, wake_, deadline);
  }
}

}  // namespace hub::sched
