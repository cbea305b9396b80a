#include "connectors/kingdee/sim/sim_filter.h"

#include <strings.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>

#include "hub/core/time.h"

namespace hub::connector::kingdee::sim {

using nlohmann::json;

struct Filter::Node {
  enum Kind { And, Or, Not, Compare, In, Like, IsNull, True } kind = True;
  std::shared_ptr<const Node> left, right;
  std::string field;
  std::string op;
  json value;
  std::vector<json> values;
  bool negate = false;
};

namespace {

using NodePtr = std::shared_ptr<const Filter::Node>;

struct Token {
  enum Kind { Ident, String, Number, Op, LParen, RParen, Comma, End } kind = End;
  std::string text;
  std::size_t at = 0;
};

// Bytes of the filter quoted in an error message: the simulator answers the
// message inside a JSON body, so control characters (NUL included) and bytes
// that are not UTF-8 are written as \xNN, and a character is never cut.
std::string printable(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
    for (std::size_t k = 1; k < n; ++k)
      if (i + k >= s.size() || (static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) n = 0;
    if (n == 0 || b < 0x20 || b == 0x7F) {
      static const char* const hex = "0123456789abcdef";
      out += "\\x";
      out += hex[b >> 4];
      out += hex[b & 0xF];
      ++i;
    } else {
      out.append(s, i, n);
      i += n;
    }
  }
  return out;
}

// The whole character starting at byte `i`, for "unexpected 'X'".
std::string_view characterAt(const std::string& s, std::size_t i) {
  std::size_t n = 1;
  while (i + n < s.size() && n < 4 && (static_cast<unsigned char>(s[i + n]) & 0xC0) == 0x80) ++n;
  return std::string_view(s).substr(i, n);
}

// SQL Server compares numeric literals exactly; the simulator keeps an
// integer when it fits 64 bits, else a double, and refuses what is neither
// (a literal like 1.2.3, or more digits than a double can hold).
json numberLiteral(const std::string& text, std::size_t at) {
  std::int64_t i = 0;
  const char* end = text.data() + text.size();
  if (auto r = std::from_chars(text.data(), end, i); r.ec == std::errc() && r.ptr == end) return i;
  double d = 0;
  if (auto r = std::from_chars(text.data(), end, d); r.ec == std::errc() && r.ptr == end && std::isfinite(d)) return d;
  throw FilterError("malformed number '" + text + "' at " + std::to_string(at));
}

std::vector<Token> tokenize(const std::string& s) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '(' || c == ')' || c == ',') {
      out.push_back({c == '(' ? Token::LParen : c == ')' ? Token::RParen : Token::Comma, std::string(1, c), i});
      ++i;
    } else if (c == '\'') {
      std::string v;
      std::size_t j = i + 1;
      for (;; ++j) {
        if (j >= s.size()) throw FilterError("unterminated string starting at " + std::to_string(i));
        if (s[j] == '\'') {
          if (j + 1 < s.size() && s[j + 1] == '\'') {
            v += '\'';
            ++j;
            continue;
          }
          break;
        }
        v += s[j];
      }
      out.push_back({Token::String, v, i});
      i = j + 1;
    } else if (std::isdigit(static_cast<unsigned char>(c)) ||
               (c == '-' && i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1])))) {
      std::size_t j = i + 1;
      while (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) || s[j] == '.')) ++j;
      out.push_back({Token::Number, s.substr(i, j - i), i});
      i = j;
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      std::size_t j = i + 1;
      while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_' || s[j] == '.')) ++j;
      out.push_back({Token::Ident, s.substr(i, j - i), i});
      i = j;
    } else if (c == '<' || c == '>' || c == '=' || c == '!') {
      std::string op(1, c);
      if (i + 1 < s.size() && (s[i + 1] == '=' || (c == '<' && s[i + 1] == '>'))) op += s[i + 1];
      if (op == "!") throw FilterError("unexpected '!' at " + std::to_string(i));
      out.push_back({Token::Op, op, i});
      i += op.size();
    } else {
      throw FilterError("unexpected '" + printable(characterAt(s, i)) + "' at " + std::to_string(i));
    }
  }
  out.push_back({Token::End, "", s.size()});
  return out;
}

bool keyword(const Token& t, const char* word) { return t.kind == Token::Ident && strcasecmp(t.text.c_str(), word) == 0; }

class Parser {
 public:
  explicit Parser(std::vector<Token> t) : t_(std::move(t)) {}
  NodePtr parseAll() {
    if (peek().kind == Token::End) return std::make_shared<Filter::Node>();
    auto n = parseOr();
    if (peek().kind != Token::End) fail("unexpected '" + printable(peek().text) + "'");
    return n;
  }

 private:
  const Token& peek() const { return t_[pos_]; }
  // Stays on the End token, so a filter that stops early is an error, never a read past the tokens.
  const Token& next() {
    const Token& t = t_[pos_];
    if (t.kind != Token::End) ++pos_;
    return t;
  }
  [[noreturn]] void fail(const std::string& what) const {
    throw FilterError(what + " at " + std::to_string(peek().at));
  }
  NodePtr binary(Filter::Node::Kind kind, NodePtr l, NodePtr r) {
    auto n = std::make_shared<Filter::Node>();
    n->kind = kind;
    n->left = std::move(l);
    n->right = std::move(r);
    return n;
  }
  NodePtr parseOr() {
    auto n = parseAnd();
    while (keyword(peek(), "or")) {
      next();
      n = binary(Filter::Node::Or, n, parseAnd());
    }
    return n;
  }
  NodePtr parseAnd() {
    auto n = parseUnary();
    while (keyword(peek(), "and")) {
      next();
      n = binary(Filter::Node::And, n, parseUnary());
    }
    return n;
  }
  // Nesting is bounded so that no filter text can exhaust the stack.
  NodePtr parseUnary() {
    if (keyword(peek(), "not") || peek().kind == Token::LParen) {
      if (++depth_ > kMaxDepth) fail("filter nested too deeply");
      NodePtr n;
      if (next().kind == Token::LParen) {
        n = parseOr();
        if (next().kind != Token::RParen) fail("missing ')'");
      } else {
        n = binary(Filter::Node::Not, parseUnary(), nullptr);
      }
      --depth_;
      return n;
    }
    return parseComparison();
  }
  json literal() {
    const Token& t = peek();
    if (t.kind != Token::String && t.kind != Token::Number && !keyword(t, "null")) fail("expected a value");
    next();
    if (t.kind == Token::String) return t.text;
    if (t.kind == Token::Number) return numberLiteral(t.text, t.at);
    return nullptr;
  }
  NodePtr parseComparison() {
    if (peek().kind != Token::Ident) fail("expected a field key");
    auto n = std::make_shared<Filter::Node>();
    n->field = next().text;
    if (keyword(peek(), "is")) {
      next();
      n->kind = Filter::Node::IsNull;
      if (keyword(peek(), "not")) next(), n->negate = true;
      if (!keyword(next(), "null")) fail("expected null");
      return n;
    }
    if (keyword(peek(), "not")) next(), n->negate = true;
    if (keyword(peek(), "in")) {
      next();
      n->kind = Filter::Node::In;
      if (next().kind != Token::LParen) fail("expected '('");
      for (;;) {
        n->values.push_back(literal());
        if (peek().kind == Token::Comma) {
          next();
          continue;
        }
        if (next().kind != Token::RParen) fail("expected ')'");
        break;
      }
      return n;
    }
    if (keyword(peek(), "like")) {
      next();
      n->kind = Filter::Node::Like;
      n->value = literal();
      return n;
    }
    if (n->negate) fail("expected in or like after not");
    if (peek().kind != Token::Op) fail("expected a comparison operator");
    n->kind = Filter::Node::Compare;
    n->op = next().text;
    n->value = literal();
    return n;
  }
  std::vector<Token> t_;
  std::size_t pos_ = 0;
  static constexpr int kMaxDepth = 100;
  int depth_ = 0;
};

std::optional<double> number(const json& v) {
  if (v.is_number()) return v.get<double>();
  if (v.is_boolean()) return v.get<bool>() ? 1 : 0;
  if (v.is_string()) {
    const std::string s = v.get<std::string>();
    if (s.empty()) return std::nullopt;
    char* end = nullptr;
    const double d = std::strtod(s.c_str(), &end);
    if (end == s.c_str() + s.size()) return d;  // all of it: "12\0x" is not 12
  }
  return std::nullopt;
}

// Dates compare as instants whatever their rendering ('T' or ' ', with or
// without milliseconds); both sides are server-local, so no zone is applied.
std::optional<Millis> date(const json& v) {
  if (!v.is_string()) return std::nullopt;
  const std::string& s = v.get_ref<const std::string&>();
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  return parseIsoInstant(s, 0);
}

bool sameLetter(char a, char b) {
  return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
}

// SQL LIKE with % and _, case-insensitive. Backtracks only to the last %, so
// the time is text x pattern at worst (trying every split at every % is
// exponential in the number of %).
bool like(const std::string& text, const std::string& pattern) {
  std::size_t ti = 0, pi = 0;
  std::size_t starP = std::string::npos, starT = 0;
  while (ti < text.size()) {
    if (pi < pattern.size() && pattern[pi] == '%') {
      starP = pi++;
      starT = ti;
    } else if (pi < pattern.size() && (pattern[pi] == '_' || sameLetter(pattern[pi], text[ti]))) {
      ++pi;
      ++ti;
    } else if (starP != std::string::npos) {
      pi = starP + 1;
      ti = ++starT;
    } else {
      return false;
    }
  }
  while (pi < pattern.size() && pattern[pi] == '%') ++pi;
  return pi == pattern.size();
}

// Case-insensitive order of whole strings (strcasecmp would stop at a NUL).
int compareText(const std::string& a, const std::string& b) {
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    const int x = std::tolower(static_cast<unsigned char>(a[i])), y = std::tolower(static_cast<unsigned char>(b[i]));
    if (x != y) return x < y ? -1 : 1;
  }
  return a.size() < b.size() ? -1 : a.size() > b.size() ? 1 : 0;
}

// Strings compare without a copy; other values by their JSON text.
struct Text {
  explicit Text(const json& v) : owned(v.is_string() ? std::string() : v.dump()),
                                 ref(v.is_string() ? v.get_ref<const std::string&>() : owned) {}
  std::string owned;
  const std::string& ref;
};

std::string asText(const json& v) { return Text(v).ref; }

// Resolves each field once per row however often the filter names it (a
// lookup of 50 numbers is 50 comparisons on one field).
class RowFields {
 public:
  explicit RowFields(const std::function<json(const std::string&)>& resolve) : resolve_(resolve) {}
  const json& operator()(const std::string& key) {
    for (const auto& [k, v] : cache_)
      if (k == key) return *v;
    cache_.emplace_back(key, std::make_unique<json>(resolve_(key)));
    return *cache_.back().second;
  }

 private:
  const std::function<json(const std::string&)>& resolve_;
  std::vector<std::pair<std::string, std::unique_ptr<json>>> cache_;
};

bool evaluate(const Filter::Node& n, RowFields& field) {
  switch (n.kind) {
    case Filter::Node::True: return true;
    case Filter::Node::And: return evaluate(*n.left, field) && evaluate(*n.right, field);
    case Filter::Node::Or: return evaluate(*n.left, field) || evaluate(*n.right, field);
    case Filter::Node::Not: return !evaluate(*n.left, field);
    case Filter::Node::IsNull: {
      const json& v = field(n.field);
      return (v.is_null() || (v.is_string() && v.get<std::string>().empty())) != n.negate;
    }
    case Filter::Node::In: {
      const json& v = field(n.field);
      bool found = false;
      for (const auto& c : n.values) found = found || compareValues(v, c) == 0;
      return !v.is_null() && found != n.negate;
    }
    case Filter::Node::Like: {
      const json& v = field(n.field);
      return !v.is_null() && like(asText(v), asText(n.value)) != n.negate;
    }
    case Filter::Node::Compare: {
      const auto c = compareValues(field(n.field), n.value);
      if (!c) return false;
      if (n.op == "=") return *c == 0;
      if (n.op == "<>" || n.op == "!=") return *c != 0;
      if (n.op == "<") return *c < 0;
      if (n.op == "<=") return *c <= 0;
      if (n.op == ">") return *c > 0;
      if (n.op == ">=") return *c >= 0;
      return false;
    }
  }
  return false;
}

void collect(const Filter::Node& n, std::vector<std::string>& out) {
  if (!n.field.empty()) out.push_back(n.field);
  if (n.left) collect(*n.left, out);
  if (n.right) collect(*n.right, out);
}

}  // namespace

std::optional<int> compareValues(const json& a, const json& b) {
  if (a.is_null() || b.is_null()) return std::nullopt;
  if (auto da = date(a), db = date(b); da && db) return *da < *db ? -1 : *da > *db ? 1 : 0;
  if (a.is_number() || b.is_number()) {
    if (auto na = number(a), nb = number(b); na && nb) return *na < *nb ? -1 : *na > *nb ? 1 : 0;
  }
  const Text ta(a), tb(b);
  return compareText(ta.ref, tb.ref);
}

Filter Filter::parse(const std::string& text) {
  Filter f;
  f.root_ = Parser(tokenize(text)).parseAll();
  return f;
}

bool Filter::matches(const std::function<json(const std::string&)>& field) const {
  RowFields row(field);
  return evaluate(*root_, row);
}

std::vector<std::string> Filter::fields() const {
  std::vector<std::string> out;
  collect(*root_, out);
  return out;
}

}  // namespace hub::connector::kingdee::sim
