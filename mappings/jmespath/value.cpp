#include "mappings/jmespath/value.h"

#include <limits>
#include <stdexcept>

namespace hub::jmes {

std::string_view typeName(Type t) {
  switch (t) {
    case Type::Null: return "null";
    case Type::Boolean: return "boolean";
    case Type::Number: return "number";
    case Type::String: return "string";
    case Type::Array: return "array";
    case Type::Object: return "object";
    case Type::Expref: return "expref";
  }
  return "null";
}

void Value::throwTooLong() { throw std::length_error("value larger than 4 GiB"); }

Value Value::fromUnsigned(std::uint64_t u) {
  if (u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return integer(static_cast<std::int64_t>(u));
  return number(static_cast<double>(u));
}

Value Value::getFromMap(std::string_view key) const {
  for (std::uint32_t i = n_; i-- > 0;)
    if (u_.map[i].key == key) return u_.map[i].value;
  return Value();
}

Value Value::list(const Value* items, std::size_t n) {
  Value v(Rep::List);
  v.u_.list = items;
  v.n_ = checkedLength(n);
  return v;
}

Value Value::map(const Member* members, std::size_t n) {
  Value v(Rep::Map);
  v.u_.map = members;
  v.n_ = checkedLength(n);
  return v;
}

bool Value::truthy() const {
  switch (rep_) {
    case Rep::Null:
    case Rep::False: return false;
    case Rep::String:
    case Rep::List:
    case Rep::Map: return n_ != 0;
    case Rep::JsonArray:
    case Rep::JsonObject: return !u_.j->empty();
    default: return true;
  }
}

double Value::asDouble() const {
  switch (rep_) {
    case Rep::Int: return static_cast<double>(u_.i);
    case Rep::Double: return u_.d;
    case Rep::Decimal: return u_.dec->toDouble();
    default: return 0;
  }
}

std::size_t Value::memberCount() const {
  if (rep_ == Rep::Map) return n_;
  if (rep_ == Rep::JsonObject) return u_.j->size();
  return 0;
}

Json toJson(const Value& v) {
  using R = Value::Rep;
  switch (v.rep()) {
    case R::Null: return nullptr;
    case R::False: return false;
    case R::True: return true;
    case R::Int: return v.intValue();
    case R::Double: return v.asDouble();
    case R::Decimal: {
      const auto& d = v.decimalValue();
      if (auto i = d.toInt64()) return *i;
      return d.toDouble();
    }
    case R::String: return std::string(v.str());
    case R::JsonArray:
    case R::JsonObject: return v.json();
    case R::List: {
      Json out = Json::array();
      auto& arr = out.get_ref<Json::array_t&>();
      arr.reserve(v.size());
      for (std::size_t i = 0; i < v.size(); ++i) arr.push_back(toJson(v.at(i)));
      return out;
    }
    case R::Map: {
      Json out = Json::object();
      v.forEachMember([&](std::string_view k, Value m) { out[std::string(k)] = toJson(m); });
      return out;
    }
    case R::Expref: return nullptr;
  }
  return nullptr;
}

std::optional<hub::Decimal> toDecimal(const Value& v) {
  switch (v.rep()) {
    case Value::Rep::Int: return hub::Decimal::fromInt(v.intValue());
    case Value::Rep::Double: return hub::Decimal::fromDouble(v.asDouble());
    case Value::Rep::Decimal: return v.decimalValue();
    default: return std::nullopt;
  }
}

namespace {
int compareNumbers(const Value& a, const Value& b) {
  using R = Value::Rep;
  if (a.rep() == R::Int && b.rep() == R::Int)
    return a.intValue() < b.intValue() ? -1 : (a.intValue() > b.intValue() ? 1 : 0);
  if (a.rep() == R::Decimal || b.rep() == R::Decimal) {
    auto da = toDecimal(a), db = toDecimal(b);
    if (da && db) return da->compare(*db);
  }
  const double x = a.asDouble(), y = b.asDouble();
  return x < y ? -1 : (x > y ? 1 : 0);
}
}  // namespace

int compare(const Value& a, const Value& b) {
  if (a.isNumber() && b.isNumber()) return compareNumbers(a, b);
  if (a.isString() && b.isString()) {
    const int c = a.str().compare(b.str());  // UTF-8 byte order is code point order
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  return 0;
}

bool equals(const Value& a, const Value& b) {
  const Type ta = a.type(), tb = b.type();
  if (ta != tb) return false;
  switch (ta) {
    case Type::Null: return true;
    case Type::Boolean: return a.boolValue() == b.boolValue();
    case Type::Number: return compareNumbers(a, b) == 0;
    case Type::String: return a.str() == b.str();
    case Type::Array: {
      if (a.rep() == Value::Rep::JsonArray && b.rep() == Value::Rep::JsonArray && &a.json() == &b.json()) return true;
      const std::size_t n = a.size();
      if (n != b.size()) return false;
      for (std::size_t i = 0; i < n; ++i)
        if (!equals(a.at(i), b.at(i))) return false;
      return true;
    }
    case Type::Object: {
      if (a.memberCount() != b.memberCount()) return false;
      bool same = true;
      a.forEachMember([&](std::string_view k, Value v) {
        if (!same) return;
        const Value w = b.get(k);
        // An absent member reads as null, so tell absence from an explicit null.
        if (w.isNull() && !v.isNull()) same = false;
        else if (!equals(v, w)) same = false;
        else if (w.isNull()) {
          bool present = false;
          b.forEachMember([&](std::string_view bk, Value) { present = present || bk == k; });
          same = present;
        }
      });
      return same;
    }
    case Type::Expref: return a.exprefNode() == b.exprefNode();
  }
  return false;
}

std::string toJsonText(const Value& v) {
  if (v.rep() == Value::Rep::Decimal) return v.decimalValue().toString();
  return toJson(v).dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace hub::jmes
