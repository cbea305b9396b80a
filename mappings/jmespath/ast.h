#pragma once
// The compiled form of an expression. Read-only after compile(); tools walk it
// (the mapping loader checks value-table names and function argument types).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "mappings/jmespath/value.h"

namespace hub::jmes {

struct FunctionDef;

enum class NodeKind : std::uint8_t {
  Current,           // @ (also the implicit left side of projections)
  Field,             // name
  Subexpression,     // children evaluated left to right, each on the previous result
  IndexExpression,   // children[0] then children[1..] (Index/Slice) on its result
  Index,             // [n]
  Slice,             // [start:stop:step]
  Projection,        // children[0] = array, children[1] = applied to each element
  ValueProjection,   // children[0] = object, children[1] = applied to each value
  FilterProjection,  // children[0] = array, children[1] = applied, children[2] = condition
  Flatten,           // children[0] flattened one level
  Literal,           // `json` or 'raw string'
  MultiSelectList,   // [a, b]
  MultiSelectHash,   // {k: a, ...}; keys[i] names children[i]
  Or,
  And,
  Not,
  Comparator,        // op
  Pipe,
  Function,          // name(children...), resolved to `function`
  Expref,            // &children[0]
};

enum class CompareOp : std::uint8_t { Eq, Ne, Lt, Le, Gt, Ge };

struct Node {
  NodeKind kind = NodeKind::Current;
  CompareOp op = CompareOp::Eq;
  std::uint32_t pos = 0;                     // byte offset in the expression text
  std::string name;                          // Field and Function
  std::vector<std::string> keys;             // MultiSelectHash
  std::vector<std::unique_ptr<Node>> children;
  std::optional<std::int64_t> start, stop, step;  // Slice; Index uses start
  nlohmann::json literal;                    // Literal
  Value literalValue;                        // borrows `literal`
  std::shared_ptr<const FunctionDef> function;
};

}  // namespace hub::jmes
