#pragma once
// Function registry: the standard JMESPath functions, plus whatever a host
// registers (the hub's decimal, string, date and lookup functions). Names and
// argument counts are checked when an expression is compiled; argument types
// before each call, so implementations receive well-typed arguments.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mappings/jmespath/error.h"
#include "mappings/jmespath/value.h"

namespace hub::jmes {

// A set of types an argument may have or a function may return.
using TypeSet = std::uint16_t;
inline constexpr TypeSet kNull = 1, kBoolean = 2, kNumber = 4, kString = 8, kArray = 16, kObject = 32,
                         kExpref = 64,
                         kArrayOfNumber = 128,  // an array whose elements are all numbers
                         kArrayOfString = 256,  // an array whose elements are all strings
                         kAnyValue = kNull | kBoolean | kNumber | kString | kArray | kObject,
                         kAny = kAnyValue | kExpref;
std::string describeTypes(TypeSet t);  // "number or string"
inline TypeSet typeBit(Type t) { return static_cast<TypeSet>(1u << static_cast<unsigned>(t)); }

// State a host passes to its functions through one evaluation (e.g. the record
// being mapped and where problems go). Functions downcast to their own type.
class EvalHost {
 public:
  virtual ~EvalHost() = default;
};

class Call;
using FunctionImpl = std::function<Value(Call& call, std::span<const Value> args)>;

struct FunctionDef {
  std::string name;
  std::vector<TypeSet> params;  // accepted types, one entry per parameter
  std::size_t required = 0;     // parameters that must be given; the rest are optional
  bool variadic = false;        // the last parameter may repeat
  TypeSet result = kAnyValue;   // what it can return (for load-time type checks)
  FunctionImpl impl;
  std::string signature;        // for messages and docs: "round(number|string x, number places)"

  std::size_t maxArgs() const { return variadic ? SIZE_MAX : params.size(); }
  TypeSet paramTypes(std::size_t i) const { return params.empty() ? kAny : params[i < params.size() ? i : params.size() - 1]; }
};

class FunctionRegistry {
 public:
  // The functions of the JMESPath specification.
  static const FunctionRegistry& standard();

  void add(FunctionDef def);  // replaces a function of the same name
  std::shared_ptr<const FunctionDef> find(std::string_view name) const;
  std::vector<std::string> names() const;

 private:
  std::map<std::string, std::shared_ptr<const FunctionDef>, std::less<>> functions_;
};

class Evaluator;

// What an implementation sees: the arena for new values, the host, and ways
// to evaluate expression references and to fail with a well-formed error.
class Call {
 public:
  Call(Evaluator& ev, const FunctionDef& def) : ev_(ev), def_(def) {}
  Arena& arena();
  EvalHost* host();
  const FunctionDef& function() const { return def_; }
  Value evalExpref(const Value& expref, const Value& current);
  Value newString(std::string_view s) { return Value::string(arena().copy(s)); }

  // "name(): message"
  [[noreturn]] void fail(ErrorKind kind, const std::string& message, const Value& offending = Value()) const;
  // "name() argument N: message"
  [[noreturn]] void failArg(std::size_t index, ErrorKind kind, const std::string& message,
                            const Value& offending = Value()) const;

 private:
  Evaluator& ev_;
  const FunctionDef& def_;
};

}  // namespace hub::jmes
