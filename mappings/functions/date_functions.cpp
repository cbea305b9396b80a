// date_parse, date_format, now. Instants travel as ISO-8601 text with the
// zone's offset ("2024-05-01T10:30:00+08:00"); text without a zone is local
// time in the mapping's zone (default Asia/Shanghai).
#include "mappings/functions/datetime.h"
#include "mappings/functions/support.h"

namespace hub::mapping::fn {
namespace {

using jmes::ErrorKind;
using namespace jmes;

const date::time_zone* zoneArg(Call& c, Args a, std::size_t i) {
  if (a.size() > i && !a[i].isNull()) {
    const auto* z = dt::findZone(a[i].str());
    if (!z) c.failArg(i, ErrorKind::InvalidValue, "unknown time zone '" + std::string(a[i].str()) + "'", a[i]);
    return z;
  }
  const HubHost* h = host(c);
  return h && h->zone ? h->zone : dt::defaultZone();
}

std::string_view patternArg(Call& c, Args a, std::size_t i, bool forParsing) {
  const std::string_view p = a[i].str();
  if (auto problem = dt::checkPattern(p, forParsing)) c.failArg(i, ErrorKind::InvalidValue, *problem, a[i]);
  return p;
}

Value fnDateParse(Call& c, Args a) {
  if (a[0].isNull()) return Value();
  const auto* zone = zoneArg(c, a, 2);
  const std::string_view pattern = patternArg(c, a, 1, true);
  std::string why;
  auto t = dt::parsePattern(a[0].str(), pattern, zone, why);
  if (!t)
    c.failArg(0, ErrorKind::InvalidValue, "\"" + std::string(a[0].str()) + "\" does not match '" + std::string(pattern) + "': " + why, a[0]);
  return c.newString(dt::formatIso(*t, zone));
}

Value fnDateFormat(Call& c, Args a) {
  if (a[0].isNull()) return Value();
  const auto* zone = zoneArg(c, a, 2);
  const std::string_view pattern = patternArg(c, a, 1, false);
  Millis t;
  if (a[0].isNumber()) {
    t = static_cast<Millis>(a[0].asDouble());
  } else {
    auto parsed = dt::parseIso(a[0].str(), zone);
    if (!parsed)
      c.failArg(0, ErrorKind::InvalidValue, "\"" + std::string(a[0].str()) + "\" is not an ISO-8601 date or time", a[0]);
    t = *parsed;
  }
  return c.newString(dt::formatPattern(t, pattern, zone));
}

Value fnNow(Call& c, Args) {
  const HubHost* h = host(c);
  const Millis t = h && h->now && *h->now ? (*h->now)() : hub::nowMillis();
  return c.newString(dt::formatIso(t, h && h->zone ? h->zone : dt::defaultZone()));
}

}  // namespace

void registerDateFunctions(jmes::FunctionRegistry& r) {
  r.add(def("date_parse", {kString | kNull, kString, kString | kNull}, 2, kString | kNull, fnDateParse));
  r.add(def("date_format", {kString | kNumber | kNull, kString, kString | kNull}, 2, kString | kNull, fnDateFormat));
  r.add(def("now", {}, 0, kString, fnNow));
}

}  // namespace hub::mapping::fn
