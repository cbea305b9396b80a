#include <algorithm>

#include "hub/core/suggest.h"
#include "mappings/jmespath/evaluator.h"
#include "mappings/jmespath/jmespath.h"
#include "mappings/jmespath/parser.h"

namespace hub::jmes {

struct Expression::Program {
  std::string text;
  std::unique_ptr<Node> root;
  // `a` or `a.b.c`: the most common mapping expression, looked up directly.
  std::vector<std::string_view> fieldPath;
};

namespace {

std::string arityText(const FunctionDef& d) {
  auto plural = [](std::size_t n) { return std::to_string(n) + (n == 1 ? " argument" : " arguments"); };
  if (d.variadic) return "at least " + plural(d.required);
  if (d.required == d.params.size()) return plural(d.required);
  return std::to_string(d.required) + " to " + plural(d.params.size());
}

// Resolves functions and literal views; the first problem wins.
std::optional<Error> resolve(Node& n, const FunctionRegistry& fns, std::string_view text) {
  if (n.kind == NodeKind::Literal) n.literalValue = Value::fromJson(n.literal);
  if (n.kind == NodeKind::Function) {
    n.function = fns.find(n.name);
    if (!n.function) {
      return errorAt(ErrorKind::UnknownFunction,
                     "unknown function " + n.name + "()" + didYouMean(n.name, fns.names()), text, n.pos);
    }
    const std::size_t argc = n.children.size();
    if (argc < n.function->required || argc > n.function->maxArgs()) {
      return errorAt(ErrorKind::InvalidArity,
                     n.name + "() takes " + arityText(*n.function) + ", got " + std::to_string(argc), text, n.pos);
    }
  }
  for (auto& c : n.children)
    if (auto e = resolve(*c, fns, text)) return e;
  return std::nullopt;
}

TypeSet widen(TypeSet t) { return (t & (kArrayOfNumber | kArrayOfString)) ? TypeSet(t | kArray) : t; }

void checkNode(const Node& n, std::string_view text, std::vector<Error>& out) {
  if (n.kind == NodeKind::Function && n.function) {
    for (std::size_t i = 0; i < n.children.size(); ++i) {
      const TypeSet allowed = widen(n.function->paramTypes(i));
      const TypeSet actual = widen(staticType(*n.children[i]));
      if ((allowed & actual) == 0) {
        out.push_back(errorAt(ErrorKind::InvalidType,
                              n.name + "() argument " + std::to_string(i + 1) + " must be " +
                                  describeTypes(n.function->paramTypes(i)) + ", but this is always " +
                                  describeTypes(staticType(*n.children[i])),
                              text, n.children[i]->pos));
      }
    }
  }
  for (const auto& c : n.children) checkNode(*c, text, out);
}

}  // namespace

TypeSet staticType(const Node& n) {
  switch (n.kind) {
    case NodeKind::Literal: return typeBit(n.literalValue.type());
    case NodeKind::Projection:
    case NodeKind::ValueProjection:
    case NodeKind::FilterProjection:
    case NodeKind::Flatten:
    case NodeKind::Slice:
    case NodeKind::MultiSelectList: return kArray | kNull;
    case NodeKind::MultiSelectHash: return kObject | kNull;
    case NodeKind::Comparator: return kBoolean | kNull;
    case NodeKind::Not: return kBoolean;
    case NodeKind::Or:
    case NodeKind::And: return staticType(*n.children[0]) | staticType(*n.children[1]);
    case NodeKind::Pipe: return staticType(*n.children[1]);
    case NodeKind::Subexpression: return staticType(*n.children.back()) | kNull;
    case NodeKind::Function: return n.function ? n.function->result : kAnyValue;
    case NodeKind::Expref: return kExpref;
    default: return kAnyValue;
  }
}

tl::expected<Expression, Error> compile(std::string_view text, const FunctionRegistry& functions) {
  auto root = parse(text);
  if (!root) return tl::unexpected(root.error());
  if (auto e = resolve(**root, functions, text)) return tl::unexpected(*e);
  auto program = std::make_shared<Expression::Program>();
  program->text = std::string(text);
  program->root = std::move(*root);
  const Node& r = *program->root;
  if (r.kind == NodeKind::Field) {
    program->fieldPath.push_back(r.name);
  } else if (r.kind == NodeKind::Subexpression &&
             std::all_of(r.children.begin(), r.children.end(), [](const auto& c) { return c->kind == NodeKind::Field; })) {
    for (const auto& c : r.children) program->fieldPath.push_back(c->name);
  }
  Expression e;
  e.program_ = std::move(program);
  return e;
}

std::vector<Error> checkTypes(const Expression& e) {
  std::vector<Error> out;
  checkNode(e.root(), e.text(), out);
  return out;
}

const std::string& Expression::text() const { return program_->text; }
const Node& Expression::root() const { return *program_->root; }

Value Expression::evaluate(Value current, Arena& arena, EvalHost* host) const {
  if (!program_->fieldPath.empty()) {
    for (std::string_view name : program_->fieldPath) {
      current = current.get(name);
      if (current.isNull()) break;
    }
    return current;
  }
  Evaluator ev(arena, host);
  return ev.eval(*program_->root, current);
}

tl::expected<Json, Error> Expression::search(const Json& doc, EvalHost* host) const {
  Arena arena;
  try {
    return toJson(evaluate(Value::fromJson(doc), arena, host));
  } catch (const EvalError& e) {
    return tl::unexpected(e.error);
  } catch (const std::exception& e) {
    Error err;
    err.kind = ErrorKind::InvalidValue;
    err.message = e.what();
    return tl::unexpected(err);
  }
}

}  // namespace hub::jmes
