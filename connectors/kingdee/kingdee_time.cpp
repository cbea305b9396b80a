#include "connectors/kingdee/kingdee_time.h"

#include <date/date.h>
#include <date/tz.h>

#include <cstdio>
#include <stdexcept>

namespace hub::connector::kingdee {

namespace {

using Ms = std::chrono::milliseconds;

// "+08:00", "+0800", "UTC", "UTC+8" → minutes east; nullopt when not an offset.
std::optional<int> fixedOffsetMinutes(const std::string& name) {
  std::string s = name;
  if (s == "UTC" || s == "Z" || s == "GMT") return 0;
  if (s.rfind("UTC", 0) == 0 || s.rfind("GMT", 0) == 0) s = s.substr(3);
  if (s.size() < 2 || (s[0] != '+' && s[0] != '-')) return std::nullopt;
  std::string digits;
  for (std::size_t i = 1; i < s.size(); ++i) {
    if (std::isdigit(static_cast<unsigned char>(s[i]))) digits += s[i];
    else if (s[i] != ':' || i != 3) return std::nullopt;
  }
  int h = 0, m = 0;
  if (digits.size() <= 2) h = std::stoi(digits);
  else if (digits.size() == 4) h = std::stoi(digits.substr(0, 2)), m = std::stoi(digits.substr(2));
  else return std::nullopt;
  if (h > 14 || m > 59) return std::nullopt;
  return (s[0] == '-' ? -1 : 1) * (h * 60 + m);
}

const date::time_zone* lookup(const std::string& name) {
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return nullptr;
  }
}

}  // namespace

ServerZone::ServerZone(const std::string& name) : name_(name) {
  if (auto off = fixedOffsetMinutes(name)) {
    fixed_offset_ = static_cast<std::int64_t>(*off) * 60000;
    return;
  }
  zone_ = lookup(name);
  if (!zone_) throw std::invalid_argument("unknown time zone '" + name + "'");
}

bool ServerZone::known(const std::string& name) { return fixedOffsetMinutes(name) || lookup(name); }

std::int64_t ServerZone::offsetAt(std::int64_t utcMillis) const {
  if (!zone_) return fixed_offset_;
  const auto* z = static_cast<const date::time_zone*>(zone_);
  const auto info = z->get_info(date::sys_time<Ms>(Ms(utcMillis)));
  return std::chrono::duration_cast<Ms>(info.offset).count();
}

std::int64_t ServerZone::offsetForLocal(std::int64_t localMillis) const {
  if (!zone_) return fixed_offset_;
  const auto* z = static_cast<const date::time_zone*>(zone_);
  const auto info = z->get_info(date::local_time<Ms>(Ms(localMillis)));
  // In a DST gap or fold the earlier offset is as good as any: Kingdee itself
  // cannot tell the two apart either.
  return std::chrono::duration_cast<Ms>(info.first.offset).count();
}

std::string ServerZone::format(std::int64_t utcMillis, char separator) const {
  const std::int64_t local = utcMillis + offsetAt(utcMillis);
  const auto tp = date::sys_time<Ms>(Ms(local));
  const auto day = date::floor<date::days>(tp);
  const date::year_month_day ymd(day);
  const date::hh_mm_ss<Ms> hms(tp - day);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u%c%02d:%02d:%02d", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), separator,
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  std::string out = buf;
  if (const auto ms = hms.subseconds().count(); ms != 0) {
    std::snprintf(buf, sizeof buf, ".%03d", static_cast<int>(ms));
    out += buf;
  }
  return out;
}

std::string ServerZone::filterLiteral(std::int64_t utcMillis) const { return format(utcMillis, ' '); }
std::string ServerZone::jsonValue(std::int64_t utcMillis) const { return format(utcMillis, 'T'); }

std::optional<std::int64_t> ServerZone::parse(std::string_view text) const {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  const std::string t(text);
  int consumed = 0;
  if (std::sscanf(t.c_str(), "%4d-%2d-%2d%n", &y, &mo, &d, &consumed) != 3 || consumed != 10) return std::nullopt;
  std::int64_t frac = 0;
  if (t.size() > 10) {
    if (t[10] != ' ' && t[10] != 'T') return std::nullopt;
    int c2 = 0;
    if (std::sscanf(t.c_str() + 11, "%2d:%2d:%2d%n", &h, &mi, &s, &c2) != 3) return std::nullopt;
    std::size_t pos = 11 + static_cast<std::size_t>(c2);
    if (pos < t.size() && t[pos] == '.') {
      int digits = 0;
      for (++pos; pos < t.size() && std::isdigit(static_cast<unsigned char>(t[pos])); ++pos, ++digits)
        if (digits < 3) frac = frac * 10 + (t[pos] - '0');
      for (; digits < 3; ++digits) frac *= 10;
    }
    if (pos != t.size()) return std::nullopt;
  }
  const date::year_month_day ymd{date::year(y), date::month(static_cast<unsigned>(mo)),
                                 date::day(static_cast<unsigned>(d))};
  if (!ymd.ok() || h > 23 || mi > 59 || s > 60) return std::nullopt;
  const std::int64_t local =
      std::chrono::duration_cast<Ms>(date::sys_days(ymd).time_since_epoch()).count() +
      ((h * 60LL + mi) * 60 + s) * 1000 + frac;
  return local - offsetForLocal(local);
}

}  // namespace hub::connector::kingdee
