// hub flow list | run | status | reset | pause | resume
#include <iomanip>
#include <ostream>
#include <thread>

#include "hub/api/views.h"
#include "hub/cli/commands.h"
#include "hub/cli/daemon_run.h"
#include "hub/core/suggest.h"
#include "hub/cli/session.h"
#include "hub/engine/flow_ops.h"
#include "hub/engine/watermark.h"
#include "scheduler/schedule.h"

namespace hub::cli {
namespace {

const engine::Flow* requireFlow(const Session& s, const std::string& name) {
  const auto* f = s.landscape ? s.landscape->flow(name) : nullptr;
  if (!f && !s.config().flow(name)) {
    std::vector<std::string> names;
    for (const auto& fc : s.config().flows) names.push_back(fc.name);
    throw UsageError{"no flow named '" + name + "'" + didYouMean(name, names)};
  }
  return f;
}

int list(const Invocation& inv, Io& io) {
  const auto count = static_cast<std::size_t>(inv.number("next", 3, 0, 100));
  int code = kOk;
  auto s = openSession(inv, io, false, &code);
  if (!s) return code;
  const Millis now = nowMillis();
  printCluster(*s, now, io);
  for (const auto& f : s->config().flows) {
    const auto state = s->store->flows().get(f.name);
    io.out << f.name << (state.paused || f.paused ? "  [paused]" : "") << "\n";
    io.out << "  " << f.source.connector << "." << f.source.entity << " -> ";
    for (std::size_t i = 0; i < f.targets.size(); ++i)
      io.out << (i ? ", " : "") << f.targets[i].name << (f.targets[i].mapping.empty() ? "" : " (" + f.targets[i].mapping + ")");
    io.out << "\n";
    auto triggers = sched::triggersOf(f.name, f.triggers, s->config().timezone);
    if (triggers) {
      for (const auto& fc : sched::forecast(*triggers, now, count)) {
        io.out << "  " << fc.schedule << ": next";
        for (const auto& t : fc.iso) io.out << " " << t;
        io.out << "\n";
      }
    }
    for (const auto& t : f.triggers)
      if (t.contains("webhook"))
        io.out << "  webhook (" << t["webhook"].value("mode", "payload") << "): POST /webhooks/" << f.name << "\n";
    std::int64_t pending = 0, parked = 0, awaiting = 0;
    for (const auto& c : s->store->queue().counts(f.name)) {
      pending += c.pending + c.leased;
      parked += c.parked;
      awaiting += c.awaiting;
    }
    store::DeadLetterFilter dl;
    dl.flow = f.name;
    io.out << "  queue: " << pending << " pending, " << parked << " parked, " << s->store->deadLetters().count(dl)
           << " dead letters, " << awaiting << " awaiting confirmation\n";
  }
  return kOk;
}

int run(const Invocation& inv, Io& io) {
  const Millis timeout = inv.duration("timeout", 10 * kMinuteMs, kSecondMs, kDayMs);
  int code = kOk;
  auto s = openSession(inv, io, true, &code);
  if (!s) return code;
  const std::string name = inv.args[0];
  if (!requireFlow(*s, name)) return kUsage;
  if (const auto daemon = daemon::readLocalEndpoint(daemon::endpointPath(s->config().store.path)))
    if (const auto code = runInDaemon(*daemon, name, {!inv.has("no-deliver"), timeout}, io)) return *code;
  engine::EngineOptions options;
  options.workers = s->config().engine.workers;
  options.lease_ttl = s->config().engine.lease_ttl;
  options.poll_interval = 200;
  engine::Engine eng(*s->store, s->landscape, options);
  if (!inv.has("no-deliver")) eng.start();
  const auto started = nowMillis();
  std::atomic<store::Id> runId{0};
  std::atomic<bool> pulling{true};
  auto progress = [&] {
    const auto r = s->store->runs().get(runId);
    if (!r) return std::string("starting…");
    const double secs = std::max<double>(0.001, static_cast<double>(nowMillis() - started) / 1000.0);
    std::ostringstream out;
    out << std::fixed << std::setprecision(0) << "pulled " << r->pulled << " (" << static_cast<double>(r->pulled) / secs
        << "/s), queued " << r->queued << ", delivered " << r->delivered << " ("
        << static_cast<double>(r->delivered) / secs << "/s), retried " << r->retried << ", dead " << r->dead_lettered
        << "   ";
    return out.str();
  };
  std::thread ticker([&] {
    while (pulling.load()) {
      if (runId && io.out_is_terminal) io.out << "\r" << progress() << std::flush;
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  });
  engine::Triggered refused;
  auto summary = eng.runNow(name, "manual", &refused, [&](store::Id id) { runId = id; });
  pulling = false;
  ticker.join();
  if (!summary) {
    io.err << "flow '" << name << "' was not run: " << engine::toString(refused.result)
           << (refused.detail.empty() ? "" : " (" + refused.detail + ")") << "\n";
    eng.stop(1000);
    return kFailure;
  }
  if (!inv.has("no-deliver")) {
    const Millis deadline = nowMillis() + timeout;
    while (nowMillis() < deadline) {
      const auto r = s->store->runs().get(summary->run);
      if (!r || r->status == "finished" || r->status == "failed") break;
      bool anySoon = false;
      for (const auto& t : s->landscape->flow(name)->targets) {
        const auto due = s->store->queue().nextDue(name, t.name);
        if (due && *due < nowMillis() + 30000) anySoon = true;
      }
      if (!anySoon) break;
      if (io.out_is_terminal) io.out << "\r" << progress() << std::flush;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    eng.stop(s->config().server.shutdown_deadline);
  }
  if (io.out_is_terminal) io.out << "\r";
  const auto r = s->store->runs().get(summary->run);
  if (r) io.out << runLine(api::toJson(*r)) << "\n";
  if (!summary->error.empty()) {
    io.err << "pull failed: " << summary->error << "\n";
    return kFailure;
  }
  return kOk;
}

int status(const Invocation& inv, Io& io) {
  int code = kOk;
  auto s = openSession(inv, io, false, &code);
  if (!s) return code;
  const std::string name = inv.args[0];
  requireFlow(*s, name);
  const auto state = s->store->flows().get(name);
  const auto wm = engine::Watermark::decode(state.cursor);
  io.out << "flow " << name << (state.paused ? " [paused]" : "") << "\n";
  io.out << "  watermark: " << when(wm.high) << (wm.scanning ? " (scan in progress from " + when(wm.scan_since) + ")" : "")
         << "\n";
  for (const auto& c : s->store->queue().counts(name))
    io.out << "  target " << c.target << ": " << c.pending << " pending, " << c.leased << " in flight, " << c.parked
           << " parked" << (c.awaiting ? ", " + std::to_string(c.awaiting) + " awaiting confirmation" : "")
           << (c.oldest_pending ? ", oldest queued " + when(*c.oldest_pending) : "") << "\n";
  store::DeadLetterFilter dl;
  dl.flow = name;
  io.out << "  dead letters (open): " << s->store->deadLetters().count(dl) << "\n";
  const auto runs = s->store->runs().list(name, 1, 0);
  if (runs.empty()) {
    io.out << "  last run: none\n";
  } else {
    io.out << "  last run: " << when(runs[0].started_at) << " (" << runs[0].trigger << ") " << runLine(api::toJson(runs[0])) << "\n";
    if (!runs[0].error_summary.empty()) io.out << "  error: " << runs[0].error_summary << "\n";
  }
  return kOk;
}

int reset(const Invocation& inv, Io& io) {
  int code = kOk;
  auto s = openSession(inv, io, false, &code);
  if (!s) return code;
  const std::string name = inv.args[0];
  requireFlow(*s, name);
  const Millis now = nowMillis();
  std::optional<Millis> since;
  if (inv.has("since")) {
    since = parseWhen(inv.value("since"), now);
    if (!since) throw UsageError{"--since takes an ISO time (2026-01-31T00:00:00+08:00) or a duration ago (2h)"};
  }
  const auto r = engine::resetFlow(*s->store, name, since, inv.has("resend"), cliActor(), now);
  io.out << "flow " << name << ": cursor reset to " << (since ? formatIsoSeconds(*since) : "the beginning")
         << " (the next run reads one overlap window before it)";
  if (inv.has("resend")) io.out << "; content the targets already have will be sent again (" << r.forgotten_hashes
                                << " delivered hashes forgotten)";
  io.out << "\n";
  return kOk;
}

int setPaused(const Invocation& inv, Io& io, bool paused) {
  int code = kOk;
  auto s = openSession(inv, io, false, &code);
  if (!s) return code;
  const std::string name = inv.args[0];
  requireFlow(*s, name);
  s->store->flows().setPaused(name, paused, nowMillis());
  s->store->audit().append(cliActor(), paused ? "flow.pause" : "flow.resume", "flow/" + name, "{}", nowMillis());
  io.out << "flow " << name << (paused ? " paused" : " resumed")
         << " (a running hub picks this up on its next reload or API call)\n";
  return kOk;
}

}  // namespace

Command flowCommand() {
  Command listCmd = leaf("list", "list flows with their triggers, next fire times and queue depth", "", "",
                  {configOption(), {"next", "N", "how many fire times to show per schedule (default 3, at most 100)"}}, 0, 0, list);
  Command runCmd = leaf("run", "run a flow now: pull its changes and deliver them", "NAME",
                 "Pulls every change since the flow's cursor, then delivers in this process until the run is\n"
                 "finished or only retries far in the future remain. When `hub serve` runs on the same store, the\n"
                 "daemon runs the flow (one pull of a flow at a time) and this command follows its progress.",
                 {configOption(),
                  {"no-deliver", "", "only pull; leave delivery to the daemon"},
                  {"timeout", "DURATION", "stop waiting for delivery after this long (default 10m, 1s to 1d)"}},
                 1, 1, run);
  Command statusCmd = leaf("status", "show a flow's cursor, queue, dead letters and last run", "NAME", "", {configOption()},
                    1, 1, status);
  Command resetCmd = leaf("reset", "move a flow's cursor back, for a backfill", "NAME",
                   "Without --since the next run reads everything the source has.",
                   {configOption(),
                    {"since", "TIME", "ISO time or a duration ago (e.g. 2026-11-01T00:00:00+08:00, 48h)"},
                    {"resend", "", "also send records whose content the targets already have"}},
                   1, 1, reset);
  Command pauseCmd = leaf("pause", "stop a flow's runs and deliveries until resumed", "NAME", "", {configOption()}, 1, 1,
                   [](const Invocation& i, Io& io) { return setPaused(i, io, true); });
  Command resumeCmd = leaf("resume", "resume a paused flow", "NAME", "", {configOption()}, 1, 1,
                    [](const Invocation& i, Io& io) { return setPaused(i, io, false); });
  Command c;
  c.name = "flow";
  c.summary = "list, run, inspect, reset, pause and resume flows";
  c.subcommands = {listCmd, runCmd, statusCmd, resetCmd, pauseCmd, resumeCmd};
  return c;
}

}  // namespace hub::cli
