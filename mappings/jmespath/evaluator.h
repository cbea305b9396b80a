#pragma once
// Tree-walking interpreter (internal; use Expression::evaluate/search).
#include "mappings/jmespath/ast.h"
#include "mappings/jmespath/functions.h"

namespace hub::jmes {

class Evaluator {
 public:
  Evaluator(Arena& arena, EvalHost* host) : arena_(arena), host_(host) {}
  Value eval(const Node& n, Value current);

  Arena& arena() { return arena_; }
  EvalHost* host() { return host_; }

 private:
  Value callFunction(const Node& n, Value current);
  Value slice(const Node& n, Value array);
  Value project(const Node& n, Value current);

  Arena& arena_;
  EvalHost* host_;
};

}  // namespace hub::jmes
