#pragma once
// A JMESPath value during evaluation: 16 bytes, trivially copyable. Parts of
// the input document are borrowed (pointers into the caller's json, which must
// outlive the evaluation); values made during evaluation live in an Arena. So
// nothing is copied until the caller materialises a result with toJson().
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "mappings/decimal/decimal.h"
#include "mappings/jmespath/arena.h"

namespace hub::jmes {

using Json = nlohmann::json;
struct Node;
struct Member;

enum class Type : std::uint8_t { Null, Boolean, Number, String, Array, Object, Expref };

// A lookup key for maps ordered by std::less<> over std::string (json objects,
// value tables). It compares inline rather than through memcmp: looking up
// short member names is the hottest path of a mapping.
struct FastKey {
  std::string_view text;
};
inline int fastCompare(std::string_view a, std::string_view b) {
  const std::size_t n = a.size() < b.size() ? a.size() : b.size();
  for (std::size_t i = 0; i < n; ++i) {
    const auto x = static_cast<unsigned char>(a[i]), y = static_cast<unsigned char>(b[i]);
    if (x != y) return x < y ? -1 : 1;
  }
  return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}
inline bool operator<(const std::string& a, FastKey b) { return fastCompare(a, b.text) < 0; }
inline bool operator<(FastKey a, const std::string& b) { return fastCompare(a.text, b) < 0; }
std::string_view typeName(Type t);  // "null", "boolean", "number", ...

class Value {
 public:
  // How the value is held. Numbers come as Int, Double or (from the hub's
  // decimal functions) Decimal; arrays and objects either borrow json or are
  // lists/maps built during evaluation.
  enum class Rep : std::uint8_t { Null, False, True, Int, Double, Decimal, String, JsonArray, JsonObject, List, Map, Expref };

  constexpr Value() = default;
  static Value boolean(bool b) { return Value(b ? Rep::True : Rep::False); }
  static Value integer(std::int64_t i) { Value v(Rep::Int); v.u_.i = i; return v; }
  static Value number(double d) { Value v(Rep::Double); v.u_.d = d; return v; }
  static Value decimal(const hub::Decimal* d) { Value v(Rep::Decimal); v.u_.dec = d; return v; }
  static Value decimal(const hub::Decimal& d, Arena& arena) { return decimal(arena.make<hub::Decimal>(d)); }
  static Value string(std::string_view s) {  // borrows s
    Value v(Rep::String);
    v.u_.s = s.data();
    v.n_ = checkedLength(s.size());
    return v;
  }
  static Value list(const Value* items, std::size_t n);
  static Value map(const Member* members, std::size_t n);
  static Value expref(const Node* n) { Value v(Rep::Expref); v.u_.node = n; return v; }
  static Value fromJson(const Json& j) {  // borrows j
    switch (j.type()) {
      case Json::value_t::string: return string(*j.get_ptr<const std::string*>());
      case Json::value_t::number_integer: return integer(*j.get_ptr<const std::int64_t*>());
      case Json::value_t::number_float: return number(*j.get_ptr<const double*>());
      case Json::value_t::boolean: return boolean(*j.get_ptr<const bool*>());
      case Json::value_t::array:
      case Json::value_t::object: {
        Value v(j.is_array() ? Rep::JsonArray : Rep::JsonObject);
        v.u_.j = &j;
        return v;
      }
      case Json::value_t::number_unsigned: return fromUnsigned(*j.get_ptr<const std::uint64_t*>());
      default: return Value();
    }
  }

  Rep rep() const { return rep_; }
  Type type() const {
    static constexpr Type kTypes[] = {Type::Null,   Type::Boolean, Type::Boolean, Type::Number, Type::Number, Type::Number,
                                      Type::String, Type::Array,   Type::Object,  Type::Array,  Type::Object, Type::Expref};
    return kTypes[static_cast<int>(rep_)];
  }
  bool isNull() const { return rep_ == Rep::Null; }
  bool isNumber() const { return rep_ == Rep::Int || rep_ == Rep::Double || rep_ == Rep::Decimal; }
  bool isString() const { return rep_ == Rep::String; }
  bool isArray() const { return rep_ == Rep::JsonArray || rep_ == Rep::List; }
  bool isObject() const { return rep_ == Rep::JsonObject || rep_ == Rep::Map; }
  bool isBool() const { return rep_ == Rep::True || rep_ == Rep::False; }
  // JMESPath truth: null, false, "", [] and {} are false; 0 is true.
  bool truthy() const;

  bool boolValue() const { return rep_ == Rep::True; }
  std::string_view str() const { return {u_.s, n_}; }
  std::int64_t intValue() const { return u_.i; }
  const hub::Decimal& decimalValue() const { return *u_.dec; }
  double asDouble() const;  // any number
  const Json& json() const { return *u_.j; }  // JsonArray / JsonObject
  const Node* exprefNode() const { return u_.node; }

  // Arrays (JsonArray or List); 0 / null for anything else.
  std::size_t size() const {
    if (rep_ == Rep::List) return n_;
    if (rep_ == Rep::JsonArray) return u_.j->get_ptr<const Json::array_t*>()->size();
    return 0;
  }
  Value at(std::size_t i) const {
    if (rep_ == Rep::List) return u_.list[i];
    if (rep_ == Rep::JsonArray) return fromJson((*u_.j->get_ptr<const Json::array_t*>())[i]);
    return Value();
  }
  // Objects: the member or null.
  Value get(std::string_view key) const {
    if (rep_ == Rep::JsonObject) {
      const auto& obj = *u_.j->get_ptr<const Json::object_t*>();
      auto it = obj.find(FastKey{key});
      return it == obj.end() ? Value() : fromJson(it->second);
    }
    return rep_ == Rep::Map ? getFromMap(key) : Value();
  }
  std::size_t memberCount() const;
  template <class F>
  void forEachMember(F&& f) const;  // f(std::string_view key, Value value)

 private:
  explicit constexpr Value(Rep r) : rep_(r) {}
  static std::uint32_t checkedLength(std::size_t n) {
    if (n > 0xFFFFFFFFu) throwTooLong();
    return static_cast<std::uint32_t>(n);
  }
  [[noreturn]] static void throwTooLong();
  static Value fromUnsigned(std::uint64_t u);
  Value getFromMap(std::string_view key) const;
  Rep rep_ = Rep::Null;
  std::uint32_t n_ = 0;  // string bytes, list/map length
  union U {
    std::int64_t i;
    double d;
    const char* s;
    const Json* j;
    const Value* list;
    const Member* map;
    const hub::Decimal* dec;
    const Node* node;
  } u_{0};
};

struct Member {
  std::string_view key;
  Value value;
};

static_assert(sizeof(Value) == 16 && std::is_trivially_copyable_v<Value>);

template <class F>
void Value::forEachMember(F&& f) const {
  if (rep_ == Rep::JsonObject) {
    for (const auto& [k, v] : u_.j->get_ref<const Json::object_t&>()) f(std::string_view(k), fromJson(v));
  } else if (rep_ == Rep::Map) {
    for (std::uint32_t i = 0; i < n_; ++i) f(u_.map[i].key, u_.map[i].value);
  }
}

// Deep copy into json. Decimals become numbers: integers when they have no
// fractional part, else the double whose shortest form is their digits.
Json toJson(const Value& v);
// JMESPath equality: deep, numbers by value, 1 != true.
bool equals(const Value& a, const Value& b);
// Orders two numbers, or two strings by code point: -1, 0, 1.
int compare(const Value& a, const Value& b);
// Compact JSON text, as to_string() and error messages need it.
std::string toJsonText(const Value& v);
// A decimal for any number, or nothing.
std::optional<hub::Decimal> toDecimal(const Value& v);

}  // namespace hub::jmes
