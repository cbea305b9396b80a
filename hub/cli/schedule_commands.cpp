// hub schedule next: try a cron expression before deploying it.
#include <algorithm>
#include <ostream>
#include <string>

#include "hub/cli/commands.h"
#include "hub/core/suggest.h"
#include "scheduler/cron.h"
#include "scheduler/zone.h"

namespace hub::cli {
namespace {

constexpr std::int64_t kMaxCount = 1000;

sched::Zone zoneOrThrow(const std::string& name) {
  if (auto zone = sched::Zone::find(name)) return *zone;
  throw UsageError{"unknown time zone '" + name + "'" + didYouMean(name, sched::zoneNames()) +
                   " (use an IANA name such as Asia/Shanghai or America/New_York)"};
}

int next(const Invocation& inv, Io& io) {
  const std::string& text = inv.args[0];
  const auto expr = sched::CronExpr::parse(text);
  if (!expr) {
    const auto& e = expr.error();
    io.err << "error: invalid cron expression: " << e.format() << "\n  " << text << "\n  "
           << std::string(static_cast<std::size_t>(std::max(e.column, 1) - 1), ' ') << "^\n";
    return kUsage;
  }
  const sched::Zone zone = zoneOrThrow(inv.value("tz", sched::kDefaultZone));
  Millis from = nowMillis();
  if (inv.has("from")) {
    const auto parsed = sched::parseInZone(inv.value("from"), zone);
    if (!parsed)
      throw UsageError{"--from must be an ISO 8601 time like 2026-03-08T01:30:00 or 2026-03-08T01:30:00-05:00, not '" +
                       inv.value("from") + "'"};
    from = *parsed;
  }
  const auto count = static_cast<std::size_t>(inv.number("count", 5, 1, kMaxCount));
  std::size_t printed = 0;
  for (Millis t = from; printed < count; ++printed) {
    const auto fire = sched::nextFire(*expr, zone, t);
    if (!fire) break;
    io.out << sched::formatInZone(*fire, zone) << "\n";
    t = *fire;
  }
  if (printed < count) {
    io.err << (printed ? "no further" : "no") << " fire time within " << sched::kSearchYears << " years\n";
    if (printed == 0) return kFailure;
  }
  return kOk;
}

}  // namespace

Command scheduleCommand() {
  Command nextCmd;
  nextCmd.name = "next";
  nextCmd.summary = "print the next fire times of a cron expression";
  nextCmd.usage = "'EXPR' [--tz ZONE] [--from ISO-TIME] [--count N]";
  nextCmd.details =
      "Prints the next N fire times as ISO 8601 with the zone's offset, one per line, with the\n"
      "daylight-saving rules the scheduler uses. Quote the expression: '0 2 * * MON-FRI'.\n"
      "5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first; see\n"
      "scheduler/README.md. Exit 2 for a bad expression, zone or option; 1 when it never fires.";
  nextCmd.options = {
      {"tz", "ZONE", std::string("IANA time zone (default ") + sched::kDefaultZone + ", the hub's default)"},
      {"from", "ISO-TIME", "start after this time; without an offset it is read in --tz (default now)"},
      {"count", "N", "how many fire times to print (default 5, at most 1000)"},
  };
  nextCmd.min_args = 1;
  nextCmd.max_args = 1;
  nextCmd.run = next;

  Command c;
  c.name = "schedule";
  c.summary = "check cron expressions";
  c.subcommands = {nextCmd};
  return c;
}

}  // namespace hub::cli
