// Finding fire times: first on the civil calendar (skipping whole months and
// days by bit masks), then through the zone's UTC-offset periods so that
// daylight-saving gaps and overlaps follow the rules in scheduler/README.md.
#include <date/tz.h>

#include <algorithm>
#include <bit>
#include <chrono>

#include "scheduler/cron.h"

namespace hub::sched {
namespace {

std::int64_t floorDiv(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Smallest set bit at or above `from`, or -1.
int nextBit(std::uint64_t mask, int from) {
  if (from >= 64) return -1;
  const std::uint64_t rest = mask >> from;
  return rest ? from + std::countr_zero(rest) : -1;
}

std::int64_t dayNumber(int y, unsigned m, unsigned d) {
  return date::sys_days{date::year{y} / date::month{m} / date::day{d}}.time_since_epoch().count();
}

// The zone's first period starts at the dawn of time; it has no predecessor.
constexpr std::int64_t kNoTransitionBefore = -(std::int64_t{1} << 40);

}  // namespace

std::uint32_t CronExpr::dayMask(int year, unsigned month) const {
  using namespace date;
  const year_month ym{date::year{year}, date::month{month}};
  const unsigned ndays = static_cast<unsigned>((ym / last).day());
  const unsigned first = weekday{sys_days{ym / 1}}.c_encoding();  // 0 = Sunday
  const auto weekdayOf = [&](unsigned d) { return (first + d - 1) % 7; };
  const std::uint32_t all = ((std::uint32_t{1} << ndays) - 1) << 1;

  std::uint32_t dom = days_;
  for (unsigned n = 0; n < 31; ++n)
    if ((last_day_offsets_ >> n & 1) && n < ndays) dom |= 1U << (ndays - n);
  if (last_weekday_) {
    unsigned d = ndays;
    if (weekdayOf(d) == 6) d -= 1;
    if (weekdayOf(d) == 0) d -= 2;
    dom |= 1U << d;
  }
  for (unsigned d = 1; d <= ndays; ++d) {
    if (!(nearest_weekday_ >> d & 1)) continue;
    unsigned target = d;  // never leaves the month: 1W on a Saturday is Monday the 3rd
    if (weekdayOf(d) == 6) target = d == 1 ? 3 : d - 1;
    if (weekdayOf(d) == 0) target = d == ndays ? d - 2 : d + 1;
    dom |= 1U << target;
  }

  std::uint32_t dow = 0;
  for (unsigned d = 1; d <= ndays; ++d)
    if (weekdays_ >> weekdayOf(d) & 1) dow |= 1U << d;
  for (unsigned w = 0; w < 7; ++w) {
    if (last_of_weekday_ >> w & 1) dow |= 1U << (ndays - (weekdayOf(ndays) + 7 - w) % 7);
    for (unsigned k = 1; k <= 5; ++k) {
      const unsigned d = 1 + (w + 7 - first) % 7 + 7 * (k - 1);
      if ((nth_of_weekday_[w] >> k & 1) && d <= ndays) dow |= 1U << d;
    }
  }
  // Vixie cron: when both day fields are restricted a day matching either
  // fires; when one starts with '*' (or '?') both must match.
  return (dom_star_ || dow_star_ ? (dom & dow) : (dom | dow)) & all;
}

std::optional<int> CronExpr::nextTimeOfDay(int sod) const {
  const int h0 = sod / 3600, m0 = sod / 60 % 60, s0 = sod % 60;
  for (int h = nextBit(hours_, h0); h >= 0; h = nextBit(hours_, h + 1)) {
    for (int m = nextBit(minutes_, h == h0 ? m0 : 0); m >= 0; m = nextBit(minutes_, m + 1)) {
      const int s = nextBit(seconds_, h == h0 && m == m0 ? s0 : 0);
      if (s >= 0) return h * 3600 + m * 60 + s;
    }
  }
  return std::nullopt;
}

std::optional<std::int64_t> CronExpr::nextLocal(std::int64_t from, std::int64_t until) const {
  std::int64_t day = floorDiv(from, 86400);
  int sod = static_cast<int>(from - day * 86400);
  while (day * 86400 <= until) {
    const date::year_month_day ymd{date::sys_days{date::days{day}}};
    int y = static_cast<int>(ymd.year());
    unsigned m = static_cast<unsigned>(ymd.month());
    const unsigned d = static_cast<unsigned>(ymd.day());
    std::uint32_t fromToday = 0;
    if (months_ >> m & 1) fromToday = dayMask(y, m) >> d << d;
    if (!fromToday) {  // on to the first day of the next month that can fire
      do {
        if (++m > 12) m = 1, ++y;
      } while (!(months_ >> m & 1));
      day = dayNumber(y, m, 1);
      sod = 0;
      continue;
    }
    const unsigned next = static_cast<unsigned>(std::countr_zero(fromToday));
    if (next != d) day += next - d, sod = 0;
    if (const auto t = nextTimeOfDay(sod)) {
      const std::int64_t found = day * 86400 + *t;
      return found <= until ? std::optional(found) : std::nullopt;
    }
    ++day;
    sod = 0;
  }
  return std::nullopt;
}

std::optional<Millis> nextFire(const CronExpr& expr, const Zone& zone, Millis after) {
  using std::chrono::seconds;
  const date::time_zone* tz = zone.tz();
  const std::int64_t first = floorDiv(after, 1000) + 1;  // fire times are whole seconds
  const std::int64_t limit = first + std::int64_t{kSearchYears} * 366 * 86400;
  const bool fixedHours = !expr.hourIsWildcard();
  // Walk the zone's periods of constant UTC offset in order; within one,
  // wall-clock and UTC differ by a constant, so the civil search applies.
  for (std::int64_t cur = first; cur <= limit;) {
    const date::sys_info info = tz->get_info(date::sys_seconds{seconds{cur}});
    const std::int64_t begin = info.begin.time_since_epoch().count();
    const std::int64_t end = info.end.time_since_epoch().count();
    const std::int64_t offset = info.offset.count();
    std::int64_t lo = cur + offset;
    if (fixedHours && begin > kNoTransitionBefore) {
      const std::int64_t before = tz->get_info(date::sys_seconds{seconds{begin - 1}}).offset.count();
      // Spring forward: wall times in [begin+before, begin+offset) never
      // happen; a fixed time among them runs once, when the gap ends.
      if (before < offset && begin >= first && expr.nextLocal(begin + before, begin + offset - 1)) return begin * 1000;
      // Fall back: wall times repeated after the change already ran in the
      // previous period; a fixed time runs at its first occurrence only.
      if (before > offset) lo = std::max(lo, begin + before);
    }
    const std::int64_t hi = std::min(end, limit + 1) - 1 + offset;
    if (lo <= hi) {
      if (const auto local = expr.nextLocal(lo, hi)) return (*local - offset) * 1000;
    }
    cur = end;
  }
  return std::nullopt;
}

std::optional<std::string> checkSchedule(const std::string& text) {
  const auto expr = CronExpr::parse(text);
  if (!expr) return "invalid cron expression '" + text + "': " + expr.error().format();
  // 28 consecutive years hold every calendar layout (and leap years) that
  // the Gregorian calendar produces between 1901 and 2099.
  if (expr->nextLocal(dayNumber(2000, 1, 1) * 86400, dayNumber(2028, 1, 1) * 86400 - 1)) return std::nullopt;
  return "cron expression '" + text + "' never fires (no month has the day it names)";
}

}  // namespace hub::sched
