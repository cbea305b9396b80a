#include "scheduler/run_gate.h"

namespace hub::sched {

std::optional<Overlap> parseOverlap(std::string_view text) {
  if (text == "skip") return Overlap::Skip;
  if (text == "queue") return Overlap::Queue;
  return std::nullopt;
}

void RunGate::setPolicy(const std::string& flow, Overlap policy) {
  std::lock_guard guard(mutex_);
  slots_[flow].policy = policy;
}

Admission RunGate::tryStart(const std::string& flow) {
  std::lock_guard guard(mutex_);
  Slot& slot = slots_[flow];
  if (!slot.running) {
    slot.running = true;
    return Admission::Started;
  }
  if (slot.policy == Overlap::Skip) return Admission::Skipped;
  // At most one waits: the queued run will see whatever this trigger wanted
  // seen, so further triggers fold into it.
  slot.queued = true;
  return Admission::Queued;
}

bool RunGate::finished(const std::string& flow) {
  std::lock_guard guard(mutex_);
  const auto it = slots_.find(flow);
  if (it == slots_.end() || !it->second.running) return false;
  if (it->second.queued) {
    it->second.queued = false;  // the slot passes straight to the queued run
    return true;
  }
  it->second.running = false;
  return false;
}

bool RunGate::dropQueued(const std::string& flow) {
  std::lock_guard guard(mutex_);
  const auto it = slots_.find(flow);
  if (it == slots_.end() || !it->second.queued) return false;
  it->second.queued = false;
  return true;
}

bool RunGate::running(const std::string& flow) const {
  std::lock_guard guard(mutex_);
  const auto it = slots_.find(flow);
  return it != slots_.end() && it->second.running;
}

bool RunGate::queued(const std::string& flow) const {
  std::lock_guard guard(mutex_);
  const auto it = slots_.find(flow);
  return it != slots_.end() && it->second.queued;
}

}  // namespace hub::sched
