#include "mappings/engine/field_type.h"

#include <charconv>
#include <cmath>

#include "mappings/functions/datetime.h"
#include "mappings/functions/support.h"

namespace hub::mapping {
namespace {

using jmes::Value;
using Kind = FieldType::Kind;

// JSON numbers reach ERPs through IEEE doubles, exact to 15 significant digits.
constexpr int kExactJsonDigits = 15;

std::string shown(const Value& v) {
  std::string s = v.isString() ? "\"" + std::string(v.str()) + "\"" : jmes::toJsonText(v);
  return s.size() > 60 ? s.substr(0, 57) + "..." : s;
}

tl::expected<hub::Decimal, std::string> decimalOf(const Value& v) {
  if (v.isNumber()) {
    if (auto d = jmes::toDecimal(v)) return *d;
    return tl::unexpected(shown(v) + " is out of decimal range");
  }
  if (v.isString()) {
    if (auto d = hub::Decimal::parse(v.str())) return *d;
    return tl::unexpected(shown(v) + " is not a number");
  }
  return tl::unexpected("expected a number, got " + std::string(jmes::typeName(v.type())));
}

tl::expected<nlohmann::json, std::string> toInstantText(const Value& v, bool dateOnly, const date::time_zone* zone) {
  Millis t;
  if (v.isNumber()) {
    t = static_cast<Millis>(v.asDouble());  // epoch milliseconds
  } else if (v.isString()) {
    const auto s = v.str();
    if (dateOnly && s.size() == 10) {  // a plain date stays that date, whatever the zone
      dt::Civil c;
      if (dt::parseDate(s, c)) return std::string(s);
    }
    auto parsed = dt::parseIso(s, zone);
    if (!parsed) return tl::unexpected(shown(v) + " is not an ISO-8601 date or time (use date_parse() for other layouts)");
    t = *parsed;
  } else {
    return tl::unexpected("expected a date or time, got " + std::string(jmes::typeName(v.type())));
  }
  return dateOnly ? dt::formatDate(t, zone) : dt::formatIso(t, zone);
}

}  // namespace

tl::expected<FieldType, std::string> parseFieldType(std::string_view text) {
  FieldType t;
  t.text = std::string(text);
  if (text == "string") t.kind = Kind::String;
  else if (text == "int") t.kind = Kind::Int;
  else if (text == "bool") t.kind = Kind::Bool;
  else if (text == "date") t.kind = Kind::Date;
  else if (text == "datetime") t.kind = Kind::DateTime;
  else if (text == "decimal") {
    t.kind = Kind::Decimal;
    t.precision = 38;
    t.scale = hub::Decimal::kMaxScale;
  } else if (text.substr(0, 8) == "decimal(" && text.back() == ')') {
    t.kind = Kind::Decimal;
    const auto inner = text.substr(8, text.size() - 9);
    const auto comma = inner.find(',');
    const auto p = inner.substr(0, comma);
    const auto s = comma == std::string_view::npos ? std::string_view("0") : inner.substr(comma + 1);
    auto trim = [](std::string_view x) {
      while (!x.empty() && x.front() == ' ') x.remove_prefix(1);
      while (!x.empty() && x.back() == ' ') x.remove_suffix(1);
      return x;
    };
    const auto tp = trim(p), ts = trim(s);
    auto rp = std::from_chars(tp.data(), tp.data() + tp.size(), t.precision);
    auto rs = std::from_chars(ts.data(), ts.data() + ts.size(), t.scale);
    if (rp.ec != std::errc() || rp.ptr != tp.data() + tp.size() || rs.ec != std::errc() || rs.ptr != ts.data() + ts.size())
      return tl::unexpected("decimal type must look like decimal(18,2), got '" + std::string(text) + "'");
    if (t.precision < 1 || t.precision > 38) return tl::unexpected(std::string("decimal precision must be 1 to 38"));
    if (t.scale < 0 || t.scale > hub::Decimal::kMaxScale || t.scale > t.precision)
      return tl::unexpected(std::string("decimal scale must be 0 to 18 and at most the precision"));
  } else {
    return tl::unexpected("unknown type '" + std::string(text) +
                          "' (string, int, decimal(p,s), bool, date, datetime)");
  }
  return t;
}

jmes::TypeSet acceptedTypes(const FieldType& t) {
  using namespace jmes;
  switch (t.kind) {
    case Kind::Any: return kAnyValue;
    case Kind::String: return kString | kNumber | kBoolean | kNull;
    case Kind::Int:
    case Kind::Decimal:
    case Kind::Date:
    case Kind::DateTime: return kNumber | kString | kNull;
    case Kind::Bool: return kBoolean | kString | kNumber | kNull;
  }
  return kAnyValue;
}

namespace {

// Writes into the slot's existing storage when it already holds that type
// (documents are reused by applyInto), without a temporary json.
void assignString(nlohmann::json& slot, std::string_view s) {
  if (auto* str = slot.get_ptr<std::string*>()) str->assign(s.data(), s.size());
  else slot = std::string(s);
}
void setInt(nlohmann::json& slot, std::int64_t v) {
  if (auto* i = slot.get_ptr<std::int64_t*>()) *i = v;
  else slot = v;
}
void setDouble(nlohmann::json& slot, double v) {
  if (auto* d = slot.get_ptr<double*>()) *d = v;
  else slot = v;
}

constexpr std::int64_t kPow10[19] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000,
                                     10000000000, 100000000000, 1000000000000, 10000000000000, 100000000000000,
                                     1000000000000000, 10000000000000000, 100000000000000000,
                                     1000000000000000000};
constexpr double kPow10d[19] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9,
                                1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18};

// `m / 10^scale`, known to have at most 15 digits: an integer when whole.
void putScaled(nlohmann::json& slot, std::int64_t m, int scale) {
  if (m % kPow10[scale] == 0) setInt(slot, m / kPow10[scale]);
  else setDouble(slot, static_cast<double>(m) / kPow10d[scale]);  // correctly rounded, so its shortest form is the digits
}

// The common case of decimal(p,s): a value with at most s fractional digits and
// 15 digits in all needs no rounding; anything else takes the exact path.
bool decimalFast(const Value& v, const FieldType& t, nlohmann::json& slot) {
  const int maxDigits = t.precision < 15 ? t.precision : 15;
  std::int64_t m;
  if (v.rep() == Value::Rep::Double) {
    const double d = v.asDouble(), scaled = d * kPow10d[t.scale];
    if (!(scaled > -1e15 && scaled < 1e15)) return false;
    m = static_cast<std::int64_t>(scaled < 0 ? scaled - 0.5 : scaled + 0.5);
    if (static_cast<double>(m) / kPow10d[t.scale] != d) return false;  // more fractional digits: round exactly
  } else if (v.rep() == Value::Rep::Int || v.rep() == Value::Rep::Decimal || v.rep() == Value::Rep::String) {
    hub::Decimal d;
    if (v.rep() == Value::Rep::Int) d = hub::Decimal::fromInt(v.intValue());
    else if (v.rep() == Value::Rep::Decimal) d = v.decimalValue();
    else if (auto parsed = hub::Decimal::parse(v.str())) d = *parsed;
    else return false;
    const auto mant = d.mantissa();
    if (d.scale() > t.scale || mant >= kPow10[15] || mant <= -kPow10[15]) return false;
    if (__builtin_mul_overflow(static_cast<std::int64_t>(mant), kPow10[t.scale - d.scale()], &m)) return false;
  } else {
    return false;
  }
  if (m >= kPow10[maxDigits] || m <= -kPow10[maxDigits]) return false;
  putScaled(slot, m, t.scale);
  return true;
}

}  // namespace

bool convertInto(const Value& v, const FieldType& t, const date::time_zone* zone, nlohmann::json& slot,
                 std::string& why) {
  auto fail = [&](std::string message) {
    why = std::move(message);
    return false;
  };
  switch (t.kind) {
    case Kind::Any:
      if (v.isString()) assignString(slot, v.str());
      else if (v.rep() == Value::Rep::Int) setInt(slot, v.intValue());
      else slot = jmes::toJson(v);
      return true;
    case Kind::String:
      if (v.isString()) assignString(slot, v.str());
      else if (v.isNumber() || v.isBool()) assignString(slot, fn::scalarText(v));
      else return fail("expected text, got " + std::string(jmes::typeName(v.type())));
      return true;
    case Kind::Int: {
      if (v.rep() == Value::Rep::Int) {
        setInt(slot, v.intValue());
        return true;
      }
      auto d = decimalOf(v);
      if (!d) return fail(d.error());
      auto i = d->toInt64();
      if (!i) return fail(shown(v) + " is not a whole number");
      slot = *i;
      return true;
    }
    case Kind::Decimal: {
      if (t.scale <= 15 && decimalFast(v, t, slot)) return true;
      auto d = decimalOf(v);
      if (!d) return fail(d.error());
      auto r = d->round(t.scale, RoundingMode::HalfUp);
      if (!r || r->integerDigits() > t.precision - t.scale) return fail(shown(v) + " does not fit " + t.text);
      const auto exact = r->stripTrailingZeros();
      if (exact.scale() > 0 && exact.significantDigits() > kExactJsonDigits)
        return fail(shown(v) + " has more than 15 significant digits, which a JSON number cannot carry exactly; "
                    "use type string");
      if (auto i = exact.toInt64()) slot = *i;
      else slot = exact.toDouble();
      return true;
    }
    case Kind::Bool: {
      if (v.isBool()) {
        slot = v.boolValue();
        return true;
      }
      if (v.rep() == Value::Rep::Int && (v.intValue() == 0 || v.intValue() == 1)) {
        slot = v.intValue() == 1;
        return true;
      }
      if (v.isString()) {
        std::string s(v.str());
        for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (s == "true" || s == "1" || s == "false" || s == "0") {
          slot = s == "true" || s == "1";
          return true;
        }
      }
      return fail(shown(v) + " is not a boolean (true/false, 1/0)");
    }
    case Kind::Date:
    case Kind::DateTime: {
      auto text = toInstantText(v, t.kind == Kind::Date, zone);
      if (!text) return fail(text.error());
      slot = std::move(*text);
      return true;
    }
  }
  return fail("unknown type");
}

tl::expected<nlohmann::json, std::string> convertValue(const Value& v, const FieldType& t, const date::time_zone* zone) {
  nlohmann::json out;
  std::string why;
  if (!convertInto(v, t, zone, out, why)) return tl::unexpected(why);
  return out;
}

}  // namespace hub::mapping
