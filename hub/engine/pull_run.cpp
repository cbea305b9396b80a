#include "hub/engine/pull_run.h"

#include <algorithm>
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

connector::Page pullPage(connector::Source& source, const connector::ScanRequest& req, const Flow& flow,
                         PullContext& ctx) {
  for (int attempt = 1;; ++attempt) {
    try {
      return source.pull(req);
    } catch (const connector::RetryableError& e) {
      if (attempt >= ctx.page_attempts || (ctx.stopping && ctx.stopping->load())) throw;
      const Millis wait = std::max(e.retry_after_ms.value_or(0), flow.retry.nominal(attempt));
      log::warn("pull_retry", {{"flow", flow.name()}, {"attempt", attempt}, {"error", e.what()}, {"wait_ms", wait}});
      std::this_thread::sleep_for(std::chrono::milliseconds(std::min<Millis>(wait, 30000)));
    }
  }
}

}  // namespace

PullSummary pullFlow(const Flow& flow, const std::string& trigger, PullContext& ctx) {
  PullSummary summary;
  const auto& cfg = flow.config;
  summary.run = ctx.store.runs().start(cfg.name, trigger, ctx.clock.now());
  if (ctx.observer) ctx.observer->runStarted(cfg.name, summary.run, trigger);
  if (ctx.on_run_started) ctx.on_run_started(summary.run);
  log::info("run_started", {{"flow", cfg.name}, {"run", summary.run}, {"trigger", trigger}});

  std::vector<std::string> targets;
  for (const auto& t : flow.targets) targets.push_back(t.name);
  try {
    if (!flow.source) throw std::runtime_error("source connector '" + cfg.source.connector + "' is not available");
    auto source = flow.source->openSource(cfg.source.entity, cfg.source.options);
    Watermark wm = Watermark::decode(ctx.store.flows().get(cfg.name).cursor).startScan(cfg.source.overlap);
    while (!(ctx.stopping && ctx.stopping->load())) {
      connector::ScanRequest req{wm.scan_since, wm.resume, cfg.source.page_size};
      connector::Page page = pullPage(*source, req, flow, ctx);
      Watermark next = wm;
      for (const auto& r : page.records) next.high = std::max(next.high, r.updated_at);
      next.scanning = !page.done;
      next.resume = page.done ? std::string() : page.resume;

      store::PageCommit commit;
      commit.flow = cfg.name;
      commit.run_id = summary.run;
      commit.entity = cfg.entity;
      commit.source_system = cfg.source.connector;
      commit.targets = targets;
      commit.records = toIncoming(page.records);
      commit.cursor = next.encode();
      commit.now = ctx.clock.now();
      const auto result = ctx.store.queue().commitPage(commit);
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
    if (ctx.stopping && ctx.stopping->load() && wm.scanning) summary.error = "the hub stopped during the pull";
  } catch (const std::exception& e) {
    summary.error = redact(e.what());
  }
  ctx.store.runs().pullEnded(summary.run, summary.error, ctx.clock.now());
  if (ctx.observer) ctx.observer->runPulled(cfg.name, summary.run, summary.error.empty());
  log::write(summary.error.empty() ? log::Level::Info : log::Level::Error, "run_pulled",
             {{"flow", cfg.name},
              {"run", summary.run},
              {"pages", summary.pages},
              {"pulled", summary.pulled},
              {"queued", summary.queued},
              {"unchanged", summary.unchanged},
              {"error", summary.error}});
  return summary;
}

}  // namespace hub::engine
