// add, sub, mul, div, round, sum_decimal: exact decimal arithmetic. Arguments
// may be JSON numbers (read by their shortest decimal form, so 0.1 is 0.1) or
// strings holding numbers ("12.50"). A null argument gives null.
#include "mappings/functions/support.h"

namespace hub::mapping::fn {
namespace {

using jmes::ErrorKind;
using namespace jmes;  // type bits

constexpr int kDivScale = 12;  // fractional digits of div() without explicit places
const TypeSet kDecimalArg = kNumber | kString | kNull;

bool anyNull(Args a) {
  for (const auto& v : a)
    if (v.isNull()) return true;
  return false;
}

Value result(Call& c, const std::optional<Decimal>& d) {
  if (!d) c.fail(ErrorKind::InvalidValue, "result out of range (more than 38 digits)");
  return Value::decimal(*d, c.arena());
}

Value fnAdd(Call& c, Args a) {
  if (anyNull(a)) return Value();
  Decimal total = decimalArg(c, a, 0);
  for (std::size_t i = 1; i < a.size(); ++i) {
    auto s = total.add(decimalArg(c, a, i));
    if (!s) return result(c, s);
    total = *s;
  }
  return result(c, total);
}

Value fnSub(Call& c, Args a) {
  if (anyNull(a)) return Value();
  return result(c, decimalArg(c, a, 0).sub(decimalArg(c, a, 1)));
}

Value fnMul(Call& c, Args a) {
  if (anyNull(a)) return Value();
  Decimal total = decimalArg(c, a, 0);
  for (std::size_t i = 1; i < a.size(); ++i) {
    auto p = total.mul(decimalArg(c, a, i));
    if (!p) return result(c, p);
    total = *p;
  }
  return result(c, total);
}

Value fnDiv(Call& c, Args a) {
  if (a[0].isNull() || a[1].isNull()) return Value();
  const Decimal x = decimalArg(c, a, 0), y = decimalArg(c, a, 1);
  if (y.isZero()) c.failArg(1, ErrorKind::InvalidValue, "division by zero", a[1]);
  if (a.size() > 2 && !a[2].isNull()) {
    const std::int64_t places = intArg(c, a, 2);
    if (places < 0 || places > Decimal::kMaxScale)
      c.failArg(2, ErrorKind::InvalidValue, "places must be 0 to 18", a[2]);
    return result(c, x.div(y, static_cast<int>(places)));
  }
  auto q = x.div(y, kDivScale);
  if (!q) return result(c, q);
  return result(c, q->stripTrailingZeros());
}

Value fnRound(Call& c, Args a) {
  if (a[0].isNull()) return Value();
  const Decimal x = decimalArg(c, a, 0);
  const std::int64_t places = intArg(c, a, 1);
  if (places < -18 || places > Decimal::kMaxScale)
    c.failArg(1, ErrorKind::InvalidValue, "places must be -18 to 18", a[1]);
  RoundingMode mode = RoundingMode::HalfUp;
  if (a.size() > 2 && !a[2].isNull()) {
    auto m = parseRoundingMode(a[2].str());
    if (!m)
      c.failArg(2, ErrorKind::InvalidValue,
                "unknown rounding mode '" + std::string(a[2].str()) + "' (half_up, half_even, down, up, floor, ceiling)",
                a[2]);
    mode = *m;
  }
  return result(c, x.round(static_cast<int>(places), mode));
}

Value fnSumDecimal(Call& c, Args a) {
  Decimal total;
  for (std::size_t i = 0; i < a[0].size(); ++i) {
    const Value v = a[0].at(i);
    if (v.isNull()) continue;
    Value one[1] = {v};
    std::optional<Decimal> s;
    if (v.isNumber() || v.isString()) s = total.add(decimalArg(c, Args(one, 1), 0));
    else c.failArg(0, ErrorKind::InvalidType, "element " + std::to_string(i) + " is not a number", v);
    if (!s) return result(c, s);
    total = *s;
  }
  return result(c, total);
}

}  // namespace

hub::Decimal decimalArg(Call& c, Args a, std::size_t i) {
  const Value& v = a[i];
  if (v.isNumber()) {
    auto d = jmes::toDecimal(v);
    if (!d) c.failArg(i, ErrorKind::InvalidValue, "number out of decimal range", v);
    return *d;
  }
  if (v.isString()) {
    std::string_view s = v.str();
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    auto d = Decimal::parse(s);
    if (!d) c.failArg(i, ErrorKind::InvalidValue, "\"" + std::string(v.str()) + "\" is not a decimal number", v);
    return *d;
  }
  c.failArg(i, ErrorKind::InvalidType, "expected a number or a numeric string, got " + std::string(typeName(v.type())), v);
}

std::int64_t intArg(Call& c, Args a, std::size_t i) {
  const Decimal d = decimalArg(c, a, i);
  auto n = d.toInt64();
  if (!n) c.failArg(i, ErrorKind::InvalidValue, "expected a whole number, got " + d.toString(), a[i]);
  return *n;
}

void registerDecimalFunctions(jmes::FunctionRegistry& r) {
  r.add(def("add", {kDecimalArg, kDecimalArg}, 2, kNumber | kNull, fnAdd, true));
  r.add(def("sub", {kDecimalArg, kDecimalArg}, 2, kNumber | kNull, fnSub));
  r.add(def("mul", {kDecimalArg, kDecimalArg}, 2, kNumber | kNull, fnMul, true));
  r.add(def("div", {kDecimalArg, kDecimalArg, kNumber | kString | kNull}, 2, kNumber | kNull, fnDiv));
  r.add(def("round", {kDecimalArg, kNumber | kString, kString | kNull}, 2, kNumber | kNull, fnRound));
  r.add(def("sum_decimal", {kArray}, 1, kNumber, fnSumDecimal));
}

}  // namespace hub::mapping::fn
