#pragma once
// Instants are Unix epoch milliseconds (UTC) everywhere inside the hub;
// connectors convert their native timestamps at the edge.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hub {

using Millis = std::int64_t;

// Units for tables of durations (`30 * kMinuteMs`).
inline constexpr Millis kSecondMs = 1000;
inline constexpr Millis kMinuteMs = 60 * kSecondMs;
inline constexpr Millis kHourMs = 60 * kMinuteMs;
inline constexpr Millis kDayMs = 24 * kHourMs;

Millis nowMillis();
// Milliseconds on the steady clock: for intervals only, never set back.
Millis steadyMillis();

// 2026-11-23T04:05:06.789Z
std::string formatIsoMillis(Millis t);
// 2026-11-23T04:05:06Z
std::string formatIsoSeconds(Millis t);

// Accepts "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.fff]]" or with a space instead
// of 'T', optionally followed by 'Z' or an offset (+08:00, +0800). A value
// without a zone is read at `defaultOffsetMinutes` east of UTC.
std::optional<Millis> parseIsoInstant(std::string_view text, int defaultOffsetMinutes = 0);

// "250ms", "30s", "5m", "2h", "1d", or a bare number of seconds; nothing
// for a duration too long for Millis.
std::optional<Millis> parseDuration(std::string_view text);
// The same as a real number of milliseconds, never too long: for a reader
// that checks a range itself and says "too long" rather than "not a duration".
std::optional<double> parseDurationMillis(std::string_view text);
std::string formatDuration(Millis d);

// Time source that tests can replace.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Millis now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Millis now() const override { return nowMillis(); }
  static const SystemClock& instance();
};

}  // namespace hub
