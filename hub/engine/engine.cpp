#include "hub/engine/engine.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <chrono>
#include <limits>

#include "connectors/spi/errors.h"
#include "hub/core/log.h"
#include "hub/core/redaction.h"

namespace hub::engine {
namespace {
constexpr Millis kNever = std::numeric_limits<Millis>::max();

std::string defaultOwner() {
  char host[256] = {0};
  gethostname(host, sizeof host - 1);
  return std::string(host) + ":" + std::to_string(getpid());
}
}  // namespace

const char* toString(TriggerResult r) {
  switch (r) {
    case TriggerResult::Started: return "started";
    case TriggerResult::Queued: return "queued";
    case TriggerResult::Skipped: return "skipped";
    case TriggerResult::Paused: return "paused";
    case TriggerResult::UnknownFlow: return "unknown_flow";
  }
  return "started";
}

Engine::Engine(store::Store& store, std::shared_ptr<const Landscape> landscape, EngineOptions options,
               const Clock& clock, EngineObserver* observer)
    : store_(store), options_(std::move(options)), clock_(clock), observer_(observer), landscape_(std::move(landscape)) {
  if (options_.owner.empty()) options_.owner = defaultOwner();
  if (options_.lane_concurrency <= 0) options_.lane_concurrency = std::max(1, options_.workers);
  for (const auto& f : landscape_->flows()) {
    paused_[f.name()] = f.config.paused || store_.flows().get(f.name()).paused;
    gate_.setPolicy(f.name(), *sched::parseOverlap(f.config.on_overlap));
  }
  rebuildLanes();
}

Engine::~Engine() { stop(0); }

void Engine::rebuildLanes() {
  std::vector<Lane> lanes;
  for (const auto& f : landscape_->flows()) {
    for (const auto& t : f.targets) {
      Lane lane{f.name(), t.name, 0, 0};
      for (const auto& old : lanes_)
        if (old.flow == lane.flow && old.target == lane.target) lane.busy = old.busy;
      lanes.push_back(lane);
    }
  }
  lanes_ = std::move(lanes);
}

// Leases held by a process of this host that no longer exists will never be
// completed: hand those records out again now rather than after the TTL.
void releaseOrphanedLeases(store::Store& store, const std::string& self, Millis now) {
  const std::string host = self.substr(0, self.find(':'));
  for (const auto& owner : store.queue().leaseOwners()) {
    const auto first = owner.find(':');
    if (first == std::string::npos || owner.substr(0, first) != host) continue;
    const pid_t pid = static_cast<pid_t>(std::atol(owner.c_str() + first + 1));
    if (pid <= 0 || pid == getpid() || (::kill(pid, 0) != 0 && errno == ESRCH)) {
      if (pid == getpid()) continue;
      const auto n = store.queue().releaseLeases(owner, now);
      log::info("orphaned_leases_released", {{"owner", owner}, {"records", n}});
    }
  }
}

void Engine::start() {
  releaseOrphanedLeases(store_, options_.owner, clock_.now());
  std::lock_guard lock(mutex_);
  if (started_) return;
  started_ = true;
  for (int i = 0; i < std::max(1, options_.workers); ++i) workers_.emplace_back([this, i] { workerLoop(i); });
  sweeper_ = std::thread([this] { sweeperLoop(); });
  log::info("engine_started", {{"workers", options_.workers}, {"lanes", lanes_.size()}, {"owner", options_.owner}});
}

bool Engine::stop(Millis deadline) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_.exchange(true)) return true;
  }
  wake_.notify_all();
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(deadline);
  while ((busyWorkers_.load() > 0 || activeRuns_.load() > 0) && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  const bool clean = busyWorkers_.load() == 0 && activeRuns_.load() == 0;
  if (!clean) {
    log::warn("engine_stop_deadline", {{"busy_workers", busyWorkers_.load()}, {"active_runs", activeRuns_.load()}});
    // Work still in flight holds leases; detaching is safe: the leases expire
    // and the records are retried, marked ambiguous.
    for (auto& t : workers_) t.detach();
    for (auto& t : runs_) t.detach();
    if (sweeper_.joinable()) sweeper_.detach();
  } else {
    for (auto& t : workers_) t.join();
    for (auto& t : runs_) t.join();
    if (sweeper_.joinable()) sweeper_.join();
  }
  workers_.clear();
  runs_.clear();
  return clean;
}

void Engine::replaceLandscape(std::shared_ptr<const Landscape> landscape) {
  std::lock_guard lock(mutex_);
  landscape_ = std::move(landscape);
  for (const auto& f : landscape_->flows()) {
    if (!paused_.count(f.name())) paused_[f.name()] = f.config.paused || store_.flows().get(f.name()).paused;
    gate_.setPolicy(f.name(), *sched::parseOverlap(f.config.on_overlap));
  }
  rebuildLanes();
  wake_.notify_all();
}

std::shared_ptr<const Landscape> Engine::landscape() const {
  std::lock_guard lock(mutex_);
  return landscape_;
}

void Engine::setPaused(const std::string& flow, bool paused) {
  store_.flows().setPaused(flow, paused, clock_.now());
  {
    std::lock_guard lock(mutex_);
    paused_[flow] = paused;
  }
  if (paused) gate_.dropQueued(flow);
  wake(flow);
}

bool Engine::paused(const std::string& flow) const {
  std::lock_guard lock(mutex_);
  auto it = paused_.find(flow);
  return it != paused_.end() && it->second;
}

void Engine::wake(const std::string& flow) {
  {
    std::lock_guard lock(mutex_);
    for (auto& lane : lanes_)
      if (flow.empty() || lane.flow == flow) lane.next_due = 0;
  }
  wake_.notify_all();
}

TriggerResult Engine::trigger(const std::string& flow, const std::string& reason) {
  auto scape = landscape();
  if (!scape->flow(flow)) return TriggerResult::UnknownFlow;
  if (paused(flow)) return TriggerResult::Paused;
  if (stopping_.load()) return TriggerResult::Skipped;
  switch (gate_.tryStart(flow)) {
    case sched::Admission::Skipped:
      log::info("run_skipped", {{"flow", flow}, {"trigger", reason}, {"why", "already running"}});
      return TriggerResult::Skipped;
    case sched::Admission::Queued:
      return TriggerResult::Queued;
    case sched::Admission::Started:
      break;
  }
  ++activeRuns_;
  std::lock_guard lock(mutex_);
  runs_.erase(std::remove_if(runs_.begin(), runs_.end(), [](std::thread& t) { return !t.joinable(); }), runs_.end());
  runs_.emplace_back([this, flow, reason] { runLoop(flow, reason); });
  return TriggerResult::Started;
}

void Engine::runLoop(std::string flow, std::string reason) {
  do {
    auto scape = landscape();
    if (const Flow* f = scape->flow(flow); f && !stopping_.load()) pull(*f, reason);
    reason = "queued";
  } while (gate_.finished(flow) && !stopping_.load());
  --activeRuns_;
}

std::optional<PullSummary> Engine::runNow(const std::string& flow, const std::string& reason, TriggerResult* refused,
                                          std::function<void(store::Id)> onRunStarted) {
  auto scape = landscape();
  const Flow* f = scape->flow(flow);
  auto refuse = [&](TriggerResult r) -> std::optional<PullSummary> {
    if (refused) *refused = r;
    return std::nullopt;
  };
  if (!f) return refuse(TriggerResult::UnknownFlow);
  if (paused(flow)) return refuse(TriggerResult::Paused);
  if (gate_.tryStart(flow) != sched::Admission::Started) return refuse(TriggerResult::Skipped);
  ++activeRuns_;
  PullSummary s = pull(*f, reason, std::move(onRunStarted));
  gate_.dropQueued(flow);
  gate_.finished(flow);
  --activeRuns_;
  return s;
}

PullSummary Engine::pull(const Flow& flow, const std::string& reason, std::function<void(store::Id)> onRunStarted) {
  PullContext ctx{store_, clock_, observer_, [this, name = flow.name()] { wake(name); }, std::move(onRunStarted),
                  &stopping_};
  return pullFlow(flow, reason, ctx);
}

store::IntakeResult Engine::acceptPushed(const std::string& flow, std::string_view body, std::string_view contentType,
                                         const std::string& deliveryId) {
  auto scape = landscape();
  const Flow* f = scape->flow(flow);
  if (!f) throw std::invalid_argument("unknown flow '" + flow + "'");
  if (!f->source) throw std::runtime_error("source connector of flow '" + flow + "' is not available");
  auto source = f->source->openSource(f->config.source.entity, f->config.source.options);
  store::PageCommit commit;
  commit.flow = flow;
  commit.entity = f->config.entity;
  commit.source_system = f->config.source.connector;
  for (const auto& t : f->targets) commit.targets.push_back(t.name);
  commit.records = toIncoming(source->decodePushed(body, contentType));  // PermanentError on a malformed body
  commit.origin = "webhook";
  commit.delivery_id = deliveryId;
  commit.now = clock_.now();
  auto result = store_.queue().commitPage(commit);
  if (!result.duplicate_delivery) result.received = commit.records.size();
  if (observer_) observer_->recordsPulled(flow, commit.records.size(), result.unchanged);
  if (result.queued) wake(flow);
  return result;
}

void Engine::workerLoop(int index) {
  std::mt19937_64 rng(std::random_device{}() ^ (static_cast<std::uint64_t>(index) << 32));
  std::unique_lock lock(mutex_);
  while (!stopping_.load()) {
    const Millis now = clock_.now();
    Lane* best = nullptr;
    Millis soonest = kNever;
    for (auto& lane : lanes_) {
      if (lane.busy >= options_.lane_concurrency) continue;
      auto p = paused_.find(lane.flow);
      if (p != paused_.end() && p->second) continue;
      if (lane.next_due <= now && (!best || lane.next_due < best->next_due)) best = &lane;
      soonest = std::min(soonest, lane.next_due);
    }
    if (!best) {
      const Millis wait = std::clamp<Millis>(soonest == kNever ? options_.poll_interval : soonest - now, 1,
                                             options_.poll_interval);
      wake_.wait_for(lock, std::chrono::milliseconds(wait));
      continue;
    }
    ++best->busy;
    // Another worker may join while this batch is out only if more is due
    // right away; wake() resets next_due to 0, which then wins.
    const Millis seen = best->next_due;
    best->next_due = best->busy < options_.lane_concurrency && seen == 0 ? 0 : kNever;
    ++busyWorkers_;
    Lane lane = *best;
    lock.unlock();
    deliverLane(lane, rng, index);
    lock.lock();
    --busyWorkers_;
    for (auto& l : lanes_) {
      if (l.flow != lane.flow || l.target != lane.target) continue;
      --l.busy;
      if (l.next_due != 0) l.next_due = std::min(l.next_due, lane.next_due);
    }
    wake_.notify_all();
  }
}

void Engine::deliverLane(Lane& lane, std::mt19937_64& rng, int worker) {
  auto scape = landscape();
  const Flow* flow = scape->flow(lane.flow);
  const Target* target = flow ? flow->target(lane.target) : nullptr;
  const Millis now = clock_.now();
  if (!target) {
    lane.next_due = kNever;
    return;
  }
  try {
    // A cheap read first: most checks of an idle lane find nothing due.
    const auto due = store_.queue().nextDue(lane.flow, lane.target);
    if (!due || *due > now) {
      lane.next_due = std::min(due.value_or(kNever), now + options_.poll_interval);
      return;
    }
    DeliveryContext ctx{store_, clock_, observer_, options_.owner + ":w" + std::to_string(worker), options_.lease_ttl,
                        scape->config().timezone};
    const BatchResult r = deliverBatch(*flow, *target, ctx, rng);
    if (r.blocked_until) {
      lane.next_due = r.blocked_until;
    } else if (r.leased > 0 && r.leased >= r.limit) {
      lane.next_due = 0;  // a full batch: more is probably waiting
    } else {
      const auto next = store_.queue().nextDue(lane.flow, lane.target);
      lane.next_due = std::min(next.value_or(kNever), clock_.now() + options_.poll_interval);
    }
  } catch (const std::exception& e) {
    // The store is unavailable (disk full, locked): back off, nothing was lost.
    log::error("delivery_failed", {{"flow", lane.flow}, {"target", lane.target}, {"error", redact(e.what())}});
    lane.next_due = now + std::max<Millis>(options_.poll_interval, 1000);
  }
}

void Engine::sweeperLoop() {
  std::unique_lock lock(mutex_);
  while (!stopping_.load()) {
    wake_.wait_for(lock, std::chrono::milliseconds(options_.sweep_interval));
    if (stopping_.load()) break;
    auto scape = landscape_;
    lock.unlock();
    const Millis now = clock_.now();
    try {
      std::size_t expired = 0;
      for (const auto& f : scape->flows())
        expired += store_.queue().expireParked(f.name(), now - f.config.park_timeout, now);
      const std::size_t purged = store_.queue().purgeFinished(now - options_.retention);
      if (expired || purged) log::info("queue_swept", {{"parked_expired", expired}, {"rows_purged", purged}});
    } catch (const std::exception& e) {
      log::error("sweep_failed", {{"error", redact(e.what())}});
    }
    lock.lock();
  }
}

}  // namespace hub::engine
