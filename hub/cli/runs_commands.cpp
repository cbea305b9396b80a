// hub runs list | show, hub trace
#include <ostream>

#include "hub/api/views.h"
#include "hub/cli/commands.h"
#include "hub/core/suggest.h"
#include "hub/cli/session.h"
#include "hub/engine/trace.h"

namespace hub::cli {
namespace {

int list(const Invocation& inv, Io& io) {
  const auto limit = static_cast<std::size_t>(inv.number("limit", 20, 1, kMostListed));
  int code = kOk;
  auto s = openSession(inv, io, false, &code);
  if (!s) return code;
  const auto runs = s->store->runs().list(inv.value("flow"), limit, 0);
  if (inv.has("json")) {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& r : runs) arr.push_back(api::toJson(r));
    io.out << arr.dump(2) << "\n";
    return kOk;
  }
  io.out << pad("RUN", 7) << pad("FLOW", 26) << pad("TRIGGER", 10) << pad("STATUS", 12) << pad("STARTED", 21)
         << "PULLED QUEUED DELIVERED SKIPPED RETRIED DEAD\n";
  for (const auto& r : runs)
    io.out << pad(std::to_string(r.id), 7) << pad(r.flow, 26) << pad(r.trigger, 10) << pad(r.status, 12)
           << pad(when(r.started_at), 21) << pad(std::to_string(r.pulled), 7) << pad(std::to_string(r.queued), 7)
           << pad(std::to_string(r.delivered), 10) << pad(std::to_string(r.skipped), 8)
           << pad(std::to_string(r.retried), 8) << r.dead_lettered << "\n";
  return kOk;
}

int show(const Invocation& inv, Io& io) {
  const store::Id id = wholeNumber(inv.args[0], "run id", 1, kLargestId);
  int code = kOk;
  auto s = openSession(inv, io, false, &code);
  if (!s) return code;
  const auto r = s->store->runs().get(id);
  if (!r) {
    io.err << "no run " << inv.args[0] << "\n";
    return kFailure;
  }
  io.out << api::toJson(*r).dump(2) << "\n";
  return kOk;
}

int trace(const Invocation& inv, Io& io) {
  int code = kOk;
  auto s = openSession(inv, io, false, &code);
  if (!s) return code;
  const auto events = engine::traceKey(*s->store, inv.args[0], inv.args[1]);
  if (inv.has("json")) {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& e : events) arr.push_back(api::toJson(e));
    io.out << arr.dump(2) << "\n";
    return kOk;
  }
  if (events.empty()) {
    io.out << "nothing recorded for " << inv.args[0] << " " << inv.args[1] << "\n";
    return kFailure;
  }
  for (const auto& e : events) {
    io.out << formatIsoMillis(e.at) << "  " << pad(e.event, 12) << pad(e.flow + (e.target.empty() ? "" : " -> " + e.target), 40);
    nlohmann::json d = e.detail;
    d.erase("at");
    d.erase("verdict");
    io.out << d.dump() << "\n";
  }
  return kOk;
}

}  // namespace

Command runsCommand() {
  Command listCmd = leaf("list", "list recent runs with their counts", "", "",
                  {configOption(), {"flow", "FLOW", "only this flow"}, {"limit", "N", "at most N (default 20, at most 100000)"},
                   {"json", "", "print JSON"}},
                  0, 0, list);
  Command showCmd = leaf("show", "show one run", "ID", "", {configOption()}, 1, 1, show);
  Command c;
  c.name = "runs";
  c.summary = "run history";
  c.subcommands = {listCmd, showCmd};
  return c;
}

Command traceCommand() {
  return leaf("trace", "everything that happened to one record, across all flows, in time order",
                 "ENTITY KEY", "Example: hub trace order SO-2026-000123",
                 {configOption(), {"json", "", "print JSON"}}, 2, 2, trace);
}

}  // namespace hub::cli
