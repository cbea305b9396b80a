#include "mappings/jmespath/parser.h"

#include "mappings/jmespath/lexer.h"

namespace hub::jmes {
namespace {

// Binding powers as in the reference implementation (jmespath.py).
int bindingPower(Tok t) {
  switch (t) {
    case Tok::Pipe: return 1;
    case Tok::Or: return 2;
    case Tok::And: return 3;
    case Tok::Eq:
    case Tok::Ne:
    case Tok::Lt:
    case Tok::Le:
    case Tok::Gt:
    case Tok::Ge: return 5;
    case Tok::Flatten: return 9;
    case Tok::Star: return 20;
    case Tok::Filter: return 21;
    case Tok::Dot: return 40;
    case Tok::Not: return 45;
    case Tok::LBrace: return 50;
    case Tok::LBracket: return 55;
    case Tok::LParen: return 60;
    default: return 0;
  }
}
constexpr int kProjectionStop = 10;
constexpr int kMaxDepth = 200;

struct ParseFailure {
  Error error;
};

using NodePtr = std::unique_ptr<Node>;

NodePtr make(NodeKind kind, std::uint32_t pos) {
  auto n = std::make_unique<Node>();
  n->kind = kind;
  n->pos = pos;
  return n;
}

NodePtr make(NodeKind kind, std::uint32_t pos, NodePtr a, NodePtr b = nullptr) {
  auto n = make(kind, pos);
  n->children.push_back(std::move(a));
  if (b) n->children.push_back(std::move(b));
  return n;
}

class Parser {
 public:
  Parser(std::string_view text, std::vector<Token> tokens) : text_(text), toks_(std::move(tokens)) {}

  NodePtr run() {
    NodePtr n = expression(0);
    if (cur().type != Tok::Eof) fail(cur(), "unexpected " + describe(cur()) + " after a complete expression");
    return n;
  }

 private:
  const Token& cur() const { return toks_[i_]; }
  const Token& ahead(std::size_t k) const { return toks_[std::min(i_ + k, toks_.size() - 1)]; }
  void advance() {
    if (i_ + 1 < toks_.size()) ++i_;
  }

  std::string describe(const Token& t) const {
    if (t.type == Tok::UnquotedIdentifier) return "identifier '" + t.text + "'";
    if (t.type == Tok::Number) return "number " + t.text;
    return std::string(tokenName(t.type));
  }

  [[noreturn]] void fail(const Token& at, const std::string& message) const {
    throw ParseFailure{errorAt(ErrorKind::Syntax, message, text_, at.pos)};
  }

  void match(Tok t, const std::string& context) {
    if (cur().type != t) fail(cur(), "expected " + std::string(tokenName(t)) + " " + context + ", got " + describe(cur()));
    advance();
  }

  NodePtr expression(int bp) {
    if (++depth_ > kMaxDepth) fail(cur(), "expression nested too deeply");
    Token tok = cur();
    advance();
    NodePtr left = nud(tok);
    while (bp < bindingPower(cur().type)) {
      Token op = cur();
      advance();
      left = led(op, std::move(left));
    }
    --depth_;
    return left;
  }

  NodePtr nud(const Token& t) {
    switch (t.type) {
      case Tok::Literal: {
        auto n = make(NodeKind::Literal, t.pos);
        n->literal = t.literal;
        return n;
      }
      case Tok::UnquotedIdentifier: {
        auto n = make(NodeKind::Field, t.pos);
        n->name = t.text;
        return n;
      }
      case Tok::QuotedIdentifier: {
        if (cur().type == Tok::LParen) fail(cur(), "a quoted identifier cannot name a function");
        auto n = make(NodeKind::Field, t.pos);
        n->name = t.text;
        return n;
      }
      case Tok::Star: {
        NodePtr right = cur().type == Tok::RBracket ? make(NodeKind::Current, t.pos)
                                                    : projectionRhs(bindingPower(Tok::Star));
        return make(NodeKind::ValueProjection, t.pos, make(NodeKind::Current, t.pos), std::move(right));
      }
      case Tok::Filter: return filter(make(NodeKind::Current, t.pos), t);
      case Tok::LBrace: return multiSelectHash(t);
      case Tok::LParen: {
        NodePtr e = expression(0);
        match(Tok::RParen, "to close '('");
        return e;
      }
      case Tok::Flatten: {
        NodePtr left = make(NodeKind::Flatten, t.pos, make(NodeKind::Current, t.pos));
        return make(NodeKind::Projection, t.pos, std::move(left), projectionRhs(bindingPower(Tok::Flatten)));
      }
      case Tok::Not: return make(NodeKind::Not, t.pos, expression(bindingPower(Tok::Not)));
      case Tok::LBracket: {
        if (cur().type == Tok::Number || cur().type == Tok::Colon) {
          NodePtr right = indexExpression();
          return projectIfSlice(make(NodeKind::Current, t.pos), std::move(right), t.pos);
        }
        if (cur().type == Tok::Star && ahead(1).type == Tok::RBracket) {
          advance();
          advance();
          return make(NodeKind::Projection, t.pos, make(NodeKind::Current, t.pos),
                      projectionRhs(bindingPower(Tok::Star)));
        }
        return multiSelectList(t);
      }
      case Tok::Current: return make(NodeKind::Current, t.pos);
      case Tok::Expref: return make(NodeKind::Expref, t.pos, expression(0));
      case Tok::Eof: fail(t, "expression ends too early");
      default: fail(t, "unexpected " + describe(t));
    }
  }

  NodePtr led(const Token& t, NodePtr left) {
    switch (t.type) {
      case Tok::Dot: {
        if (cur().type == Tok::Star) {
          advance();
          return make(NodeKind::ValueProjection, t.pos, std::move(left), projectionRhs(bindingPower(Tok::Dot)));
        }
        NodePtr right = dotRhs(bindingPower(Tok::Dot));
        if (left->kind == NodeKind::Subexpression) {
          left->children.push_back(std::move(right));
          return left;
        }
        const std::uint32_t pos = left->pos;
        return make(NodeKind::Subexpression, pos, std::move(left), std::move(right));
      }
      case Tok::Pipe: return make(NodeKind::Pipe, t.pos, std::move(left), expression(bindingPower(Tok::Pipe)));
      case Tok::Or: return make(NodeKind::Or, t.pos, std::move(left), expression(bindingPower(Tok::Or)));
      case Tok::And: return make(NodeKind::And, t.pos, std::move(left), expression(bindingPower(Tok::And)));
      case Tok::LParen: {
        if (left->kind != NodeKind::Field) fail(t, "only a plain name can be called as a function");
        auto fn = make(NodeKind::Function, left->pos);
        fn->name = left->name;
        if (cur().type != Tok::RParen) {
          while (true) {
            fn->children.push_back(expression(0));
            if (cur().type == Tok::Comma) {
              advance();
              continue;
            }
            if (cur().type == Tok::RParen) break;
            fail(cur(), "expected ',' or ')' in the arguments of " + fn->name + "(), got " + describe(cur()));
          }
        }
        match(Tok::RParen, "to close the arguments");
        return fn;
      }
      case Tok::Filter: return filter(std::move(left), t);
      case Tok::Eq: return comparator(std::move(left), CompareOp::Eq, t);
      case Tok::Ne: return comparator(std::move(left), CompareOp::Ne, t);
      case Tok::Gt: return comparator(std::move(left), CompareOp::Gt, t);
      case Tok::Ge: return comparator(std::move(left), CompareOp::Ge, t);
      case Tok::Lt: return comparator(std::move(left), CompareOp::Lt, t);
      case Tok::Le: return comparator(std::move(left), CompareOp::Le, t);
      case Tok::Flatten: {
        NodePtr flat = make(NodeKind::Flatten, t.pos, std::move(left));
        return make(NodeKind::Projection, t.pos, std::move(flat), projectionRhs(bindingPower(Tok::Flatten)));
      }
      case Tok::LBracket: {
        if (cur().type == Tok::Number || cur().type == Tok::Colon) {
          NodePtr right = indexExpression();
          if (left->kind == NodeKind::IndexExpression) {
            left->children.push_back(std::move(right));
            return left;
          }
          return projectIfSlice(std::move(left), std::move(right), t.pos);
        }
        match(Tok::Star, "or a number after '[' (multi-select lists cannot follow an expression)");
        match(Tok::RBracket, "after '[*'");
        return make(NodeKind::Projection, t.pos, std::move(left), projectionRhs(bindingPower(Tok::Star)));
      }
      default: fail(t, "unexpected " + describe(t));
    }
  }

  NodePtr comparator(NodePtr left, CompareOp op, const Token& t) {
    auto n = make(NodeKind::Comparator, t.pos, std::move(left), expression(bindingPower(t.type)));
    n->op = op;
    return n;
  }

  NodePtr filter(NodePtr left, const Token& t) {
    NodePtr condition = expression(0);
    match(Tok::RBracket, "to close the filter '[?'");
    NodePtr right = cur().type == Tok::Flatten ? make(NodeKind::Current, t.pos) : projectionRhs(bindingPower(Tok::Filter));
    auto n = make(NodeKind::FilterProjection, t.pos, std::move(left), std::move(right));
    n->children.push_back(std::move(condition));
    return n;
  }

  NodePtr indexExpression() {
    if (cur().type == Tok::Colon || ahead(1).type == Tok::Colon) return slice();
    auto n = make(NodeKind::Index, cur().pos);
    n->start = cur().number;
    advance();
    match(Tok::RBracket, "after the index");
    return n;
  }

  NodePtr slice() {
    auto n = make(NodeKind::Slice, cur().pos);
    std::optional<std::int64_t>* parts[3] = {&n->start, &n->stop, &n->step};
    int index = 0;
    while (cur().type != Tok::RBracket && index < 3) {
      if (cur().type == Tok::Colon) {
        ++index;
        if (index == 3) fail(cur(), "a slice has at most three parts [start:stop:step]");
        advance();
      } else if (cur().type == Tok::Number) {
        *parts[index] = cur().number;
        advance();
      } else {
        fail(cur(), "expected a number or ':' in a slice, got " + describe(cur()));
      }
    }
    if (n->step && *n->step == 0) {
      throw ParseFailure{errorAt(ErrorKind::InvalidValue, "slice step cannot be 0", text_, n->pos)};
    }
    match(Tok::RBracket, "to close the slice");
    return n;
  }

  NodePtr projectIfSlice(NodePtr left, NodePtr right, std::uint32_t pos) {
    const bool isSlice = right->kind == NodeKind::Slice;
    NodePtr idx = make(NodeKind::IndexExpression, pos, std::move(left), std::move(right));
    if (!isSlice) return idx;
    return make(NodeKind::Projection, pos, std::move(idx), projectionRhs(bindingPower(Tok::Star)));
  }

  NodePtr multiSelectList(const Token& t) {
    auto n = make(NodeKind::MultiSelectList, t.pos);
    while (true) {
      n->children.push_back(expression(0));
      if (cur().type == Tok::RBracket) break;
      match(Tok::Comma, "or ']' in a multi-select list");
    }
    match(Tok::RBracket, "to close the list");
    return n;
  }

  NodePtr multiSelectHash(const Token& t) {
    auto n = make(NodeKind::MultiSelectHash, t.pos);
    while (true) {
      if (cur().type != Tok::UnquotedIdentifier && cur().type != Tok::QuotedIdentifier)
        fail(cur(), "expected a key name in '{...}', got " + describe(cur()));
      std::string key = cur().text;
      advance();
      match(Tok::Colon, "after the key '" + key + "'");
      // A later duplicate key wins, as in a JSON object.
      for (std::size_t i = 0; i < n->keys.size(); ++i) {
        if (n->keys[i] == key) {
          n->keys.erase(n->keys.begin() + static_cast<std::ptrdiff_t>(i));
          n->children.erase(n->children.begin() + static_cast<std::ptrdiff_t>(i));
          break;
        }
      }
      n->keys.push_back(std::move(key));
      n->children.push_back(expression(0));
      if (cur().type == Tok::Comma) {
        advance();
      } else if (cur().type == Tok::RBrace) {
        advance();
        break;
      } else {
        fail(cur(), "expected ',' or '}' in '{...}', got " + describe(cur()));
      }
    }
    return n;
  }

  NodePtr projectionRhs(int bp) {
    const Tok t = cur().type;
    if (bindingPower(t) < kProjectionStop) return make(NodeKind::Current, cur().pos);
    if (t == Tok::LBracket || t == Tok::Filter) return expression(bp);
    if (t == Tok::Dot) {
      advance();
      return dotRhs(bp);
    }
    fail(cur(), "unexpected " + describe(cur()) + " after a projection");
  }

  NodePtr dotRhs(int bp) {
    const Tok t = cur().type;
    if (t == Tok::UnquotedIdentifier || t == Tok::QuotedIdentifier || t == Tok::Star) return expression(bp);
    if (t == Tok::LBracket) {
      Token open = cur();
      advance();
      return multiSelectList(open);
    }
    if (t == Tok::LBrace) {
      Token open = cur();
      advance();
      return multiSelectHash(open);
    }
    fail(cur(), "expected a name, '[', '{' or '*' after '.', got " + describe(cur()));
  }

  std::string_view text_;
  std::vector<Token> toks_;
  std::size_t i_ = 0;
  int depth_ = 0;
};

}  // namespace

tl::expected<std::unique_ptr<Node>, Error> parse(std::string_view text) {
  auto tokens = tokenize(text);
  if (!tokens) return tl::unexpected(tokens.error());
  try {
    return Parser(text, std::move(*tokens)).run();
  } catch (const ParseFailure& f) {
    return tl::unexpected(f.error);
  }
}

}  // namespace hub::jmes
