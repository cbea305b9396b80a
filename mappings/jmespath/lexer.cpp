#include "mappings/jmespath/lexer.h"

#include <charconv>

namespace hub::jmes {

std::string_view tokenName(Tok t) {
  switch (t) {
    case Tok::Eof: return "end of expression";
    case Tok::UnquotedIdentifier: return "identifier";
    case Tok::QuotedIdentifier: return "quoted identifier";
    case Tok::Literal: return "literal";
    case Tok::Number: return "number";
    case Tok::Dot: return "'.'";
    case Tok::Star: return "'*'";
    case Tok::LBracket: return "'['";
    case Tok::RBracket: return "']'";
    case Tok::Flatten: return "'[]'";
    case Tok::Filter: return "'[?'";
    case Tok::LBrace: return "'{'";
    case Tok::RBrace: return "'}'";
    case Tok::LParen: return "'('";
    case Tok::RParen: return "')'";
    case Tok::Comma: return "','";
    case Tok::Colon: return "':'";
    case Tok::Pipe: return "'|'";
    case Tok::Or: return "'||'";
    case Tok::And: return "'&&'";
    case Tok::Not: return "'!'";
    case Tok::Expref: return "'&'";
    case Tok::Current: return "'@'";
    case Tok::Eq: return "'=='";
    case Tok::Ne: return "'!='";
    case Tok::Lt: return "'<'";
    case Tok::Le: return "'<='";
    case Tok::Gt: return "'>'";
    case Tok::Ge: return "'>='";
  }
  return "token";
}

namespace {

bool identStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool identChar(char c) { return identStart(c) || (c >= '0' && c <= '9'); }
bool digit(char c) { return c >= '0' && c <= '9'; }

class Lexer {
 public:
  explicit Lexer(std::string_view text) : s_(text) {}

  tl::expected<std::vector<Token>, Error> run() {
    std::vector<Token> out;
    while (true) {
      while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
      Token t;
      t.pos = static_cast<std::uint32_t>(i_);
      if (i_ >= s_.size()) {
        t.type = Tok::Eof;
        out.push_back(std::move(t));
        return out;
      }
      const char c = s_[i_];
      if (identStart(c)) {
        const std::size_t start = i_;
        while (i_ < s_.size() && identChar(s_[i_])) ++i_;
        t.type = Tok::UnquotedIdentifier;
        t.text = std::string(s_.substr(start, i_ - start));
      } else if (digit(c) || c == '-') {
        const std::size_t start = i_;
        ++i_;
        while (i_ < s_.size() && digit(s_[i_])) ++i_;
        if (c == '-' && i_ - start == 1) return fail(start, "'-' must be followed by digits");
        auto r = std::from_chars(s_.data() + start, s_.data() + i_, t.number);
        if (r.ec != std::errc()) return fail(start, "number out of range");
        t.type = Tok::Number;
        t.text = std::string(s_.substr(start, i_ - start));
      } else if (c == '"') {
        std::string body;
        if (!until('"', body)) return fail(t.pos, "unclosed '\"' (quoted identifier)");
        auto parsed = nlohmann::json::parse("\"" + body + "\"", nullptr, false);
        if (parsed.is_discarded() || !parsed.is_string())
          return fail(t.pos, "invalid quoted identifier \"" + body + "\"");
        t.type = Tok::QuotedIdentifier;
        t.text = parsed.get<std::string>();
      } else if (c == '\'') {
        std::string body;
        if (!until('\'', body)) return fail(t.pos, "unclosed \"'\" (raw string literal)");
        t.type = Tok::Literal;
        t.literal = replaceAll(body, "\\'", "'");
      } else if (c == '`') {
        std::string body;
        if (!until('`', body)) return fail(t.pos, "unclosed '`' (JSON literal)");
        auto parsed = nlohmann::json::parse(replaceAll(body, "\\`", "`"), nullptr, false);
        if (parsed.is_discarded()) return fail(t.pos, "invalid JSON in literal `" + body + "`");
        t.type = Tok::Literal;
        t.literal = std::move(parsed);
      } else {
        if (!punctuation(c, t.type)) {
          return fail(i_, std::string("unexpected character '") + std::string(utf8At(i_)) + "'");
        }
      }
      out.push_back(std::move(t));
    }
  }

 private:
  tl::unexpected<Error> fail(std::size_t at, std::string message) const {
    return tl::unexpected(errorAt(ErrorKind::Syntax, std::move(message), s_, at));
  }

  std::string_view utf8At(std::size_t at) const {
    std::size_t n = 1;
    const auto b = static_cast<unsigned char>(s_[at]);
    if (b >= 0xF0) n = 4;
    else if (b >= 0xE0) n = 3;
    else if (b >= 0xC0) n = 2;
    return s_.substr(at, n);
  }

  // Reads up to the closing delimiter; a backslash keeps itself and the next character.
  bool until(char delim, std::string& out) {
    ++i_;
    while (i_ < s_.size() && s_[i_] != delim) {
      if (s_[i_] == '\\') {
        out.push_back('\\');
        ++i_;
        if (i_ >= s_.size()) return false;
      }
      out.push_back(s_[i_++]);
    }
    if (i_ >= s_.size()) return false;
    ++i_;
    return true;
  }

  static std::string replaceAll(std::string s, std::string_view from, std::string_view to) {
    for (std::size_t p = 0; (p = s.find(from, p)) != std::string::npos; p += to.size()) s.replace(p, from.size(), to);
    return s;
  }

  bool next(char c) {
    if (i_ + 1 < s_.size() && s_[i_ + 1] == c) {
      i_ += 2;
      return true;
    }
    ++i_;
    return false;
  }

  bool punctuation(char c, Tok& type) {
    switch (c) {
      case '.': type = Tok::Dot; break;
      case '*': type = Tok::Star; break;
      case ']': type = Tok::RBracket; break;
      case ',': type = Tok::Comma; break;
      case ':': type = Tok::Colon; break;
      case '@': type = Tok::Current; break;
      case '(': type = Tok::LParen; break;
      case ')': type = Tok::RParen; break;
      case '{': type = Tok::LBrace; break;
      case '}': type = Tok::RBrace; break;
      case '[':
        if (i_ + 1 < s_.size() && s_[i_ + 1] == ']') {
          type = Tok::Flatten;
          i_ += 2;
        } else if (i_ + 1 < s_.size() && s_[i_ + 1] == '?') {
          type = Tok::Filter;
          i_ += 2;
        } else {
          type = Tok::LBracket;
          ++i_;
        }
        return true;
      case '<': type = next('=') ? Tok::Le : Tok::Lt; return true;
      case '>': type = next('=') ? Tok::Ge : Tok::Gt; return true;
      case '!': type = next('=') ? Tok::Ne : Tok::Not; return true;
      case '|': type = next('|') ? Tok::Or : Tok::Pipe; return true;
      case '&': type = next('&') ? Tok::And : Tok::Expref; return true;
      case '=':
        if (i_ + 1 < s_.size() && s_[i_ + 1] == '=') {
          type = Tok::Eq;
          i_ += 2;
          return true;
        }
        return false;
      default: return false;
    }
    ++i_;
    return true;
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

}  // namespace

tl::expected<std::vector<Token>, Error> tokenize(std::string_view text) { return Lexer(text).run(); }

}  // namespace hub::jmes
