// hub dlq list | show | replay | discard
#include <fstream>
#include <ostream>
#include <sstream>

#include "hub/api/views.h"
#include "hub/cli/commands.h"
#include "hub/core/suggest.h"
#include "hub/cli/session.h"
#include "hub/engine/dead_letter_ops.h"

namespace hub::cli {
namespace {

std::vector<Option> filterOptions() {
  return {{"flow", "FLOW", "only this flow"},
          {"entity", "ENTITY", "only this entity"},
          {"since", "TIME", "dead-lettered at or after (ISO time or duration ago: 24h)"},
          {"error", "TEXT", "message, error type or key contains TEXT"}};
}

store::DeadLetterFilter filterFrom(const Invocation& inv) {
  store::DeadLetterFilter f;
  f.flow = inv.value("flow");
  f.entity = inv.value("entity");
  f.error_text = inv.value("error");
  if (inv.has("since")) {
    auto since = parseWhen(inv.value("since"), nowMillis());
    if (!since) throw UsageError{"--since takes an ISO time or a duration ago (24h)"};
    f.since = *since;
  }
  return f;
}

std::vector<store::Id> idsFrom(const Invocation& inv) {
  std::vector<store::Id> ids;
  for (const auto& a : inv.args) ids.push_back(wholeNumber(a, "dead-letter id", 1, kLargestId));
  return ids;
}

int list(const Invocation& inv, Io& io) {
  auto f = filterFrom(inv);
  f.status = inv.value("status", "open");
  f.limit = static_cast<std::size_t>(inv.number("limit", 50, 1, kMostListed));
  f.offset = static_cast<std::size_t>(inv.number("offset", 0, 0, kLargestId));
  int code = kOk;
  auto s = openSession(inv, io, false, &code);
  if (!s) return code;
  const auto letters = s->store->deadLetters().list(f);
  const auto total = s->store->deadLetters().count(f);
  if (inv.has("json")) {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& d : letters) arr.push_back(api::toJson(d, false));
    io.out << nlohmann::json{{"total", total}, {"dead_letters", arr}}.dump(2) << "\n";
    return kOk;
  }
  io.out << pad("ID", 7) << pad("WHEN", 21) << pad("FLOW", 24) << pad("KEY", 20) << pad("ERROR", 22) << "MESSAGE\n";
  for (const auto& d : letters) {
    std::string msg = d.failure.message.size() > 80 ? d.failure.message.substr(0, 77) + "..." : d.failure.message;
    io.out << pad(std::to_string(d.id), 7) << pad(when(d.created_at), 21) << pad(d.flow, 24) << pad(d.key, 20)
           << pad(d.failure.error_type, 22) << msg << "\n";
  }
  io.out << letters.size() << " of " << total << " " << f.status << " dead letter" << (total == 1 ? "" : "s") << "\n";
  return kOk;
}

int show(const Invocation& inv, Io& io) {
  const auto id = idsFrom(inv).at(0);
  int code = kOk;
  auto s = openSession(inv, io, false, &code);
  if (!s) return code;
  const auto d = s->store->deadLetters().get(id);
  if (!d) {
    io.err << "no dead letter " << id << "\n";
    return kFailure;
  }
  io.out << api::toJson(*d, true).dump(2) << "\n";
  return kOk;
}

int replay(const Invocation& inv, Io& io) {
  const bool dryRun = inv.has("dry-run");
  std::vector<store::Id> ids = idsFrom(inv);
  const Millis timeout = inv.duration("timeout", 5 * kMinuteMs, kSecondMs, kDayMs);
  int code = kOk;
  auto s = openSession(inv, io, true, &code);
  if (!s) return code;
  if (inv.has("matching")) {
    if (!ids.empty()) throw UsageError{"give dead-letter ids or --matching, not both"};
    auto f = filterFrom(inv);
    f.limit = 100000;
    for (const auto& d : s->store->deadLetters().list(f)) ids.push_back(d.id);
  } else if (ids.empty()) {
    throw UsageError{"give dead-letter ids, or --matching with filters"};
  }
  std::optional<std::string> edited;
  if (inv.has("edit")) {
    if (ids.size() != 1) throw UsageError{"--edit replays exactly one dead letter"};
    std::ifstream in(inv.value("edit"));
    if (!in) throw UsageError{"cannot read " + inv.value("edit")};
    std::stringstream buf;
    buf << in.rdbuf();
    const auto doc = nlohmann::json::parse(buf.str(), nullptr, false);
    if (doc.is_discarded()) throw UsageError{inv.value("edit") + " is not valid JSON"};
    edited = doc.dump();
  }
  if (dryRun) {
    for (store::Id id : ids) {
      const auto d = s->store->deadLetters().get(id);
      if (!d) continue;
      const auto p = engine::previewReplay(*s->landscape, *s->store, *d, edited, SystemClock::instance());
      nlohmann::json out = {{"dead_letter", id}, {"key", d->key}, {"failed_with", d->failure.message},
                            {"failed_document", p.failed_document}, {"document_now", p.document}};
      nlohmann::json problems = nlohmann::json::array();
      for (const auto& pr : p.problems) problems.push_back({{"path", pr.path}, {"kind", pr.kind}, {"message", pr.message}});
      out["problems_now"] = problems;
      if (!p.error.empty()) out["error"] = p.error;
      io.out << out.dump(2) << "\n";
    }
    io.out << ids.size() << " dead letter" << (ids.size() == 1 ? "" : "s") << " previewed; nothing changed\n";
    return kOk;
  }
  const auto reports = engine::replayDeadLetters(*s->store, ids, inv.value("actor", cliActor()), edited, nowMillis());
  std::vector<store::Id> queued;
  std::vector<std::string> flows;
  for (const auto& r : reports) {
    io.out << "dead letter " << r.dead_letter << ": " << engine::toString(r.result.status);
    if (r.result.status == store::ReplayStatus::Queued) {
      io.out << " as queue #" << r.result.queue_id;
      queued.push_back(r.result.queue_id);
    } else if (r.result.status == store::ReplayStatus::Superseded) {
      io.out << " (a newer version, queue #" << r.result.newer_queue_id << ", is already on its way)";
    }
    io.out << "\n";
    if (const auto d = s->store->deadLetters().get(r.dead_letter))
      if (std::find(flows.begin(), flows.end(), d->flow) == flows.end()) flows.push_back(d->flow);
  }
  if (queued.empty() || inv.has("no-deliver")) return kOk;
  auto finished = [&] {
    for (const auto& item : s->store->queue().items(queued))
      if (item.state == store::RecordState::Pending || item.state == store::RecordState::Leased) return false;
    return true;
  };
  deliverUntil(*s, flows, finished, timeout, io);
  std::map<std::string, int> tally;
  for (const auto& item : s->store->queue().items(queued)) ++tally[store::toString(item.state)];
  io.out << "replayed " << queued.size() << ":";
  for (const auto& [state, n] : tally) io.out << " " << n << " " << state;
  io.out << "\n";
  return tally.count("dead") ? kFailure : kOk;
}

int discard(const Invocation& inv, Io& io) {
  if (!inv.has("reason") || inv.value("reason").empty()) throw UsageError{"--reason is required: say why"};
  const std::vector<store::Id> ids = idsFrom(inv);
  int code = kOk;
  auto s = openSession(inv, io, false, &code);
  if (!s) return code;
  int failed = 0;
  for (store::Id id : ids) {
    const bool ok = s->store->deadLetters().discard(id, inv.value("actor", cliActor()), inv.value("reason"), nowMillis());
    io.out << "dead letter " << id << ": " << (ok ? "discarded" : "not open") << "\n";
    failed += ok ? 0 : 1;
  }
  return failed ? kFailure : kOk;
}

}  // namespace

Command dlqCommand() {
  auto withFilters = [](std::vector<Option> extra) {
    auto opts = filterOptions();
    opts.insert(opts.begin(), configOption());
    opts.insert(opts.end(), extra.begin(), extra.end());
    return opts;
  };
  Command listCmd = leaf("list", "list dead letters, newest last", "",
                  "", withFilters({{"status", "STATUS", "open (default) | replayed | discarded | all"},
                                   {"limit", "N", "at most N (default 50, at most 100000)"},
                                   {"offset", "N", "skip the first N"},
                                   {"json", "", "print JSON"}}),
                  0, 0, list);
  Command showCmd = leaf("show", "show one dead letter: error, attempts, source and mapped payloads", "ID", "",
                  {configOption()}, 1, 1, show);
  Command replayCmd = leaf("replay", "queue dead letters again and deliver them with the current mapping",
                    "ID... | --matching [filters]",
                    "A replay is mapped again at delivery, so a corrected mapping fixes the record. A key whose\n"
                    "newer version was queued since is not replayed (old data never overwrites new).",
                    withFilters({{"matching", "", "replay every open dead letter the filters match"},
                                 {"edit", "FILE", "replay one dead letter with this corrected source payload"},
                                 {"dry-run", "", "show the document the current mapping makes, change nothing"},
                                 {"no-deliver", "", "only queue; leave delivery to the daemon"},
                                 {"timeout", "DURATION", "how long to wait for delivery (default 5m, 1s to 1d)"},
                                 {"actor", "NAME", "who is acting, for the audit log"}}),
                    0, 100000, replay);
  Command discardCmd = leaf("discard", "resolve dead letters without delivering them", "ID... --reason TEXT", "",
                     {configOption(), {"reason", "TEXT", "why (kept in the audit log)"},
                      {"actor", "NAME", "who is acting, for the audit log"}},
                     1, 100000, discard);
  Command c;
  c.name = "dlq";
  c.summary = "find, inspect, replay and discard dead letters";
  c.subcommands = {listCmd, showCmd, replayCmd, discardCmd};
  return c;
}

}  // namespace hub::cli
