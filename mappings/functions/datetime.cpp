#include "mappings/functions/datetime.h"

#include <date/tz.h>

#include <cstdio>

namespace hub::mapping::dt {
namespace {

using namespace std::chrono;

bool digitsAt(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

// 1 to `max` digits.
bool digitsUpTo(std::string_view s, std::size_t& pos, std::size_t max, int& out) {
  std::size_t n = 0;
  out = 0;
  while (n < max && pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
    out = out * 10 + (s[pos++] - '0');
    ++n;
  }
  return n > 0;
}

// Z, +08, +0800, +08:00 -> seconds east of UTC.
bool parseOffset(std::string_view s, std::size_t& p, int& seconds) {
  if (p < s.size() && (s[p] == 'Z' || s[p] == 'z')) {
    ++p;
    seconds = 0;
    return true;
  }
  if (p >= s.size() || (s[p] != '+' && s[p] != '-')) return false;
  const int sign = s[p] == '-' ? -1 : 1;
  int h, m = 0;
  if (!digitsAt(s, p + 1, 2, h)) return false;
  p += 3;
  if (p < s.size() && s[p] == ':') ++p;
  if (digitsAt(s, p, 2, m)) p += 2;
  if (h > 23 || m > 59) return false;
  seconds = sign * (h * 3600 + m * 60);
  return true;
}

Millis instantFrom(const Civil& c, std::optional<int> offset, const date::time_zone* zone) {
  if (!offset) return localToInstant(c, zone);
  const auto d = date::sys_days(date::year(c.year) / c.month / c.day);
  const Millis base = duration_cast<milliseconds>(d.time_since_epoch()).count();
  return base + ((c.hour * 60LL + c.minute) * 60 + c.second - *offset) * 1000 + c.millis;
}

void put(std::string& out, int v, int width) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%0*d", width, v);
  out += buf;
}

void putOffset(std::string& out, int seconds, bool colon) {
  out += seconds < 0 ? '-' : '+';
  const int a = seconds < 0 ? -seconds : seconds;
  put(out, a / 3600, 2);
  if (colon) out += ':';
  put(out, a / 60 % 60, 2);
}

}  // namespace

const date::time_zone* findZone(std::string_view name) {
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return nullptr;
  }
}

const date::time_zone* defaultZone() {
  static const date::time_zone* zone = findZone(kDefaultZone);
  return zone;
}

bool validCivil(const Civil& c) {
  return date::year_month_day(date::year(c.year), date::month(static_cast<unsigned>(c.month)),
                              date::day(static_cast<unsigned>(c.day)))
             .ok() &&
         c.hour >= 0 && c.hour < 24 && c.minute >= 0 && c.minute < 60 && c.second >= 0 && c.second < 61 &&
         c.millis >= 0 && c.millis < 1000;
}

bool parseDate(std::string_view s, Civil& c) {
  c = Civil();
  return s.size() == 10 && digitsAt(s, 0, 4, c.year) && s[4] == '-' && digitsAt(s, 5, 2, c.month) && s[7] == '-' &&
         digitsAt(s, 8, 2, c.day) && validCivil(c);
}

Millis localToInstant(const Civil& c, const date::time_zone* zone) {
  if (!zone) zone = defaultZone();
  const auto local = date::local_days(date::year(c.year) / c.month / c.day) + hours(c.hour) + minutes(c.minute) +
                     seconds(c.second);
  const auto sys = zone->to_sys(local, date::choose::earliest);
  return duration_cast<milliseconds>(sys.time_since_epoch()).count() + c.millis;
}

int offsetSeconds(const date::time_zone* zone, Millis t) {
  if (!zone) zone = defaultZone();
  const auto info = zone->get_info(date::sys_seconds(seconds(t >= 0 ? t / 1000 : (t - 999) / 1000)));
  return static_cast<int>(info.offset.count());
}

Civil toCivil(Millis t, int offset) {
  const Millis local = t + offset * 1000LL;
  const auto tp = date::sys_time<milliseconds>(milliseconds(local));
  const auto day = date::floor<date::days>(tp);
  const date::year_month_day ymd(day);
  const date::hh_mm_ss<milliseconds> tod(tp - day);
  Civil c;
  c.year = static_cast<int>(ymd.year());
  c.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  c.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  c.hour = static_cast<int>(tod.hours().count());
  c.minute = static_cast<int>(tod.minutes().count());
  c.second = static_cast<int>(tod.seconds().count());
  c.millis = static_cast<int>(tod.subseconds().count());
  return c;
}

std::optional<Millis> parseIso(std::string_view s, const date::time_zone* zone) {
  Civil c;
  if (!digitsAt(s, 0, 4, c.year) || s.size() < 10 || s[4] != '-' || !digitsAt(s, 5, 2, c.month) || s[7] != '-' ||
      !digitsAt(s, 8, 2, c.day))
    return std::nullopt;
  std::size_t p = 10;
  std::optional<int> offset;
  if (p < s.size() && (s[p] == 'T' || s[p] == 't' || s[p] == ' ')) {
    if (!digitsAt(s, p + 1, 2, c.hour) || p + 3 >= s.size() || s[p + 3] != ':' || !digitsAt(s, p + 4, 2, c.minute))
      return std::nullopt;
    p += 6;
    if (p < s.size() && s[p] == ':') {
      if (!digitsAt(s, p + 1, 2, c.second)) return std::nullopt;
      p += 3;
      if (p < s.size() && (s[p] == '.' || s[p] == ',')) {
        ++p;
        int scale = 100, n = 0;
        while (p < s.size() && s[p] >= '0' && s[p] <= '9') {
          c.millis += (s[p++] - '0') * scale;
          scale /= 10;
          ++n;
        }
        if (n == 0) return std::nullopt;
      }
    }
    if (p < s.size()) {
      int off;
      if (!parseOffset(s, p, off)) return std::nullopt;
      offset = off;
    }
  }
  if (p != s.size() || !validCivil(c)) return std::nullopt;
  return instantFrom(c, offset, zone);
}

std::string formatIso(Millis t, const date::time_zone* zone) {
  const int off = offsetSeconds(zone, t);
  const Civil c = toCivil(t, off);
  std::string out;
  out.reserve(29);
  put(out, c.year, 4);
  out += '-';
  put(out, c.month, 2);
  out += '-';
  put(out, c.day, 2);
  out += 'T';
  put(out, c.hour, 2);
  out += ':';
  put(out, c.minute, 2);
  out += ':';
  put(out, c.second, 2);
  if (c.millis != 0) {
    out += '.';
    put(out, c.millis, 3);
  }
  putOffset(out, off, true);
  return out;
}

std::string formatDate(Millis t, const date::time_zone* zone) {
  const Civil c = toCivil(t, offsetSeconds(zone, t));
  std::string out;
  put(out, c.year, 4);
  out += '-';
  put(out, c.month, 2);
  out += '-';
  put(out, c.day, 2);
  return out;
}

std::optional<std::string> checkPattern(std::string_view p, bool forParsing) {
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p[i] != '%') continue;
    if (++i >= p.size()) return "pattern ends with a lone '%'";
    char c = p[i];
    if (c == ':') {
      if (i + 1 >= p.size() || p[i + 1] != 'z') return "'%:' must be followed by 'z' (%:z is +08:00)";
      ++i;
      continue;
    }
    static constexpr std::string_view kBoth = "YymdHMSfzFTs%";
    static constexpr std::string_view kFormatOnly = "jZ";
    if (kBoth.find(c) != std::string_view::npos) continue;
    if (kFormatOnly.find(c) != std::string_view::npos) {
      if (forParsing) return std::string("%") + c + " can only be used to format, not to parse";
      continue;
    }
    return std::string("unknown pattern letter %") + c + " (use %Y %y %m %d %H %M %S %f %j %z %:z %Z %F %T %s %%)";
  }
  return std::nullopt;
}

std::string formatPattern(Millis t, std::string_view p, const date::time_zone* zone) {
  if (!zone) zone = defaultZone();
  const int off = offsetSeconds(zone, t);
  const Civil c = toCivil(t, off);
  std::string out;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p[i] != '%' || i + 1 >= p.size()) {
      out += p[i];
      continue;
    }
    switch (p[++i]) {
      case 'Y': put(out, c.year, 4); break;
      case 'y': put(out, c.year % 100, 2); break;
      case 'm': put(out, c.month, 2); break;
      case 'd': put(out, c.day, 2); break;
      case 'H': put(out, c.hour, 2); break;
      case 'M': put(out, c.minute, 2); break;
      case 'S': put(out, c.second, 2); break;
      case 'f': put(out, c.millis, 3); break;
      case 'j': {
        const auto ymd = date::year(c.year) / c.month / c.day;
        const auto doy = (date::sys_days(ymd) - date::sys_days(date::year(c.year) / 1 / 1)).count() + 1;
        put(out, static_cast<int>(doy), 3);
        break;
      }
      case 'z': putOffset(out, off, false); break;
      case ':':
        ++i;
        putOffset(out, off, true);
        break;
      case 'Z': out += zone->get_info(date::sys_seconds(seconds(t / 1000))).abbrev; break;
      case 'F': out += formatPattern(t, "%Y-%m-%d", zone); break;
      case 'T': out += formatPattern(t, "%H:%M:%S", zone); break;
      case 's': out += std::to_string(t >= 0 ? t / 1000 : (t - 999) / 1000); break;
      default: out += p[i];
    }
  }
  return out;
}

std::optional<Millis> parsePattern(std::string_view s, std::string_view p, const date::time_zone* zone,
                                   std::string& why) {
  Civil c;
  std::optional<int> offset;
  std::optional<Millis> epoch;
  std::size_t k = 0;  // position in s
  auto expect = [&](const char* what) {
    why = std::string("expected ") + what + " at position " + std::to_string(k + 1);
    return std::nullopt;
  };
  std::string expanded;
  for (std::size_t i = 0; i < p.size(); ++i) {  // %F and %T are shorthands
    if (p[i] == '%' && i + 1 < p.size() && (p[i + 1] == 'F' || p[i + 1] == 'T')) {
      expanded += p[i + 1] == 'F' ? "%Y-%m-%d" : "%H:%M:%S";
      ++i;
    } else {
      expanded += p[i];
    }
  }
  p = expanded;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p[i] != '%' || i + 1 >= p.size() || p[i + 1] == '%') {
      if (p[i] == '%') ++i;
      if (k >= s.size() || s[k] != p[i]) return expect((std::string("'") + p[i] + "'").c_str());
      ++k;
      continue;
    }
    int v = 0;
    switch (p[++i]) {
      case 'Y':
        if (!digitsAt(s, k, 4, c.year)) return expect("a 4-digit year");
        k += 4;
        break;
      case 'y':
        if (!digitsAt(s, k, 2, v)) return expect("a 2-digit year");
        c.year = 2000 + v;
        k += 2;
        break;
      case 'm':
        if (!digitsUpTo(s, k, 2, c.month)) return expect("a month");
        break;
      case 'd':
        if (!digitsUpTo(s, k, 2, c.day)) return expect("a day");
        break;
      case 'H':
        if (!digitsUpTo(s, k, 2, c.hour)) return expect("an hour");
        break;
      case 'M':
        if (!digitsUpTo(s, k, 2, c.minute)) return expect("minutes");
        break;
      case 'S':
        if (!digitsUpTo(s, k, 2, c.second)) return expect("seconds");
        break;
      case 'f': {
        int scale = 100, n = 0;
        c.millis = 0;
        while (k < s.size() && s[k] >= '0' && s[k] <= '9') {
          c.millis += (s[k++] - '0') * scale;
          scale /= 10;
          ++n;
        }
        if (n == 0) return expect("fractional seconds");
        break;
      }
      case ':': ++i; [[fallthrough]];
      case 'z': {
        int off;
        if (!parseOffset(s, k, off)) return expect("a UTC offset like +08:00 or Z");
        offset = off;
        break;
      }
      case 's': {
        std::size_t start = k;
        bool neg = k < s.size() && s[k] == '-';
        if (neg) ++k;
        long long secs = 0;
        while (k < s.size() && s[k] >= '0' && s[k] <= '9' && k - start < 15) secs = secs * 10 + (s[k++] - '0');
        if (k == start + (neg ? 1 : 0)) return expect("epoch seconds");
        epoch = (neg ? -secs : secs) * 1000;
        break;
      }
      default: why = std::string("unsupported pattern letter %") + p[i]; return std::nullopt;
    }
  }
  if (k != s.size()) {
    why = "unexpected text '" + std::string(s.substr(k)) + "' after the pattern";
    return std::nullopt;
  }
  if (epoch) return *epoch;
  if (!validCivil(c)) {
    why = "not a valid date or time";
    return std::nullopt;
  }
  return instantFrom(c, offset, zone);
}

}  // namespace hub::mapping::dt
