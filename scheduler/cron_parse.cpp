// Parsing cron text into the bit sets of CronExpr. Every error names the
// field and the 1-based column of the offending character.
#include <cctype>
#include <string>
#include <vector>

#include "hub/core/suggest.h"
#include "scheduler/cron.h"

namespace hub::sched {

std::string CronError::format() const {
  return (field.empty() ? "column " : field + " at column ") + std::to_string(column) + ": " + message;
}

namespace {

enum class Kind { Second, Minute, Hour, DayOfMonth, Month, DayOfWeek };

struct FieldSpec {
  Kind kind;
  const char* name;
  int min, max;
};

constexpr FieldSpec kSecond{Kind::Second, "second", 0, 59};
constexpr FieldSpec kMinute{Kind::Minute, "minute", 0, 59};
constexpr FieldSpec kHour{Kind::Hour, "hour", 0, 23};
constexpr FieldSpec kDayOfMonth{Kind::DayOfMonth, "day-of-month", 1, 31};
constexpr FieldSpec kMonth{Kind::Month, "month", 1, 12};
constexpr FieldSpec kDayOfWeek{Kind::DayOfWeek, "day-of-week", 0, 7};

const std::vector<std::string> kMonthNames = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                              "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
const std::vector<std::string> kDayNames = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

struct Macro {
  const char* name;
  const char* expansion;
};
constexpr Macro kMacros[] = {{"@yearly", "0 0 1 1 *"}, {"@annually", "0 0 1 1 *"}, {"@monthly", "0 0 1 * *"},
                             {"@weekly", "0 0 * * 0"}, {"@daily", "0 0 * * *"},     {"@midnight", "0 0 * * *"},
                             {"@hourly", "0 * * * *"}};

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool allDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

struct Token {
  std::string_view text;
  int column;  // 1-based
};

std::vector<Token> split(std::string_view s, int column, auto isSeparator, bool keepEmpty) {
  std::vector<Token> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || isSeparator(s[i])) {
      if (keepEmpty || i > start) out.push_back({s.substr(start, i - start), column + static_cast<int>(start)});
      start = i + 1;
    }
  }
  return out;
}

}  // namespace

// Fills a CronExpr field by field; stops at the first error.
class CronParser {
 public:
  explicit CronParser(std::string_view text) : text_(text) {}

  tl::expected<CronExpr, CronError> run() {
    std::size_t b = text_.find_first_not_of(" \t");
    std::size_t e = text_.find_last_not_of(" \t");
    if (b == std::string_view::npos) return fail(1, "", "empty cron expression");
    const std::string_view trimmed = text_.substr(b, e - b + 1);
    expr_.text_ = std::string(trimmed);
    if (trimmed[0] == '@') return macro(trimmed, static_cast<int>(b) + 1);
    std::vector<Token> fields = split(trimmed, static_cast<int>(b) + 1, [](char c) { return c == ' ' || c == '\t'; },
                                      false);
    if (fields.size() > 6)
      return fail(fields[6].column, "", "too many fields: expected 5 (minute hour day-of-month month day-of-week) "
                                        "or 6 with seconds first, found " + std::to_string(fields.size()));
    if (fields.size() < 5)
      return fail(static_cast<int>(e) + 2, "", "too few fields: expected 5 (minute hour day-of-month month "
                                               "day-of-week) or 6 with seconds first, found " +
                                                   std::to_string(fields.size()));
    const bool withSeconds = fields.size() == 6;
    if (withSeconds) expr_.seconds_ = 0;
    const FieldSpec* specs5[] = {&kMinute, &kHour, &kDayOfMonth, &kMonth, &kDayOfWeek};
    const FieldSpec* specs6[] = {&kSecond, &kMinute, &kHour, &kDayOfMonth, &kMonth, &kDayOfWeek};
    for (std::size_t i = 0; i < fields.size(); ++i) {
      const FieldSpec& spec = withSeconds ? *specs6[i] : *specs5[i];
      if (!field(spec, fields[i])) return tl::unexpected(error_);
    }
    return expr_;
  }

 private:
  tl::unexpected<CronError> fail(int column, std::string field, std::string message) {
    error_ = {column, std::move(field), std::move(message)};
    return tl::unexpected(error_);
  }
  bool bad(const FieldSpec& f, int column, std::string message) {
    error_ = {column, f.name, std::move(message)};
    return false;
  }

  tl::expected<CronExpr, CronError> macro(std::string_view word, int column) {
    std::vector<std::string> names;
    for (const auto& m : kMacros) {
      names.push_back(m.name);
      if (upper(word) == upper(m.name)) {
        const std::string keep(word);
        auto parsed = CronParser(m.expansion).run();
        if (parsed) parsed->text_ = keep;
        return parsed;
      }
    }
    return fail(column, "", "unknown macro '" + std::string(word) + "'" + didYouMean(word, names) +
                                "; known: @yearly @annually @monthly @weekly @daily @midnight @hourly");
  }

  bool field(const FieldSpec& f, const Token& t) {
    const char first = t.text[0];
    const bool star = first == '*' || first == '?';
    if (f.kind == Kind::DayOfMonth) expr_.dom_star_ = star;
    if (f.kind == Kind::DayOfWeek) expr_.dow_star_ = star;
    if (f.kind == Kind::Hour) expr_.hour_wildcard_ = star || t.text.find('/') != std::string_view::npos;
    for (const Token& item : split(t.text, t.column, [](char c) { return c == ','; }, true))
      if (!element(f, item)) return false;
    return true;
  }

  bool element(const FieldSpec& f, const Token& item) {
    if (item.text.empty()) return bad(f, item.column, "empty item in a list");
    std::string_view base = item.text;
    int step = 0;
    if (const auto slash = base.find('/'); slash != std::string_view::npos) {
      const std::string_view stepText = base.substr(slash + 1);
      const int stepColumn = item.column + static_cast<int>(slash) + 1;
      if (stepText.empty()) return bad(f, stepColumn, "a step is missing after '/'");
      if (!allDigits(stepText)) return bad(f, stepColumn, "step '" + std::string(stepText) + "' is not a number");
      if (stepText.size() > 4) return bad(f, stepColumn, "step " + std::string(stepText) + " is too large");
      if (std::stoi(std::string(stepText)) == 0) return bad(f, stepColumn, "step must be at least 1");
      step = std::stoi(std::string(stepText));
      base = base.substr(0, slash);
      if (base.empty()) return bad(f, item.column, "a range or '*' is missing before '/'");
    }
    if (base == "*" || base == "?") {
      if (base == "?" && f.kind != Kind::DayOfMonth && f.kind != Kind::DayOfWeek)
        return bad(f, item.column, "'?' is only allowed in day-of-month and day-of-week");
      return addRange(f, f.min, f.kind == Kind::DayOfWeek ? 6 : f.max, step ? step : 1);
    }
    const std::string u = upper(base);
    if (f.kind == Kind::DayOfMonth && (u[0] == 'L' || u.back() == 'W')) return domSpecial(f, u, item.column, step);
    if (f.kind == Kind::DayOfWeek && (u.back() == 'L' || u.find('#') != std::string::npos))
      return dowSpecial(f, u, item.column, step);
    int lo = 0, hi = 0;
    const auto dash = base.find('-');
    if (dash != std::string_view::npos) {
      if (!value(f, base.substr(0, dash), item.column, lo) ||
          !value(f, base.substr(dash + 1), item.column + static_cast<int>(dash) + 1, hi))
        return false;
      if (f.kind == Kind::DayOfWeek && hi == 0 && lo > 0) hi = 7;  // FRI-SUN: Sunday closes the week
      if (lo > hi)
        return bad(f, item.column, "range " + std::string(base) + " runs backwards (ranges cannot wrap around; " +
                                       "write it as two ranges)");
    } else {
      if (!value(f, base, item.column, lo)) return false;
      hi = step ? f.max : lo;  // "5/15" means from 5 to the end in steps of 15
    }
    return addRange(f, lo, hi, step ? step : 1);
  }

  bool value(const FieldSpec& f, std::string_view text, int column, int& out) {
    if (text.empty()) return bad(f, column, "a value is missing");
    if (allDigits(text)) {
      out = text.size() > 4 ? 99999 : std::stoi(std::string(text));
      if (out < f.min || out > f.max)
        return bad(f, column, std::string(text) + " is out of range " + std::to_string(f.min) + "-" +
                                  std::to_string(f.max) + (f.kind == Kind::DayOfWeek ? " (0 and 7 are Sunday)" : ""));
      return true;
    }
    const std::vector<std::string>* names = f.kind == Kind::Month       ? &kMonthNames
                                            : f.kind == Kind::DayOfWeek ? &kDayNames
                                                                        : nullptr;
    if (!names) {
      std::string hint;
      if (text.find_first_of("LW#lw") != std::string_view::npos) hint = " (L, W and # are day fields' specials)";
      return bad(f, column, "'" + std::string(text) + "' is not a number" + hint);
    }
    const std::string u = upper(text);
    for (std::size_t i = 0; i < names->size(); ++i) {
      if ((*names)[i] == u) {
        out = static_cast<int>(i) + f.min;
        return true;
      }
    }
    return bad(f, column, std::string("unknown ") + (f.kind == Kind::Month ? "month" : "weekday") + " '" +
                              std::string(text) + "'" + didYouMean(u, *names));
  }

  bool addRange(const FieldSpec& f, int lo, int hi, int step) {
    for (int v = lo; v <= hi; v += step) {
      switch (f.kind) {
        case Kind::Second: expr_.seconds_ |= 1ULL << v; break;
        case Kind::Minute: expr_.minutes_ |= 1ULL << v; break;
        case Kind::Hour: expr_.hours_ |= 1ULL << v; break;
        case Kind::DayOfMonth: expr_.days_ |= 1U << v; break;
        case Kind::Month: expr_.months_ = static_cast<std::uint16_t>(expr_.months_ | 1U << v); break;
        case Kind::DayOfWeek: expr_.weekdays_ = static_cast<std::uint8_t>(expr_.weekdays_ | 1U << (v % 7)); break;
      }
    }
    return true;
  }

  // L, L-n, LW, nW.
  bool domSpecial(const FieldSpec& f, const std::string& u, int column, int step) {
    if (step) return bad(f, column, "a step cannot follow '" + u + "'");
    if (u == "L") {
      expr_.last_day_offsets_ |= 1U;
    } else if (u == "LW") {
      expr_.last_weekday_ = true;
    } else if (u.rfind("L-", 0) == 0) {
      const std::string n = u.substr(2);
      if (!allDigits(n) || n.size() > 2 || std::stoi(n) > 30)
        return bad(f, column + 2, "'L-' needs a number of days from 0 to 30, not '" + n + "'");
      expr_.last_day_offsets_ |= 1U << std::stoi(n);
    } else if (u.back() == 'W' && u.size() > 1) {
      int day = 0;
      if (!value(f, std::string_view(u).substr(0, u.size() - 1), column, day)) return false;
      expr_.nearest_weekday_ |= 1U << day;
    } else {
      return bad(f, column, "'" + u + "' is not a day-of-month (expected a number, L, L-n, LW or nW)");
    }
    return true;
  }

  // wL (last such weekday of the month), w#k (k-th such weekday).
  bool dowSpecial(const FieldSpec& f, const std::string& u, int column, int step) {
    if (step) return bad(f, column, "a step cannot follow '" + u + "'");
    if (u == "L")
      return bad(f, column, "'L' alone is ambiguous in day-of-week: use it in day-of-month for the month's last "
                            "day, or write 5L / FRIL for its last Friday");
    int day = 0;
    if (const auto hash = u.find('#'); hash != std::string::npos) {
      if (!value(f, std::string_view(u).substr(0, hash), column, day)) return false;
      const std::string k = u.substr(hash + 1);
      if (!allDigits(k) || k.size() > 1 || k[0] < '1' || k[0] > '5')
        return bad(f, column + static_cast<int>(hash) + 1, "'#' needs a week number from 1 to 5, not '" + k + "'");
      expr_.nth_of_weekday_[day % 7] = static_cast<std::uint8_t>(expr_.nth_of_weekday_[day % 7] | 1U << (k[0] - '0'));
      return true;
    }
    if (!value(f, std::string_view(u).substr(0, u.size() - 1), column, day)) return false;
    expr_.last_of_weekday_ = static_cast<std::uint8_t>(expr_.last_of_weekday_ | 1U << (day % 7));
    return true;
  }

  std::string_view text_;
  CronExpr expr_;
  CronError error_;
};

tl::expected<CronExpr, CronError> CronExpr::parse(std::string_view text) { return CronParser(text).run(); }

}  // namespace hub::sched
