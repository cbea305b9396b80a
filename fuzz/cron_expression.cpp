// Cron expressions (scheduler/): parsed, re-parsed from their own text, and
// when they parse, asked for their next fire times in a zone without and one
// with daylight saving, from an instant just before a spring-forward switch.
// Checks: no crash; errors point at a column of the text (or just past it);
// the text of a parsed expression parses to the same schedule; fire times
// move strictly forward.
#include "fuzz/fuzz_check.h"
#include "scheduler/cron.h"
#include "scheduler/schedule.h"

namespace {

// 2024-03-10T06:00:00Z, an hour before New York springs forward.
constexpr hub::Millis kFrom = 1710050400000;

void checkFires(const hub::sched::CronExpr& expr, const hub::sched::Zone& zone) {
  const auto schedule = hub::sched::Schedule::cron(expr, zone);
  hub::Millis last = kFrom;
  for (hub::Millis t : hub::sched::upcomingFires(schedule, kFrom, 4)) {
    FUZZ_CHECK(t > last);
    FUZZ_CHECK(t % 1000 == 0);
    last = t;
  }
  (void)schedule.describe();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const hub::sched::Zone utc = hub::sched::Zone::utc();
  static const hub::sched::Zone newYork = *hub::sched::Zone::find("America/New_York");
  const std::string_view text = hub::fuzz::text(data, size);
  auto expr = hub::sched::CronExpr::parse(text);
  (void)hub::sched::checkSchedule(std::string(text));
  if (!expr) {
    FUZZ_CHECK(expr.error().column >= 1);
    FUZZ_CHECK(static_cast<std::size_t>(expr.error().column) <= size + 2);
    FUZZ_CHECK(!expr.error().message.empty());
    return 0;
  }
  auto again = hub::sched::CronExpr::parse(expr->text());
  FUZZ_CHECK(again.has_value());
  for (int year : {2024, 2028})
    for (unsigned month = 1; month <= 12; ++month) FUZZ_CHECK(again->dayMask(year, month) == expr->dayMask(year, month));
  FUZZ_CHECK(again->nextLocal(0, 40LL * 366 * 86400) == expr->nextLocal(0, 40LL * 366 * 86400));
  checkFires(*expr, utc);
  checkFires(*expr, newYork);
  return 0;
}
