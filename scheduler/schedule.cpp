#include "scheduler/schedule.h"

namespace hub::sched {
using nlohmann::json;

JitterSource::JitterSource(std::optional<std::uint64_t> seed) : rng_(seed ? *seed : std::random_device{}()) {}

Millis JitterSource::draw(Millis max) {
  if (max <= 0) return 0;
  return std::uniform_int_distribution<Millis>(0, max)(rng_);
}

Schedule Schedule::cron(CronExpr expr, Zone zone) { return Schedule(std::move(expr), zone, 0, 0); }

Schedule Schedule::every(Millis interval, Millis jitter, std::optional<Zone> zone) {
  return Schedule(std::nullopt, zone ? *zone : Zone::utc(), std::max<Millis>(interval, 1), std::max<Millis>(jitter, 0));
}

std::optional<Millis> Schedule::next(Millis after, JitterSource* jitter) const {
  if (cron_) return nextFire(*cron_, zone_, after);
  return after + interval_ + (jitter ? jitter->draw(jitter_) : 0);
}

std::string Schedule::describe() const {
  if (cron_) return cron_->text() + " (" + zone_.name() + ")";
  return "every " + formatDuration(interval_) + (jitter_ > 0 ? " (jitter " + formatDuration(jitter_) + ")" : "");
}

bool Schedule::operator==(const Schedule& other) const {
  // An interval's zone is for display only: changing it reschedules nothing.
  return cron_ == other.cron_ && (!cron_ || zone_ == other.zone_) && interval_ == other.interval_ &&
         jitter_ == other.jitter_;
}

std::vector<Millis> upcomingFires(const Schedule& schedule, Millis from, std::size_t count) {
  std::vector<Millis> out;
  Millis t = from;
  while (out.size() < count) {
    const auto next = schedule.next(t);
    if (!next) break;
    out.push_back(t = *next);
  }
  return out;
}

std::vector<Forecast> forecast(const std::vector<ScheduledTrigger>& triggers, Millis from, std::size_t count) {
  std::vector<Forecast> out;
  for (const auto& t : triggers) {
    Forecast f{t.index, t.schedule.describe(), upcomingFires(t.schedule, from, count), {}};
    for (Millis m : f.times) f.iso.push_back(formatInZone(m, t.schedule.zone()));
    out.push_back(std::move(f));
  }
  return out;
}

std::optional<Misfire> parseMisfire(std::string_view text) {
  if (text == "run_once") return Misfire::RunOnce;
  if (text == "skip") return Misfire::Skip;
  return std::nullopt;
}

namespace {

// Config durations arrive as milliseconds; a string ("5m") is read too so
// the function also serves raw JSON.
std::optional<Millis> durationOf(const json& v) {
  if (v.is_number_integer()) return v.get<Millis>();
  if (v.is_number()) return static_cast<Millis>(v.get<double>());
  if (v.is_string()) return parseDuration(v.get<std::string>());
  return std::nullopt;
}

}  // namespace

tl::expected<std::vector<ScheduledTrigger>, std::string> triggersOf(const std::string& flow, const json& triggers,
                                                                    const std::string& defaultZone,
                                                                    Misfire misfire) {
  std::vector<ScheduledTrigger> out;
  if (triggers.is_null()) return out;
  if (!triggers.is_array()) return tl::unexpected("flow '" + flow + "': 'triggers' must be a list");
  for (std::size_t i = 0; i < triggers.size(); ++i) {
    const json& t = triggers[i];
    const std::string where = "flow '" + flow + "' trigger " + std::to_string(i + 1);
    if (!t.is_object()) return tl::unexpected(where + ": must be a mapping");
    if (t.contains("schedule")) {
      if (!t["schedule"].is_string()) return tl::unexpected(where + ": 'schedule' must be a cron string");
      const std::string text = t["schedule"].get<std::string>();
      auto expr = CronExpr::parse(text);
      if (!expr) return tl::unexpected(where + ": invalid cron expression '" + text + "': " + expr.error().format());
      const std::string zoneName = t.contains("timezone") && t["timezone"].is_string()
                                       ? t["timezone"].get<std::string>()
                                       : defaultZone;
      const auto zone = Zone::find(zoneName);
      if (!zone) return tl::unexpected(where + ": unknown time zone '" + zoneName + "'");
      out.push_back({flow, i, Schedule::cron(std::move(*expr), *zone), misfire});
    } else if (t.contains("interval")) {
      const auto every = durationOf(t["interval"]);
      if (!every || *every <= 0) return tl::unexpected(where + ": 'interval' must be a duration longer than zero");
      Millis jitter = 0;
      if (t.contains("jitter")) {
        const auto j = durationOf(t["jitter"]);
        if (!j || *j < 0) return tl::unexpected(where + ": 'jitter' must be a duration of zero or more");
        jitter = *j;
      }
      out.push_back({flow, i, Schedule::every(*every, jitter, Zone::find(defaultZone)), misfire});
    }
  }
  return out;
}

}  // namespace hub::sched
