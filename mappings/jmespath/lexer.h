#pragma once
// Turns an expression into tokens (internal to the parser).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "mappings/jmespath/error.h"

namespace hub::jmes {

enum class Tok : std::uint8_t {
  Eof, UnquotedIdentifier, QuotedIdentifier, Literal, Number,
  Dot, Star, LBracket, RBracket, Flatten, Filter, LBrace, RBrace, LParen, RParen,
  Comma, Colon, Pipe, Or, And, Not, Expref, Current, Eq, Ne, Lt, Le, Gt, Ge,
};
std::string_view tokenName(Tok t);

struct Token {
  Tok type = Tok::Eof;
  std::uint32_t pos = 0;  // byte offset of the token's first character
  std::string text;       // identifier name or raw source of the token
  nlohmann::json literal; // Literal: the value
  std::int64_t number = 0;
};

tl::expected<std::vector<Token>, Error> tokenize(std::string_view text);

}  // namespace hub::jmes
