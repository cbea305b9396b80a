#pragma once
// Dates for mappings: instants are epoch milliseconds; text without a zone is
// local time in a configured IANA zone (default Asia/Shanghai, from the OS
// tzdb via date::tz). Patterns are a strftime subset, documented in README.md.
#include <optional>
#include <string>
#include <string_view>

#include "hub/core/time.h"

namespace date {
class time_zone;
}

namespace hub::mapping::dt {

inline constexpr const char* kDefaultZone = "Asia/Shanghai";

// nullptr when the tzdb does not know the name.
const date::time_zone* findZone(std::string_view name);
const date::time_zone* defaultZone();

struct Civil {
  int year = 1970;
  int month = 1, day = 1, hour = 0, minute = 0, second = 0, millis = 0;
};

bool validCivil(const Civil& c);
// "2024-05-01" exactly, a real calendar date.
bool parseDate(std::string_view text, Civil& out);
// Local wall time in `zone` -> instant (the earlier one when clocks go back).
Millis localToInstant(const Civil& c, const date::time_zone* zone);
int offsetSeconds(const date::time_zone* zone, Millis t);
Civil toCivil(Millis t, int offsetSeconds);

// "2024-05-01", "2024-05-01T10:30[:00[.123]]" or with ' ', optional Z/+08:00/+0800.
std::optional<Millis> parseIso(std::string_view text, const date::time_zone* zone);
// "2024-05-01T10:30:00+08:00" (".123" only when there are milliseconds).
std::string formatIso(Millis t, const date::time_zone* zone);
std::string formatDate(Millis t, const date::time_zone* zone);  // "2024-05-01"

// Patterns: %Y %y %m %d %H %M %S %f (milliseconds) %j %z (+0800) %:z (+08:00)
// %Z (abbreviation, format only) %F %T %s (epoch seconds) %%.
// An error message, or nothing when the pattern is usable.
std::optional<std::string> checkPattern(std::string_view pattern, bool forParsing);
std::string formatPattern(Millis t, std::string_view pattern, const date::time_zone* zone);
// Text must match the whole pattern; without %z it is local time in `zone`.
std::optional<Millis> parsePattern(std::string_view text, std::string_view pattern, const date::time_zone* zone,
                                   std::string& why);

}  // namespace hub::mapping::dt
