#include "hub/engine/engine.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <limits>

#include "connectors/spi/errors.h"
#include "hub/core/digest.h"
#include "hub/core/log.h"
#include "hub/core/numbers.h"
#include "hub/core/redaction.h"

namespace hub::engine {
namespace {
constexpr Millis kNever = std::numeric_limits<Millis>::max();

std::string defaultOwner() {
  char host[256] = {0};
  gethostname(host, sizeof host - 1);
  return std::string(host) + ":" + std::to_string(getpid());
}

// "host:pid[:...]" of a process on this host that no longer exists: what it
// holds will never be completed or released by it. This process's own owners
// are alive (another engine of it, e.g. a test's, may hold them).
bool deadLocalOwner(const std::string& owner, const std::string& host) {
  const auto first = owner.find(':');
  if (first == std::string::npos || owner.substr(0, first) != host) return false;
  // An owner of this host whose second part is no process id (or one no
  // pid_t can hold) names no process that could still finish its work.
  const std::string_view rest = std::string_view(owner).substr(first + 1);
  const auto parsed = parseInteger(rest.substr(0, rest.find(':')), 1, std::numeric_limits<pid_t>::max());
  if (!parsed) return true;
  const auto pid = static_cast<pid_t>(*parsed);
  if (pid == getpid()) return false;
  return ::kill(pid, 0) != 0 && errno == ESRCH;
}

// Grace between aborting calls and the deadline: an aborted transfer ends
// within about a second (libcurl's progress callback), then its thread joins.
Millis abortGrace(Millis deadline) { return std::min<Millis>(1000, deadline / 4); }
}  // namespace

const char* toString(TriggerResult r) {
  switch (r) {
    case TriggerResult::Started: return "started";
    case TriggerResult::Queued: return "queued";
    case TriggerResult::Skipped: return "skipped";
    case TriggerResult::RunningElsewhere: return "running_elsewhere";
    case TriggerResult::Paused: return "paused";
    case TriggerResult::UnknownFlow: return "unknown_flow";
    case TriggerResult::Failed: return "failed";
  }
  return "started";
}

Engine::Engine(store::Store& store, std::shared_ptr<const Landscape> landscape, EngineOptions options,
               const Clock& clock, EngineObserver* observer)
    : store_(store), options_(std::move(options)), clock_(clock), observer_(observer), landscape_(std::move(landscape)) {
  if (options_.owner.empty()) options_.owner = defaultOwner();
  if (options_.lane_concurrency <= 0) options_.lane_concurrency = std::max(1, options_.workers);
  stop_ = landscape_->stopSignal() ? landscape_->stopSignal() : std::make_shared<StopSignal>();
  claimOwner_ = options_.owner + ":" + digest::hex(digest::randomBytes(4));
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

// Leases and run claims held by a dead process of this host are handed out
// again now rather than after their TTL.
void Engine::releaseOrphans() {
  const std::string host = options_.owner.substr(0, options_.owner.find(':'));
  try {
    for (const auto& owner : store_.queue().leaseOwners()) {
      if (!deadLocalOwner(owner, host)) continue;
      const auto n = store_.queue().releaseLeases(owner, clock_.now());
      log::info("orphaned_leases_released", {{"owner", owner}, {"records", n}});
    }
    for (const auto& claim : store_.claims().list()) {
      if (!deadLocalOwner(claim.owner, host)) continue;
      store_.claims().release(claim.flow, claim.owner);
      log::info("orphaned_run_claim_released", {{"owner", claim.owner}, {"flow", claim.flow}});
    }
  } catch (const store::StoreError& e) {
    log::error("store_failed", {{"operation", "release_orphans"}, {"error", redact(e.what())}});
    if (observer_) observer_->storeFailed("release_orphans");
  }
}

void Engine::start() {
  releaseOrphans();
  std::lock_guard lock(mutex_);
  if (started_ || stop_->stopping()) return;
  started_ = true;
  for (int i = 0; i < std::max(1, options_.workers); ++i) workers_.emplace_back([this, i] { workerLoop(i); });
  sweeper_ = std::thread([this] { sweeperLoop(); });
  log::info("engine_started", {{"workers", options_.workers}, {"lanes", lanes_.size()}, {"owner", options_.owner}});
}

bool Engine::stop(Millis deadline) {
  deadline = std::max<Millis>(0, deadline);
  stop_->requestStop();
  std::unique_lock lock(mutex_);
  wake_.notify_all();
  sweep_.notify_all();
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(deadline - abortGrace(deadline));
  const bool clean =
      idle_.wait_until(lock, until, [this] { return busyWorkers_ == 0 && activeRuns_.load() == 0; });
  if (!clean) {
    log::warn("engine_stop_deadline", {{"busy_workers", busyWorkers_}, {"active_runs", activeRuns_.load()},
                                       {"what", "calls in flight are aborted; their records stay leased"}});
    stop_->abortCalls();
  }
  // No thread starts after this point (trigger() checks the stop under the
  // lock); run threads write their slot as they end, so slots go only after.
  std::vector<std::thread> threads;
  for (auto& t : workers_) threads.push_back(std::move(t));
  workers_.clear();
  if (sweeper_.joinable()) threads.push_back(std::move(sweeper_));
  for (auto& r : runs_) threads.push_back(std::move(r.thread));
  lock.unlock();
  for (auto& t : threads)
    if (t.joinable()) t.join();
  lock.lock();
  runs_.clear();
  return clean;
}

void Engine::replaceLandscape(std::shared_ptr<const Landscape> landscape) {
  // Read before anything changes: a store that fails here fails the reload
  // (its caller reports it) and leaves the running landscape whole.
  std::map<std::string, bool> storedPause;
  for (const auto& f : landscape->flows()) storedPause[f.name()] = store_.flows().get(f.name()).paused;
  std::lock_guard lock(mutex_);
  landscape_ = std::move(landscape);
  for (const auto& f : landscape_->flows()) {
    if (!paused_.count(f.name())) paused_[f.name()] = f.config.paused || storedPause[f.name()];
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

PullContext Engine::pullContext(const std::string& flow) {
  return PullContext{store_, clock_, *stop_, claimOwner_, observer_, [this, flow] { wake(flow); }, options_.lease_ttl, 3};
}

// The gate admitted the run in this process; the claim decides across processes.
Triggered Engine::begin(const Flow& flow, const std::string& reason) {
  auto ctx = pullContext(flow.name());
  const RunStart started = beginRun(flow, reason, ctx);
  if (started.run) return {TriggerResult::Started, started.run, {}};
  gate_.dropQueued(flow.name());
  gate_.finished(flow.name());
  if (!started.held_by.empty()) return {TriggerResult::RunningElsewhere, 0, started.held_by};
  return {TriggerResult::Failed, 0, started.error};
}

void Engine::leaveRun() {
  std::lock_guard lock(mutex_);
  --activeRuns_;
  idle_.notify_all();
}

Triggered Engine::trigger(const std::string& flow, const std::string& reason) {
  auto scape = landscape();
  const Flow* f = scape->flow(flow);
  if (!f) return {TriggerResult::UnknownFlow, 0, {}};
  if (paused(flow)) return {TriggerResult::Paused, 0, {}};
  if (stop_->stopping()) return {TriggerResult::Skipped, 0, "the hub is stopping"};
  switch (gate_.tryStart(flow)) {
    case sched::Admission::Skipped:
      log::info("run_skipped", {{"flow", flow}, {"trigger", reason}, {"why", "already running"}});
      return {TriggerResult::Skipped, 0, "already running"};
    case sched::Admission::Queued:
      return {TriggerResult::Queued, 0, {}};
    case sched::Admission::Started:
      break;
  }
  Triggered begun = begin(*f, reason);
  if (begun.result != TriggerResult::Started) return begun;
  std::unique_lock lock(mutex_);
  if (stop_->stopping()) {
    // stop() may have collected the threads already: end the run here (it
    // records that the hub stopped) instead of starting one nobody joins.
    lock.unlock();
    auto ctx = pullContext(flow);
    pullFlow(*f, begun.run, ctx);
    gate_.dropQueued(flow);
    gate_.finished(flow);
    return begun;
  }
  for (auto it = runs_.begin(); it != runs_.end();) {
    if (!it->done) {
      ++it;
      continue;
    }
    it->thread.join();  // it has only its return left
    it = runs_.erase(it);
  }
  ++activeRuns_;
  auto slot = runs_.emplace(runs_.end());
  slot->thread = std::thread([this, scape, flow, run = begun.run, slot] {
    runLoop(scape, flow, run);
    std::lock_guard done(mutex_);
    slot->done = true;
    --activeRuns_;
    idle_.notify_all();
  });
  return begun;
}

// The run began with the landscape it was triggered on; a queued run that
// follows takes the landscape of its own time.
void Engine::runLoop(std::shared_ptr<const Landscape> scape, std::string flow, store::Id run) {
  for (;;) {
    if (const Flow* f = scape->flow(flow); f && run) {
      auto ctx = pullContext(flow);
      pullFlow(*f, run, ctx);
    }
    if (!gate_.finished(flow)) return;  // no run was queued meanwhile
    scape = landscape();
    const Flow* next = scape->flow(flow);
    if (stop_->stopping() || !next || paused(flow)) {
      gate_.dropQueued(flow);  // one queued meanwhile would otherwise hold the gate for good
      gate_.finished(flow);
      return;
    }
    auto ctx = pullContext(flow);
    run = beginRun(*next, "queued", ctx).run;
  }
}

std::optional<PullSummary> Engine::runNow(const std::string& flow, const std::string& reason, Triggered* refused,
                                          std::function<void(store::Id)> onRunStarted) {
  auto scape = landscape();
  const Flow* f = scape->flow(flow);
  auto refuse = [&](Triggered t) -> std::optional<PullSummary> {
    if (refused) *refused = std::move(t);
    return std::nullopt;
  };
  if (!f) return refuse({TriggerResult::UnknownFlow, 0, {}});
  if (paused(flow)) return refuse({TriggerResult::Paused, 0, {}});
  if (stop_->stopping()) return refuse({TriggerResult::Skipped, 0, "the hub is stopping"});
  if (gate_.tryStart(flow) != sched::Admission::Started) return refuse({TriggerResult::Skipped, 0, "already running"});
  Triggered begun = begin(*f, reason);
  if (begun.result != TriggerResult::Started) return refuse(std::move(begun));
  ++activeRuns_;
  if (onRunStarted) onRunStarted(begun.run);
  auto ctx = pullContext(flow);
  PullSummary s = pullFlow(*f, begun.run, ctx);
  gate_.dropQueued(flow);
  gate_.finished(flow);
  leaveRun();
  return s;
}

tl::expected<store::IntakeResult, PushRefused> Engine::acceptPushed(const std::string& flow,
                                                                    const connector::PushedBody& pushed,
                                                                    const std::string& deliveryId) {
  using Reason = PushRefused::Reason;
  auto scape = landscape();
  const Flow* f = scape->flow(flow);
  if (!f) return tl::unexpected(PushRefused{Reason::UnknownFlow, "unknown flow '" + flow + "'"});
  if (!f->source)
    return tl::unexpected(PushRefused{Reason::SourceUnavailable,
                                      "the source connector of flow '" + flow + "' is not available"});
  store::PageCommit commit;
  try {
    auto source = f->source->openSource(f->config.source.entity, f->config.source.options);
    commit.records = toIncoming(source->decodePushed(pushed));
  } catch (const connector::PermanentError& e) {
    return tl::unexpected(PushRefused{Reason::MalformedBody, e.what()});
  } catch (const std::exception& e) {
    // The source connector failed on this body: its fault, not the sender's.
    log::error("pushed_body_not_decoded", {{"flow", flow}, {"error", redact(e.what())}});
    return tl::unexpected(PushRefused{Reason::DecoderFailed, redact(e.what())});
  }
  commit.flow = flow;
  commit.entity = f->config.entity;
  commit.source_system = f->config.source.connector;
  for (const auto& t : f->targets) commit.targets.push_back(t.name);
  commit.origin = "webhook";
  commit.delivery_id = deliveryId;
  commit.now = clock_.now();
  store::IntakeResult result;
  try {
    result = store_.queue().commitPage(commit);
  } catch (const store::StoreError&) {
    // Counted here, answered by the intake (503: nothing was kept).
    if (observer_) observer_->storeFailed("intake");
    throw;
  }
  if (!result.duplicate_delivery) result.received = commit.records.size();
  if (observer_) observer_->recordsPulled(flow, commit.records.size(), result.unchanged);
  if (result.queued) wake(flow);
  return result;
}

void Engine::workerLoop(int index) {
  std::mt19937_64 rng(std::random_device{}() ^ (static_cast<std::uint64_t>(index) << 32));
  std::unique_lock lock(mutex_);
  while (!stop_->stopping()) {
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
      const Millis idle = std::max<Millis>(1, options_.poll_interval);
      const Millis wait = soonest == kNever ? idle : std::clamp<Millis>(soonest - now, 1, idle);
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
    idle_.notify_all();
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
                        scape->config().timezone, stop_.get()};
    const BatchResult confirmed = confirmAwaiting(*flow, *target, ctx);
    const BatchResult r = deliverBatch(*flow, *target, ctx, rng);
    if (r.blocked_until) {
      lane.next_due = r.blocked_until;
    } else if ((r.leased > 0 && r.leased >= r.limit) || (confirmed.leased > 0 && confirmed.leased >= confirmed.limit)) {
      lane.next_due = 0;  // a full batch: more is probably waiting
    } else {
      const auto next = store_.queue().nextDue(lane.flow, lane.target);
      lane.next_due = std::min(next.value_or(kNever), clock_.now() + options_.poll_interval);
    }
  } catch (const std::exception& e) {
    // The store is unavailable (disk full, locked): nothing was recorded, the
    // leases bring the batch back. Back off and try again.
    log::error("delivery_failed", {{"flow", lane.flow}, {"target", lane.target}, {"error", redact(e.what())}});
    if (observer_) observer_->storeFailed("delivery");
    lane.next_due = now + std::max<Millis>(options_.poll_interval, 1000);
  }
}

// On its own schedule: never woken by the workers' notifications.
void Engine::sweeperLoop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    if (sweep_.wait_for(lock, std::chrono::milliseconds(std::max<Millis>(1, options_.sweep_interval)),
                        [this] { return stop_->stopping(); }))
      return;
    lock.unlock();
    sweep();
    lock.lock();
  }
}

void Engine::sweep() {
  const auto scape = landscape();
  const Millis now = clock_.now();
  try {
    std::size_t expired = 0;
    for (const auto& f : scape->flows())
      expired += store_.queue().expireParked(f.name(), now - f.config.park_timeout, now);
    const std::size_t purged = store_.queue().purgeFinished(now - options_.retention);
    if (expired || purged) log::info("queue_swept", {{"parked_expired", expired}, {"rows_purged", purged}});
  } catch (const std::exception& e) {
    log::error("sweep_failed", {{"error", redact(e.what())}});
    if (observer_) observer_->storeFailed("sweep");
  }
}

}  // namespace hub::engine
