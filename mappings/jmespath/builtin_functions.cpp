// The functions of the JMESPath specification (jmespath.org/specification.html).
#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>

#include "mappings/jmespath/functions.h"
#include "mappings/jmespath/utf8.h"

namespace hub::jmes {
namespace {

using Args = std::span<const Value>;

Value list(Call& c, const std::vector<Value>& items) {
  Value* out = c.arena().allocArray<Value>(items.size());
  std::copy(items.begin(), items.end(), out);
  return Value::list(out, items.size());
}

Value integerOrDouble(double d) {
  if (d >= -9.2e18 && d <= 9.2e18 && d == std::floor(d)) return Value::integer(static_cast<std::int64_t>(d));
  return Value::number(d);
}

Value fnAbs(Call& c, Args a) {
  const Value& v = a[0];
  if (v.rep() == Value::Rep::Int && v.intValue() != std::numeric_limits<std::int64_t>::min())
    return Value::integer(v.intValue() < 0 ? -v.intValue() : v.intValue());
  if (v.rep() == Value::Rep::Decimal) return Value::decimal(v.decimalValue().abs(), c.arena());
  return Value::number(std::fabs(v.asDouble()));
}

Value roundTo(Call& c, const Value& v, RoundingMode mode, double (*fn)(double)) {
  if (v.rep() == Value::Rep::Int) return v;
  if (v.rep() == Value::Rep::Decimal) {
    auto r = v.decimalValue().round(0, mode);
    if (!r) c.fail(ErrorKind::InvalidValue, "number out of range", v);
    if (auto i = r->toInt64()) return Value::integer(*i);
    return Value::decimal(*r, c.arena());
  }
  return integerOrDouble(fn(v.asDouble()));
}

Value fnSum(Call& c, Args a) {
  const Value& arr = a[0];
  const std::size_t n = arr.size();
  bool allInt = true, anyDecimal = false;
  for (std::size_t i = 0; i < n; ++i) {
    const auto r = arr.at(i).rep();
    allInt = allInt && r == Value::Rep::Int;
    anyDecimal = anyDecimal || r == Value::Rep::Decimal;
  }
  if (anyDecimal) {  // decimals stay exact
    Decimal total;
    for (std::size_t i = 0; i < n; ++i) {
      auto d = toDecimal(arr.at(i));
      auto s = d ? total.add(*d) : std::nullopt;
      if (!s) c.fail(ErrorKind::InvalidValue, "sum out of range", arr.at(i));
      total = *s;
    }
    return Value::decimal(total, c.arena());
  }
  if (allInt) {
    std::int64_t total = 0;
    bool overflow = false;
    for (std::size_t i = 0; i < n && !overflow; ++i) overflow = __builtin_add_overflow(total, arr.at(i).intValue(), &total);
    if (!overflow) return Value::integer(total);
  }
  double total = 0;
  for (std::size_t i = 0; i < n; ++i) total += arr.at(i).asDouble();
  return Value::number(total);
}

Value fnAvg(Call& c, Args a) {
  const std::size_t n = a[0].size();
  if (n == 0) return Value();
  double total = 0;
  for (std::size_t i = 0; i < n; ++i) total += a[0].at(i).asDouble();
  (void)c;
  return Value::number(total / static_cast<double>(n));
}

Value fnContains(Call&, Args a) {
  if (a[0].isString()) return Value::boolean(a[1].isString() && a[0].str().find(a[1].str()) != std::string_view::npos);
  for (std::size_t i = 0; i < a[0].size(); ++i)
    if (equals(a[0].at(i), a[1])) return Value::boolean(true);
  return Value::boolean(false);
}

Value fnJoin(Call& c, Args a) {
  std::string out;
  for (std::size_t i = 0; i < a[1].size(); ++i) {
    if (i > 0) out += a[0].str();
    out += a[1].at(i).str();
  }
  return c.newString(out);
}

Value fnKeys(Call& c, Args a) {
  std::vector<Value> out;
  a[0].forEachMember([&](std::string_view k, Value) { out.push_back(Value::string(k)); });
  return list(c, out);
}

Value fnValues(Call& c, Args a) {
  std::vector<Value> out;
  a[0].forEachMember([&](std::string_view, Value v) { out.push_back(v); });
  return list(c, out);
}

Value fnLength(Call&, Args a) {
  const Value& v = a[0];
  if (v.isString()) return Value::integer(static_cast<std::int64_t>(utf8::length(v.str())));
  if (v.isArray()) return Value::integer(static_cast<std::int64_t>(v.size()));
  return Value::integer(static_cast<std::int64_t>(v.memberCount()));
}

Value fnMap(Call& c, Args a) {
  std::vector<Value> out;
  out.reserve(a[1].size());
  for (std::size_t i = 0; i < a[1].size(); ++i) out.push_back(c.evalExpref(a[0], a[1].at(i)));
  return list(c, out);
}

Value extreme(Call&, Args a, bool wantMax) {
  const std::size_t n = a[0].size();
  if (n == 0) return Value();
  Value best = a[0].at(0);
  for (std::size_t i = 1; i < n; ++i) {
    Value v = a[0].at(i);
    const int cmp = compare(v, best);
    if (wantMax ? cmp > 0 : cmp < 0) best = v;
  }
  return best;
}

// Evaluates the key expression for every element; keys must be all numbers or all strings.
std::vector<Value> keysOf(Call& c, const Value& array, const Value& expref) {
  std::vector<Value> keys;
  keys.reserve(array.size());
  Type want = Type::Null;
  for (std::size_t i = 0; i < array.size(); ++i) {
    Value k = c.evalExpref(expref, array.at(i));
    const Type t = k.type();
    if (i == 0) {
      if (t != Type::Number && t != Type::String)
        c.failArg(1, ErrorKind::InvalidType, "the expression must give numbers or strings, got " + std::string(typeName(t)), k);
      want = t;
    } else if (t != want) {
      c.failArg(1, ErrorKind::InvalidType,
                "the expression gave " + std::string(typeName(want)) + " and " + std::string(typeName(t)) + "; keys must all have one type", k);
    }
    keys.push_back(k);
  }
  return keys;
}

Value extremeBy(Call& c, Args a, bool wantMax) {
  if (a[0].size() == 0) return Value();
  auto keys = keysOf(c, a[0], a[1]);
  std::size_t best = 0;
  for (std::size_t i = 1; i < keys.size(); ++i) {
    const int cmp = compare(keys[i], keys[best]);
    if (wantMax ? cmp > 0 : cmp < 0) best = i;
  }
  return a[0].at(best);
}

Value fnMerge(Call& c, Args a) {
  std::map<std::string_view, Value> merged;
  for (const auto& obj : a)
    obj.forEachMember([&](std::string_view k, Value v) { merged[k] = v; });
  Member* out = c.arena().allocArray<Member>(merged.size());
  std::size_t i = 0;
  for (const auto& [k, v] : merged) out[i++] = Member{k, v};
  return Value::map(out, merged.size());
}

Value fnNotNull(Call&, Args a) {
  for (const auto& v : a)
    if (!v.isNull()) return v;
  return Value();
}

Value fnReverse(Call& c, Args a) {
  if (a[0].isString()) return c.newString(utf8::reverse(a[0].str()));
  std::vector<Value> out;
  for (std::size_t i = a[0].size(); i-- > 0;) out.push_back(a[0].at(i));
  return list(c, out);
}

Value fnSort(Call& c, Args a) {
  std::vector<Value> out;
  for (std::size_t i = 0; i < a[0].size(); ++i) out.push_back(a[0].at(i));
  std::stable_sort(out.begin(), out.end(), [](const Value& x, const Value& y) { return compare(x, y) < 0; });
  return list(c, out);
}

Value fnSortBy(Call& c, Args a) {
  auto keys = keysOf(c, a[0], a[1]);
  std::vector<std::size_t> order(keys.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return compare(keys[x], keys[y]) < 0; });
  std::vector<Value> out;
  for (std::size_t i : order) out.push_back(a[0].at(i));
  return list(c, out);
}

Value fnStartsWith(Call&, Args a) { return Value::boolean(a[0].str().substr(0, a[1].str().size()) == a[1].str()); }
Value fnEndsWith(Call&, Args a) {
  const auto s = a[0].str(), suffix = a[1].str();
  return Value::boolean(s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix);
}

Value fnToNumber(Call&, Args a) {
  const Value& v = a[0];
  if (v.isNumber()) return v;
  if (!v.isString()) return Value();
  const std::string_view s = v.str();
  if (s.empty()) return Value();
  std::int64_t i = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), i);
  if (r.ec == std::errc() && r.ptr == s.data() + s.size()) return Value::integer(i);
  double d = 0;
  auto rd = std::from_chars(s.data(), s.data() + s.size(), d);
  if (rd.ec == std::errc() && rd.ptr == s.data() + s.size() && std::isfinite(d)) return Value::number(d);
  return Value();
}

Value fnToString(Call& c, Args a) {
  if (a[0].isString()) return a[0];
  return c.newString(toJsonText(a[0]));
}

Value fnType(Call&, Args a) { return Value::string(typeName(a[0].type())); }

FunctionDef def(std::string name, std::vector<TypeSet> params, TypeSet result, FunctionImpl impl, bool variadic = false) {
  FunctionDef d;
  d.name = std::move(name);
  d.required = params.size();
  d.params = std::move(params);
  d.result = result;
  d.impl = std::move(impl);
  d.variadic = variadic;
  return d;
}

FunctionRegistry makeStandard() {
  FunctionRegistry r;
  const TypeSet numOrStrArray = kArrayOfNumber | kArrayOfString;
  r.add(def("abs", {kNumber}, kNumber, fnAbs));
  r.add(def("avg", {kArrayOfNumber}, kNumber | kNull, fnAvg));
  r.add(def("ceil", {kNumber}, kNumber, [](Call& c, Args a) { return roundTo(c, a[0], RoundingMode::Ceiling, std::ceil); }));
  r.add(def("floor", {kNumber}, kNumber, [](Call& c, Args a) { return roundTo(c, a[0], RoundingMode::Floor, std::floor); }));
  r.add(def("contains", {kArray | kString, kAny}, kBoolean, fnContains));
  r.add(def("ends_with", {kString, kString}, kBoolean, fnEndsWith));
  r.add(def("starts_with", {kString, kString}, kBoolean, fnStartsWith));
  r.add(def("join", {kString, kArrayOfString}, kString, fnJoin));
  r.add(def("keys", {kObject}, kArray, fnKeys));
  r.add(def("values", {kObject}, kArray, fnValues));
  r.add(def("length", {kString | kArray | kObject}, kNumber, fnLength));
  r.add(def("map", {kExpref, kArray}, kArray, fnMap));
  r.add(def("max", {numOrStrArray}, kNumber | kString | kNull, [](Call& c, Args a) { return extreme(c, a, true); }));
  r.add(def("min", {numOrStrArray}, kNumber | kString | kNull, [](Call& c, Args a) { return extreme(c, a, false); }));
  r.add(def("max_by", {kArray, kExpref}, kAnyValue, [](Call& c, Args a) { return extremeBy(c, a, true); }));
  r.add(def("min_by", {kArray, kExpref}, kAnyValue, [](Call& c, Args a) { return extremeBy(c, a, false); }));
  r.add(def("merge", {kObject}, kObject, fnMerge, true));
  r.add(def("not_null", {kAny}, kAnyValue, fnNotNull, true));
  r.add(def("reverse", {kArray | kString}, kArray | kString, fnReverse));
  r.add(def("sort", {numOrStrArray}, kArray, fnSort));
  r.add(def("sort_by", {kArray, kExpref}, kArray, fnSortBy));
  r.add(def("sum", {kArrayOfNumber}, kNumber, fnSum));
  r.add(def("to_array", {kAny}, kArray, [](Call& c, Args a) {
    if (a[0].isArray()) return a[0];
    Value* one = c.arena().allocArray<Value>(1);
    one[0] = a[0];
    return Value::list(one, 1);
  }));
  r.add(def("to_number", {kAny}, kNumber | kNull, fnToNumber));
  r.add(def("to_string", {kAny}, kString, fnToString));
  r.add(def("type", {kAny}, kString, fnType));
  return r;
}

}  // namespace

const FunctionRegistry& FunctionRegistry::standard() {
  static const FunctionRegistry registry = makeStandard();
  return registry;
}

}  // namespace hub::jmes
