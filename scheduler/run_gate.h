#pragma once
// No overlapping runs of one flow. The engine asks the gate before every run,
// whatever triggered it (schedule, webhook notify, manual run), and reports
// when the run ends. Pure bookkeeping: thread-safe, no clock, no I/O.
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace hub::sched {

// FlowConfig::on_overlap: what a trigger does while the flow is running.
enum class Overlap { Skip, Queue };
std::optional<Overlap> parseOverlap(std::string_view text);  // "skip" | "queue"

enum class Admission {
  Started,  // the caller runs the flow now and calls finished() after
  Skipped,  // already running and the policy is skip: nothing to do
  Queued,   // already running, policy queue: one run follows the current one
            // (a trigger arriving while one is already queued joins it)
};

class RunGate {
 public:
  void setPolicy(const std::string& flow, Overlap policy);  // default: skip
  Admission tryStart(const std::string& flow);
  // The flow's run ended (also when it failed). True: the queued run now
  // holds the slot; the caller starts it and calls finished() again after.
  bool finished(const std::string& flow);
  // Forgets a queued run (the flow was paused or removed); true if one was.
  bool dropQueued(const std::string& flow);

  bool running(const std::string& flow) const;
  bool queued(const std::string& flow) const;

 private:
  struct Slot {
    Overlap policy = Overlap::Skip;
    bool running = false;
    bool queued = false;
  };
  mutable std::mutex mutex_;
  std::map<std::string, Slot, std::less<>> slots_;
};

}  // namespace hub::sched
