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
    auto parsed = dt::parseIso(s, zone);
    if (!parsed) return tl::unexpected(shown(v) + " is not an ISO-8601 date or time (use date_parse() for other layouts)");
    // A plain date stays that date, whatever the zone.
    if (dateOnly && s.size() == 10) return std::string(s);
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

void assignString(nlohmann::json& slot, std::string_view s) {
  if (slot.is_string()) slot.get_ref<std::string&>().assign(s.data(), s.size());
  else slot = std::string(s);
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
      else if (v.rep() == Value::Rep::Int) slot = v.intValue();
      else slot = jmes::toJson(v);
      return true;
    case Kind::String:
      if (v.isString()) assignString(slot, v.str());
      else if (v.isNumber() || v.isBool()) assignString(slot, fn::scalarText(v));
      else return fail("expected text, got " + std::string(jmes::typeName(v.type())));
      return true;
    case Kind::Int: {
      if (v.rep() == Value::Rep::Int) {
        slot = v.intValue();
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
