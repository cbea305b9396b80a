#include "scheduler/zone.h"

#include <date/tz.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace hub::sched {
namespace {

std::int64_t floorDiv(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Wall-clock seconds (civil time counted as if it were UTC) to an instant,
// resolving gaps and overlaps the way schedules do.
std::int64_t localToSys(const date::time_zone* tz, std::int64_t local) {
  const auto info = tz->get_info(date::local_seconds{std::chrono::seconds{local}});
  switch (info.result) {
    case date::local_info::nonexistent:
      return info.first.end.time_since_epoch().count();
    case date::local_info::ambiguous:
    case date::local_info::unique:
    default:
      return local - info.first.offset.count();
  }
}

}  // namespace

std::optional<Zone> Zone::find(const std::string& name) {
  if (name.empty()) return std::nullopt;
  try {
    return Zone(date::locate_zone(name));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

Zone Zone::utc() { return Zone(date::locate_zone("UTC")); }

const std::string& Zone::name() const { return tz_->name(); }

int Zone::offsetAt(Millis t) const {
  const auto info = tz_->get_info(date::sys_seconds{std::chrono::seconds{floorDiv(t, 1000)}});
  return static_cast<int>(info.offset.count());
}

Millis Zone::fromLocal(int year, unsigned month, unsigned day, int hour, int minute, int second) const {
  const date::sys_days d{date::year{year} / date::month{month} / date::day{day}};
  const std::int64_t local = std::int64_t{d.time_since_epoch().count()} * 86400 + hour * 3600 + minute * 60 + second;
  return localToSys(tz_, local) * 1000;
}

bool knownZone(const std::string& name) { return Zone::find(name).has_value(); }

std::vector<std::string> zoneNames() {
  std::vector<std::string> names;
  try {
    for (const auto& z : date::get_tzdb().zones) names.push_back(z.name());
  } catch (const std::exception&) {
    // No tzdb on this machine: nothing to suggest.
  }
  return names;
}

std::string formatInZone(Millis t, const Zone& zone) {
  const int offset = zone.offsetAt(t);
  const Millis local = t + Millis{offset} * 1000;
  std::string text = (local % 1000 == 0) ? formatIsoSeconds(local) : formatIsoMillis(local);
  text.pop_back();  // the 'Z': this is wall-clock time, the offset follows
  const int minutes = std::abs(offset) / 60;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%c%02d:%02d", offset < 0 ? '-' : '+', minutes / 60, minutes % 60);
  return text + buf;
}

std::optional<Millis> parseInZone(std::string_view text, const Zone& zone) {
  const auto asUtc = parseIsoInstant(text, 0);
  if (!asUtc) return std::nullopt;
  // The date part holds two '-'; any 'Z', '+' or '-' after it is an explicit offset.
  const bool explicitOffset = text.size() > 10 && text.substr(10).find_first_of("Zz+-") != std::string_view::npos;
  if (explicitOffset) return asUtc;
  const std::int64_t local = floorDiv(*asUtc, 1000);
  return localToSys(zone.tz(), local) * 1000 + (*asUtc - local * 1000);
}

}  // namespace hub::sched
