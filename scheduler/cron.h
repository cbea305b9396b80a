#pragma once
// Cron expressions: 5 fields (minute hour day-of-month month day-of-week) or 6
// with seconds first, with Vixie and Quartz extensions (L, W, #, names, @daily).
// The syntax and the daylight-saving rules are in scheduler/README.md.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tl/expected.hpp>

#include "hub/core/time.h"
#include "scheduler/zone.h"

namespace hub::sched {

struct CronError {
  int column = 0;     // 1-based, in the expression as written
  std::string field;  // "minute", "day-of-month", ...; empty for the whole expression
  std::string message;

  // "day-of-month at column 7: 99 is out of range 1-31"
  std::string format() const;
};

class CronExpr {
 public:
  static tl::expected<CronExpr, CronError> parse(std::string_view text);

  const std::string& text() const { return text_; }
  // Hour field is '*' or a step: the schedule fires for every real instant
  // that matches, also twice in a fall-back overlap and never inside a gap.
  bool hourIsWildcard() const { return hour_wildcard_; }

  // Days of `month` in `year` that fire: bit d set for day d (1-31).
  std::uint32_t dayMask(int year, unsigned month) const;
  // Smallest wall-clock second in [from, until] that matches, counting civil
  // time as seconds since 1970-01-01T00:00 with no zone.
  std::optional<std::int64_t> nextLocal(std::int64_t from, std::int64_t until) const;

  bool operator==(const CronExpr& other) const { return text_ == other.text_; }

 private:
  friend class CronParser;
  std::optional<int> nextTimeOfDay(int secondOfDay) const;

  std::string text_;
  std::uint64_t seconds_ = 1, minutes_ = 0, hours_ = 0;  // bit n = value n
  std::uint32_t days_ = 0;                                // plain day-of-month values
  std::uint16_t months_ = 0;
  std::uint8_t weekdays_ = 0;                             // bit 0 = Sunday
  std::uint32_t last_day_offsets_ = 0;  // bit n: "L-n" (L = L-0)
  std::uint32_t nearest_weekday_ = 0;   // bit d: "dW"
  bool last_weekday_ = false;           // "LW"
  std::uint8_t last_of_weekday_ = 0;    // bit w: "wL", the last such weekday
  std::array<std::uint8_t, 7> nth_of_weekday_{};  // bit k of [w]: "w#k"
  bool dom_star_ = true, dow_star_ = true, hour_wildcard_ = true;
};

// How far ahead nextFire looks before deciding a schedule never fires.
inline constexpr int kSearchYears = 5;

// First fire time strictly after `after`, in `zone`, or nothing within
// kSearchYears. Fire times are whole seconds.
std::optional<Millis> nextFire(const CronExpr& expr, const Zone& zone, Millis after);

// For the config loader's LoadHooks::checkSchedule: the error, or nothing.
// Rejects expressions that parse but can never fire ("0 0 30 2 *").
std::optional<std::string> checkSchedule(const std::string& expr);

}  // namespace hub::sched
