#include "connectors/kingdee/sim/sim_filter.h"

#include <strings.h>

#include <cctype>
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
      throw FilterError(std::string("unexpected '") + c + "' at " + std::to_string(i));
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
    if (peek().kind != Token::End) fail("unexpected '" + peek().text + "'");
    return n;
  }

 private:
  const Token& peek() const { return t_[pos_]; }
  const Token& next() { return t_[pos_++]; }
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
  NodePtr parseUnary() {
    if (keyword(peek(), "not")) {
      next();
      return binary(Filter::Node::Not, parseUnary(), nullptr);
    }
    if (peek().kind == Token::LParen) {
      next();
      auto n = parseOr();
      if (next().kind != Token::RParen) fail("missing ')'");
      return n;
    }
    return parseComparison();
  }
  json literal() {
    const Token& t = next();
    if (t.kind == Token::String) return t.text;
    if (t.kind == Token::Number) {
      if (t.text.find('.') != std::string::npos) return std::stod(t.text);
      return std::stoll(t.text);
    }
    if (keyword(t, "null")) return nullptr;
    --pos_;
    fail("expected a value");
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
};

std::optional<double> number(const json& v) {
  if (v.is_number()) return v.get<double>();
  if (v.is_boolean()) return v.get<bool>() ? 1 : 0;
  if (v.is_string()) {
    const std::string s = v.get<std::string>();
    if (s.empty()) return std::nullopt;
    char* end = nullptr;
    const double d = std::strtod(s.c_str(), &end);
    if (end && *end == '\0') return d;
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

bool like(const std::string& text, const std::string& pattern, std::size_t ti = 0, std::size_t pi = 0) {
  for (; pi < pattern.size(); ++pi, ++ti) {
    if (pattern[pi] == '%') {
      for (std::size_t k = ti; k <= text.size(); ++k)
        if (like(text, pattern, k, pi + 1)) return true;
      return false;
    }
    if (ti >= text.size()) return false;
    if (pattern[pi] != '_' && std::tolower(static_cast<unsigned char>(pattern[pi])) !=
                                  std::tolower(static_cast<unsigned char>(text[ti])))
      return false;
  }
  return ti == text.size();
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
  const int c = strcasecmp(ta.ref.c_str(), tb.ref.c_str());
  return c < 0 ? -1 : c > 0 ? 1 : 0;
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
