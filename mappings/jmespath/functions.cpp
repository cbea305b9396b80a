#include "mappings/jmespath/functions.h"

#include "mappings/jmespath/evaluator.h"

namespace hub::jmes {

std::string_view errorKindName(ErrorKind k) {
  switch (k) {
    case ErrorKind::Syntax: return "syntax";
    case ErrorKind::InvalidType: return "invalid-type";
    case ErrorKind::InvalidArity: return "invalid-arity";
    case ErrorKind::UnknownFunction: return "unknown-function";
    case ErrorKind::InvalidValue: return "invalid-value";
  }
  return "syntax";
}

std::string Error::format() const {
  std::string out(errorKindName(kind));
  if (kind == ErrorKind::Syntax) out += " error";
  if (column > 0) out += " at column " + std::to_string(column);
  return out + ": " + message;
}

Error errorAt(ErrorKind kind, std::string message, std::string_view text, std::size_t offset) {
  Error e;
  e.kind = kind;
  e.message = std::move(message);
  e.offset = offset;
  std::size_t column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++column;  // count characters, not bytes
  e.column = column;
  return e;
}

std::string describeTypes(TypeSet t) {
  if ((t & kAnyValue) == kAnyValue) return "any value";
  static const std::pair<TypeSet, const char*> names[] = {
      {kNumber, "number"}, {kString, "string"}, {kBoolean, "boolean"}, {kArray, "array"},
      {kArrayOfNumber, "array of numbers"}, {kArrayOfString, "array of strings"}, {kObject, "object"},
      {kExpref, "expression (&...)"}, {kNull, "null"}};
  std::vector<std::string> parts;
  for (const auto& [bit, name] : names)
    if (t & bit) parts.emplace_back(name);
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += i + 1 == parts.size() ? " or " : ", ";
    out += parts[i];
  }
  return out.empty() ? "nothing" : out;
}

void FunctionRegistry::add(FunctionDef def) {
  std::string name = def.name;
  functions_[name] = std::make_shared<const FunctionDef>(std::move(def));
}

std::shared_ptr<const FunctionDef> FunctionRegistry::find(std::string_view name) const {
  auto it = functions_.find(name);
  return it == functions_.end() ? nullptr : it->second;
}

std::vector<std::string> FunctionRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& [name, _] : functions_) out.push_back(name);
  return out;
}

Arena& Call::arena() { return ev_.arena(); }
EvalHost* Call::host() { return ev_.host(); }

Value Call::evalExpref(const Value& expref, const Value& current) { return ev_.eval(*expref.exprefNode(), current); }

namespace {
Error runtimeError(ErrorKind kind, std::string message, const Value& offending) {
  Error e;
  e.kind = kind;
  e.message = std::move(message);
  if (!offending.isNull() && offending.type() != Type::Expref) e.value = toJson(offending);
  return e;
}
}  // namespace

void Call::fail(ErrorKind kind, const std::string& message, const Value& offending) const {
  throw EvalError(runtimeError(kind, def_.name + "(): " + message, offending));
}

void Call::failArg(std::size_t index, ErrorKind kind, const std::string& message, const Value& offending) const {
  throw EvalError(runtimeError(kind, def_.name + "() argument " + std::to_string(index + 1) + ": " + message, offending));
}

}  // namespace hub::jmes
