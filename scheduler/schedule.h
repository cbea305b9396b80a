#pragma once
// What a flow's `schedule` and `interval` triggers become: one Schedule each,
// answering "when after this instant does it fire next?".
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <vector>

#include "hub/core/time.h"
#include "scheduler/cron.h"
#include "scheduler/zone.h"

namespace hub::sched {

// Random delays for interval triggers; seeded in tests for repeatable draws.
class JitterSource {
 public:
  explicit JitterSource(std::optional<std::uint64_t> seed = std::nullopt);
  Millis draw(Millis max);  // uniform in [0, max]

 private:
  std::mt19937_64 rng_;
};

class Schedule {
 public:
  static Schedule cron(CronExpr expr, Zone zone);
  // `zone` only affects how fire times are shown.
  static Schedule every(Millis interval, Millis jitter = 0, std::optional<Zone> zone = std::nullopt);

  bool isCron() const { return cron_.has_value(); }
  // Cron: the first fire strictly after `after`. Interval: `after` plus the
  // interval plus a draw in [0, jitter] (no jitter when `jitter` is null).
  // Nothing when a cron schedule does not fire within kSearchYears.
  std::optional<Millis> next(Millis after, JitterSource* jitter = nullptr) const;
  // "0 2 * * * (Asia/Shanghai)" or "every 5m (jitter 30s)".
  std::string describe() const;
  const Zone& zone() const { return zone_; }

  bool operator==(const Schedule& other) const;

 private:
  Schedule(std::optional<CronExpr> cron, Zone zone, Millis interval, Millis jitter)
      : cron_(std::move(cron)), zone_(zone), interval_(interval), jitter_(jitter) {}
  std::optional<CronExpr> cron_;
  Zone zone_;
  Millis interval_ = 0, jitter_ = 0;
};

// The next `count` fire times after `from` (no jitter). Interval schedules
// count from their last fire: pass it as `from` when known.
std::vector<Millis> upcomingFires(const Schedule& schedule, Millis from, std::size_t count);

// A flow's policy for fire times missed while the hub was down.
enum class Misfire { RunOnce, Skip };
std::optional<Misfire> parseMisfire(std::string_view text);  // "run_once" | "skip"

struct ScheduledTrigger {
  std::string flow;
  std::size_t index = 0;  // position in the flow's `triggers` list
  Schedule schedule;
  Misfire misfire = Misfire::RunOnce;
};

// The schedule and interval entries of a flow's `triggers` JSON (webhook
// entries are left out but keep their place in the numbering). Zones default
// to `defaultZone` (HubConfig::timezone). The error names the trigger.
tl::expected<std::vector<ScheduledTrigger>, std::string> triggersOf(const std::string& flow,
                                                                    const nlohmann::json& triggers,
                                                                    const std::string& defaultZone = kDefaultZone,
                                                                    Misfire misfire = Misfire::RunOnce);

// For `hub flow list` and the admin API: each trigger's next fire times, also
// as ISO 8601 text with the offset of the schedule's zone.
struct Forecast {
  std::size_t index = 0;
  std::string schedule;  // Schedule::describe()
  std::vector<Millis> times;
  std::vector<std::string> iso;
};
std::vector<Forecast> forecast(const std::vector<ScheduledTrigger>& triggers, Millis from, std::size_t count);

}  // namespace hub::sched
