#include "connectors/kingdee/sim/sim_dates.h"

#include <strings.h>

#include <array>
#include <cctype>
#include <cstdio>

namespace hub::connector::kingdee::sim {

namespace {

// Reads up to `most` digits at `p`; false when there is none.
bool number(std::string_view s, std::size_t& p, std::size_t most, int& out) {
  const std::size_t from = p;
  out = 0;
  while (p < s.size() && p - from < most && std::isdigit(static_cast<unsigned char>(s[p]))) out = out * 10 + (s[p++] - '0');
  return p > from;
}

// .NET reads 2024/5/1 and 2024-5-1 8:30 as well as ISO; this pads them to
// the ISO form hub/core's parser reads.
std::optional<std::string> isoForm(std::string_view s) {
  std::size_t p = 0;
  int y = 0, mo = 0, d = 0;
  if (!number(s, p, 4, y) || p != 4 || p >= s.size() || (s[p] != '-' && s[p] != '/')) return std::nullopt;
  const char sep = s[p++];
  if (!number(s, p, 2, mo) || p >= s.size() || s[p++] != sep || !number(s, p, 2, d)) return std::nullopt;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, mo, d);
  std::string out = buf;
  if (p < s.size() && (s[p] == ' ' || s[p] == 'T')) {
    int h = 0;
    ++p;
    if (!number(s, p, 2, h)) return std::nullopt;
    std::snprintf(buf, sizeof buf, "T%02d", h);
    out += buf;
  }
  return out + std::string(s.substr(p));
}

}  // namespace

bool isDateField(const std::string& name) {
  static const std::array<const char*, 6> kDates = {"FDate",        "FCreateDate", "FModifyDate",
                                                    "FApproveDate", "FUpdateTime", "FDeliveryDate"};
  for (const char* d : kDates)
    if (strcasecmp(d, name.c_str()) == 0) return true;
  return false;
}

std::string renderServerDate(Millis utc, int offsetMinutes) {
  std::string s = formatIsoMillis(utc + offsetMinutes * 60000LL);  // 2024-05-01T09:30:00.123Z
  s.pop_back();
  if (s.size() > 4 && s.compare(s.size() - 4, 4, ".000") == 0) s.resize(s.size() - 4);
  return s;
}

std::optional<std::string> renderSavedDate(std::string_view text, int offsetMinutes) {
  const auto iso = isoForm(text);
  const auto at = iso ? parseIsoInstant(*iso, offsetMinutes) : std::nullopt;
  if (!at) return std::nullopt;
  return renderServerDate(*at, offsetMinutes);
}

}  // namespace hub::connector::kingdee::sim
