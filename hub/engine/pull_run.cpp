#include "hub/engine/pull_run.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "connectors/spi/errors.h"
#include "hub/core/digest.h"
#include "hub/core/failpoint.h"
#include "hub/core/log.h"
#include "hub/core/redaction.h"
#include "hub/engine/idempotency.h"
#include "hub/engine/watermark.h"

namespace hub::engine {

std::vector<store::IncomingRecord> toIncoming(const std::vector<connector::Record>& records) {
  std::vector<store::IncomingRecord> out;
  out.reserve(records.size());
  for (const auto& r : records) {
    store::IncomingRecord in;
    in.key = r.key;
    in.updated_at = r.updated_at;
    in.remote_id = r.remote_id;
    in.payload = canonicalText(r.payload);
    in.source_hash = digest::sha256Hex(in.payload);
    in.problem = r.problem;
    out.push_back(std::move(in));
  }
  return out;
}

namespace {

// Another process holds the flow's claim now: this run must stop pulling.
struct ClaimLost : std::runtime_error {
  explicit ClaimLost(const std::string& holder)
      : std::runtime_error("another process took over the flow's run (" + holder + "); this run stopped") {}
};

bool stopping(const PullContext& ctx) { return ctx.stop.stopping(); }

void renewClaim(const Flow& flow, PullContext& ctx) {
  if (!ctx.store.claims().renew(flow.name(), ctx.owner, ctx.clock.now(), ctx.claim_ttl))
    throw ClaimLost("its claim had lapsed");
}

// Renews the run's claim every third of its TTL while the run pulls, so a slow
// page (rate-limit waits, a slow server) never lets the claim lapse under a
// live run. A claim found gone stops the run before its next page; the page
// commit's fence catches it in between.
class ClaimHeartbeat {
 public:
  ClaimHeartbeat(std::string flow, PullContext& ctx)
      : flow_(std::move(flow)), ctx_(ctx), thread_([this] { beat(); }) {}
  ~ClaimHeartbeat() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }
  ClaimHeartbeat(const ClaimHeartbeat&) = delete;
  ClaimHeartbeat& operator=(const ClaimHeartbeat&) = delete;
  bool lost() const { return lost_.load(); }

 private:
  void beat() {
    const auto every = std::chrono::milliseconds(std::max<Millis>(50, ctx_.claim_ttl / 3));
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, every, [this] { return done_; })) {
      lock.unlock();
      try {
        if (!ctx_.store.claims().renew(flow_, ctx_.owner, ctx_.clock.now(), ctx_.claim_ttl)) lost_ = true;
      } catch (const std::exception&) {
        // The store failed: the next page commit fails the run or renews the claim.
      }
      lock.lock();
      if (lost_) return;
    }
  }

  std::string flow_;
  PullContext& ctx_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool done_ = false;
  std::atomic<bool> lost_{false};
  std::thread thread_;  // last: it starts once the members above exist
};

connector::Page pullPage(connector::Source& source, const connector::ScanRequest& req, const Flow& flow,
                         PullContext& ctx) {
  for (int attempt = 1;; ++attempt) {
    try {
      return source.pull(req);
    } catch (const connector::RetryableError& e) {
      if (attempt >= ctx.page_attempts || stopping(ctx)) throw;
      const Millis wait = std::min<Millis>(std::max(e.retry_after_ms.value_or(0), flow.retry.nominal(attempt)), 30000);
      log::warn("pull_retry", {{"flow", flow.name()}, {"attempt", attempt}, {"error", e.what()}, {"wait_ms", wait}});
      if (!ctx.stop.sleepFor(wait)) throw;
      renewClaim(flow, ctx);  // the wait may have outlasted part of the claim
    }
  }
}

void storeFailed(PullContext& ctx, const char* operation, const std::string& flow, const std::exception& e) {
  log::error("store_failed", {{"operation", operation}, {"flow", flow}, {"error", redact(e.what())}});
  if (ctx.observer) ctx.observer->storeFailed(operation);
}

}  // namespace

RunStart beginRun(const Flow& flow, const std::string& trigger, PullContext& ctx) {
  RunStart out;
  const auto& name = flow.name();
  bool claimed = false;
  try {
    const auto claim = ctx.store.claims().claim(name, ctx.owner, ctx.clock.now(), ctx.claim_ttl);
    if (!claim.held) {
      out.held_by = claim.current.owner;
      log::info("run_skipped", {{"flow", name}, {"trigger", trigger}, {"why", "running in another process"},
                                {"holder", out.held_by}});
      return out;
    }
    claimed = true;
    out.run = ctx.store.runs().start(name, trigger, ctx.clock.now());
  } catch (const std::exception& e) {
    out.error = "the run could not begin: " + redact(e.what());
    storeFailed(ctx, "run_start", name, e);
    if (ctx.observer) ctx.observer->runPulled(name, 0, false);
    if (claimed) {
      try {
        ctx.store.claims().release(name, ctx.owner);
      } catch (const std::exception&) {
        // It lapses after its TTL.
      }
    }
    return out;
  }
  if (ctx.observer) ctx.observer->runStarted(name, out.run, trigger);
  log::info("run_started", {{"flow", name}, {"run", out.run}, {"trigger", trigger}});
  return out;
}

PullSummary pullFlow(const Flow& flow, store::Id run, PullContext& ctx) {
  PullSummary summary;
  summary.run = run;
  const auto& cfg = flow.config;
  std::vector<std::string> targets;
  for (const auto& t : flow.targets) targets.push_back(t.name);
  try {
    if (!flow.source) throw std::runtime_error("source connector '" + cfg.source.connector + "' is not available");
    auto source = flow.source->openSource(cfg.source.entity, cfg.source.options);
    Watermark wm = Watermark::decode(ctx.store.flows().get(cfg.name).cursor).startScan(cfg.source.overlap);
    const ClaimHeartbeat heartbeat(cfg.name, ctx);
    while (!stopping(ctx)) {
      if (heartbeat.lost()) throw ClaimLost("its claim had lapsed");
      connector::ScanRequest req{wm.scan_since, wm.resume, cfg.source.page_size};
      connector::Page page = pullPage(*source, req, flow, ctx);
      Watermark next = wm;
      for (const auto& r : page.records) next.high = std::max(next.high, r.updated_at);
      next.scanning = !page.done;
      next.resume = page.done ? std::string() : page.resume;

      store::PageCommit commit;
      commit.flow = cfg.name;
      commit.run_id = run;
      commit.entity = cfg.entity;
      commit.source_system = cfg.source.connector;
      commit.targets = targets;
      commit.records = toIncoming(page.records);
      commit.cursor = next.encode();
      commit.claim_owner = ctx.owner;
      commit.claim_ttl = ctx.claim_ttl;
      commit.now = ctx.clock.now();
      const auto result = ctx.store.queue().commitPage(commit);
      if (result.claim_lost) throw ClaimLost("its claim had lapsed");
      HUB_FAILPOINT("after_page_commit");

      ++summary.pages;
      summary.pulled += page.records.size();
      summary.queued += result.queued;
      summary.unchanged += result.unchanged;
      for (const auto& r : commit.records) summary.rejected += r.problem.empty() ? 0 : 1;
      if (ctx.observer) ctx.observer->recordsPulled(cfg.name, page.records.size(), result.unchanged);
      if (ctx.on_page_committed && result.queued) ctx.on_page_committed();
      wm = next;
      if (page.done) break;
    }
    if (stopping(ctx) && (wm.scanning || summary.pages == 0)) summary.error = "the hub stopped during the pull";
  } catch (const store::StoreError& e) {
    summary.error = "the store failed: " + redact(e.what());
    storeFailed(ctx, "pull", cfg.name, e);
  } catch (const std::exception& e) {
    summary.error = redact(e.what());
  }
  try {
    ctx.store.runs().pullEnded(run, summary.error, ctx.clock.now());
  } catch (const std::exception& e) {
    storeFailed(ctx, "run_end", cfg.name, e);  // the run stays "running" until the next start marks it interrupted
  }
  try {
    ctx.store.claims().release(cfg.name, ctx.owner);
  } catch (const std::exception& e) {
    storeFailed(ctx, "claim_release", cfg.name, e);  // it lapses after its TTL
  }
  if (ctx.observer) ctx.observer->runPulled(cfg.name, run, summary.error.empty());
  log::write(summary.error.empty() ? log::Level::Info : log::Level::Error, "run_pulled",
             {{"flow", cfg.name},
              {"run", run},
              {"pages", summary.pages},
              {"pulled", summary.pulled},
              {"queued", summary.queued},
              {"unchanged", summary.unchanged},
              {"error", summary.error}});
  return summary;
}

}  // namespace hub::engine
