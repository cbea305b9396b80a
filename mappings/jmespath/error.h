#pragma once
// JMESPath errors, with the kinds the specification names.
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace hub::jmes {

enum class ErrorKind { Syntax, InvalidType, InvalidArity, UnknownFunction, InvalidValue };
// "syntax", "invalid-type", "invalid-arity", "unknown-function", "invalid-value"
std::string_view errorKindName(ErrorKind kind);

struct Error {
  ErrorKind kind = ErrorKind::Syntax;
  std::string message;
  std::size_t column = 0;        // 1-based character column in the expression; 0 = not tied to a place
  std::size_t offset = 0;        // the same place as a byte offset
  nlohmann::json value;          // the offending value of a runtime error, or null

  // "syntax error at column 5: ..." / "invalid-type: abs() argument 1 ..."
  std::string format() const;
};

// How runtime errors leave the interpreter; compile() and search() turn them
// into tl::expected values.
class EvalError : public std::runtime_error {
 public:
  explicit EvalError(Error e) : std::runtime_error(e.message), error(std::move(e)) {}
  Error error;
};

// A compile-time error at byte `offset` of `text` (the column is counted in characters).
Error errorAt(ErrorKind kind, std::string message, std::string_view text, std::size_t offset);

}  // namespace hub::jmes
