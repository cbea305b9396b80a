#pragma once
// JMESPath (jmespath.org) for the hub: compile an expression once, evaluate it
// many times from any number of threads. Evaluation borrows from the input
// document; results are copied only when materialised as json.
//
//   auto e = hub::jmes::compile("orders[?total > `100`].id");
//   if (!e) report(e.error().format());
//   auto ids = e->search(doc);   // tl::expected<json, Error>
#include <memory>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

#include "mappings/jmespath/ast.h"
#include "mappings/jmespath/error.h"
#include "mappings/jmespath/functions.h"
#include "mappings/jmespath/value.h"

namespace hub::jmes {

class Expression {
 public:
  // The result as json (a copy of the parts of `doc` it selects).
  tl::expected<Json, Error> search(const Json& doc, EvalHost* host = nullptr) const;

  // For hot paths: the result borrows from `current`'s document, the arena and
  // this expression, so it is valid while all three are. Throws EvalError.
  Value evaluate(Value current, Arena& arena, EvalHost* host = nullptr) const;

  const std::string& text() const;
  const Node& root() const;

 private:
  friend tl::expected<Expression, Error> compile(std::string_view, const FunctionRegistry&);
  struct Program;
  std::shared_ptr<const Program> program_;
};

// Syntax errors, unknown functions and wrong argument counts are found here,
// with the column. Functions are looked up in `functions` once, here.
tl::expected<Expression, Error> compile(std::string_view text,
                                        const FunctionRegistry& functions = FunctionRegistry::standard());

// Load-time type check: arguments whose type can never match the function's
// parameter (abs('x'), upper(length(a))). Returns invalid-type errors with columns.
std::vector<Error> checkTypes(const Expression& e);
// What a node can evaluate to.
TypeSet staticType(const Node& n);

}  // namespace hub::jmes
