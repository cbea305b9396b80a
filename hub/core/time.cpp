#include "hub/core/time.h"

#include <chrono>
#include <cstdio>

namespace hub {
namespace {
// Howard Hinnant's days_from_civil: proleptic Gregorian date -> days since epoch.
std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civilFromDays(std::int64_t z, int& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2));
}

std::string format(Millis t, bool withMillis) {
  std::int64_t days = t >= 0 ? t / 86400000 : (t - 86399999) / 86400000;
  std::int64_t rem = t - days * 86400000;
  int y;
  unsigned m, d;
  civilFromDays(days, y, m, d);
  char buf[40];
  const int hh = static_cast<int>(rem / 3600000), mm = static_cast<int>(rem / 60000 % 60),
            ss = static_cast<int>(rem / 1000 % 60), ms = static_cast<int>(rem % 1000);
  if (withMillis) {
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", y, m, d, hh, mm, ss, ms);
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", y, m, d, hh, mm, ss);
  }
  return buf;
}

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}
}  // namespace

Millis nowMillis() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

Millis steadyMillis() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

std::string formatIsoMillis(Millis t) { return format(t, true); }
std::string formatIsoSeconds(Millis t) { return format(t, false); }

std::optional<Millis> parseIsoInstant(std::string_view s, int defaultOffsetMinutes) {
  int y, mo, d, h = 0, mi = 0, se = 0, ms = 0;
  if (!digits(s, 0, 4, y) || s.size() < 10 || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
      !digits(s, 8, 2, d))
    return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return std::nullopt;
  std::size_t p = 10;
  if (p < s.size() && (s[p] == 'T' || s[p] == ' ' || s[p] == 't')) {
    if (!digits(s, p + 1, 2, h) || p + 3 >= s.size() || s[p + 3] != ':' || !digits(s, p + 4, 2, mi))
      return std::nullopt;
    p += 6;
    if (p < s.size() && s[p] == ':') {
      if (!digits(s, p + 1, 2, se)) return std::nullopt;
      p += 3;
      if (p < s.size() && (s[p] == '.' || s[p] == ',')) {
        ++p;
        int scale = 100;
        while (p < s.size() && s[p] >= '0' && s[p] <= '9') {
          ms += (s[p] - '0') * scale;
          scale /= 10;
          ++p;
        }
      }
    }
    if (h > 23 || mi > 59 || se > 60) return std::nullopt;
  }
  int offset = defaultOffsetMinutes;
  if (p < s.size()) {
    if (s[p] == 'Z' || s[p] == 'z') {
      offset = 0;
      ++p;
    } else if (s[p] == '+' || s[p] == '-') {
      int oh, om = 0;
      const int sign = s[p] == '-' ? -1 : 1;
      if (!digits(s, p + 1, 2, oh)) return std::nullopt;
      p += 3;
      if (p < s.size() && s[p] == ':') ++p;
      if (p < s.size()) {
        if (!digits(s, p, 2, om)) return std::nullopt;
        p += 2;
      }
      offset = sign * (oh * 60 + om);
    }
    if (p != s.size()) return std::nullopt;
  }
  const std::int64_t days = daysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  return ((days * 24 + h) * 60 + mi - offset) * 60000LL + se * 1000LL + ms;
}

std::optional<double> parseDurationMillis(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::size_t i = 0;
  double value = 0;
  bool any = false, frac = false;
  double scale = 1;
  for (; i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.'); ++i) {
    if (s[i] == '.') {
      if (frac) return std::nullopt;
      frac = true;
      continue;
    }
    any = true;
    if (frac) {
      scale /= 10;
      value += (s[i] - '0') * scale;
    } else {
      value = value * 10 + (s[i] - '0');
    }
  }
  if (!any) return std::nullopt;
  std::string_view unit = s.substr(i);
  double factor;
  if (unit.empty() || unit == "s") factor = 1000;
  else if (unit == "ms") factor = 1;
  else if (unit == "m" || unit == "min") factor = 60000;
  else if (unit == "h") factor = 3600000;
  else if (unit == "d") factor = 86400000;
  else return std::nullopt;
  return value * factor;
}

std::optional<Millis> parseDuration(std::string_view s) {
  const auto millis = parseDurationMillis(s);
  if (!millis) return std::nullopt;
  // Converting a double beyond Millis to Millis is undefined behaviour: such
  // a duration (99999999999999999d) is no duration at all.
  const double rounded = *millis + 0.5;
  if (rounded >= 9223372036854775808.0) return std::nullopt;  // 2^63
  return static_cast<Millis>(rounded);
}

std::string formatDuration(Millis d) {
  if (d % 86400000 == 0 && d != 0) return std::to_string(d / 86400000) + "d";
  if (d % 3600000 == 0 && d != 0) return std::to_string(d / 3600000) + "h";
  if (d % 60000 == 0 && d != 0) return std::to_string(d / 60000) + "m";
  if (d % 1000 == 0) return std::to_string(d / 1000) + "s";
  return std::to_string(d) + "ms";
}

const SystemClock& SystemClock::instance() {
  static const SystemClock clock;
  return clock;
}

}  // namespace hub
