#pragma once
// IANA time zones from the OS tzdb (Howard Hinnant's date library), kept out
// of public headers so callers do not compile date/tz.h.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hub/core/time.h"

namespace date {
class time_zone;
}

namespace hub::sched {

inline constexpr const char* kDefaultZone = "Asia/Shanghai";

class Zone {
 public:
  // Nothing when the tzdb does not know the name.
  static std::optional<Zone> find(const std::string& name);
  static Zone utc();

  const std::string& name() const;
  const date::time_zone* tz() const { return tz_; }
  // Seconds east of UTC in force at instant `t`.
  int offsetAt(Millis t) const;
  // Local wall-clock time read in this zone; an instant that does not exist
  // (spring-forward gap) becomes the first instant after the gap, an ambiguous
  // one (fall-back overlap) its first occurrence.
  Millis fromLocal(int year, unsigned month, unsigned day, int hour, int minute, int second) const;

  bool operator==(const Zone& other) const { return tz_ == other.tz_; }

 private:
  explicit Zone(const date::time_zone* tz) : tz_(tz) {}
  const date::time_zone* tz_;
};

// For the config loader's LoadHooks::knownZone.
bool knownZone(const std::string& name);
std::vector<std::string> zoneNames();

// 2026-03-08T03:00:00-04:00 (milliseconds only when not zero).
std::string formatInZone(Millis t, const Zone& zone);

// ISO 8601 with or without an offset ('Z', +08:00); without one the time is
// read as wall-clock time in `zone`.
std::optional<Millis> parseInZone(std::string_view text, const Zone& zone);

}  // namespace hub::sched
