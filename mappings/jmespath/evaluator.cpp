#include "mappings/jmespath/evaluator.h"

namespace hub::jmes {
namespace {

bool matches(TypeSet allowed, const Value& v) {
  const Type t = v.type();
  if (allowed & typeBit(t)) return true;
  if (t != Type::Array || !(allowed & (kArrayOfNumber | kArrayOfString))) return false;
  const std::size_t n = v.size();
  if (n == 0) return true;
  // With both element types allowed, the first element decides (max, min, sort).
  Type want;
  if ((allowed & kArrayOfNumber) && (allowed & kArrayOfString)) {
    want = v.at(0).type();
    if (want != Type::Number && want != Type::String) return false;
  } else {
    want = (allowed & kArrayOfNumber) ? Type::Number : Type::String;
  }
  for (std::size_t i = 0; i < n; ++i)
    if (v.at(i).type() != want) return false;
  return true;
}

}  // namespace

Value Evaluator::eval(const Node& n, Value cur) {
  switch (n.kind) {
    case NodeKind::Current: return cur;
    case NodeKind::Field: return cur.get(n.name);
    case NodeKind::Literal: return n.literalValue;
    case NodeKind::Subexpression: {
      for (const auto& c : n.children) {
        cur = eval(*c, cur);
        if (cur.isNull()) return cur;
      }
      return cur;
    }
    case NodeKind::IndexExpression: {
      for (const auto& c : n.children) cur = eval(*c, cur);
      return cur;
    }
    case NodeKind::Index: {
      if (!cur.isArray()) return Value();
      const auto size = static_cast<std::int64_t>(cur.size());
      std::int64_t i = *n.start;
      if (i < 0) i += size;
      if (i < 0 || i >= size) return Value();
      return cur.at(static_cast<std::size_t>(i));
    }
    case NodeKind::Slice: return slice(n, cur);
    case NodeKind::Projection:
    case NodeKind::ValueProjection:
    case NodeKind::FilterProjection: return project(n, cur);
    case NodeKind::Flatten: {
      Value base = eval(*n.children[0], cur);
      if (!base.isArray()) return Value();
      const std::size_t size = base.size();
      std::size_t total = 0;
      for (std::size_t i = 0; i < size; ++i) {
        Value e = base.at(i);
        total += e.isArray() ? e.size() : 1;
      }
      Value* out = arena_.allocArray<Value>(total);
      std::size_t k = 0;
      for (std::size_t i = 0; i < size; ++i) {
        Value e = base.at(i);
        if (e.isArray()) {
          for (std::size_t j = 0; j < e.size(); ++j) out[k++] = e.at(j);
        } else {
          out[k++] = e;
        }
      }
      return Value::list(out, k);
    }
    case NodeKind::MultiSelectList: {
      if (cur.isNull()) return cur;
      const std::size_t size = n.children.size();
      Value* out = arena_.allocArray<Value>(size);
      for (std::size_t i = 0; i < size; ++i) out[i] = eval(*n.children[i], cur);
      return Value::list(out, size);
    }
    case NodeKind::MultiSelectHash: {
      if (cur.isNull()) return cur;
      const std::size_t size = n.children.size();
      Member* out = arena_.allocArray<Member>(size);
      for (std::size_t i = 0; i < size; ++i) {
        out[i].key = n.keys[i];
        out[i].value = eval(*n.children[i], cur);
      }
      return Value::map(out, size);
    }
    case NodeKind::Or: {
      Value l = eval(*n.children[0], cur);
      return l.truthy() ? l : eval(*n.children[1], cur);
    }
    case NodeKind::And: {
      Value l = eval(*n.children[0], cur);
      return l.truthy() ? eval(*n.children[1], cur) : l;
    }
    case NodeKind::Not: return Value::boolean(!eval(*n.children[0], cur).truthy());
    case NodeKind::Comparator: {
      Value l = eval(*n.children[0], cur), r = eval(*n.children[1], cur);
      switch (n.op) {
        case CompareOp::Eq: return Value::boolean(equals(l, r));
        case CompareOp::Ne: return Value::boolean(!equals(l, r));
        default: break;
      }
      // Ordering is defined for numbers only; anything else compares to null.
      if (!l.isNumber() || !r.isNumber()) return Value();
      const int c = compare(l, r);
      switch (n.op) {
        case CompareOp::Lt: return Value::boolean(c < 0);
        case CompareOp::Le: return Value::boolean(c <= 0);
        case CompareOp::Gt: return Value::boolean(c > 0);
        default: return Value::boolean(c >= 0);
      }
    }
    case NodeKind::Pipe: return eval(*n.children[1], eval(*n.children[0], cur));
    case NodeKind::Function: return callFunction(n, cur);
    case NodeKind::Expref: return Value::expref(n.children[0].get());
  }
  return Value();
}

Value Evaluator::project(const Node& n, Value cur) {
  Value base = eval(*n.children[0], cur);
  const Node& rhs = *n.children[1];
  const bool rhsIsCurrent = rhs.kind == NodeKind::Current;
  if (n.kind == NodeKind::ValueProjection) {
    if (!base.isObject()) return Value();
    Value* out = arena_.allocArray<Value>(base.memberCount());
    std::size_t k = 0;
    base.forEachMember([&](std::string_view, Value v) {
      Value r = rhsIsCurrent ? v : eval(rhs, v);
      if (!r.isNull()) out[k++] = r;
    });
    return Value::list(out, k);
  }
  if (!base.isArray()) return Value();
  const std::size_t size = base.size();
  Value* out = arena_.allocArray<Value>(size);
  std::size_t k = 0;
  const Node* condition = n.kind == NodeKind::FilterProjection ? n.children[2].get() : nullptr;
  for (std::size_t i = 0; i < size; ++i) {
    Value e = base.at(i);
    if (condition && !eval(*condition, e).truthy()) continue;
    Value r = rhsIsCurrent ? e : eval(rhs, e);
    if (!r.isNull()) out[k++] = r;
  }
  return Value::list(out, k);
}

Value Evaluator::slice(const Node& n, Value v) {
  if (!v.isArray()) return Value();
  const auto len = static_cast<std::int64_t>(v.size());
  const std::int64_t step = n.step.value_or(1);
  auto clamp = [&](std::optional<std::int64_t> x, std::int64_t dflt) {
    if (!x) return dflt;
    std::int64_t i = *x;
    if (i < 0) {
      i += len;
      if (i < 0) i = step < 0 ? -1 : 0;
    } else if (i >= len) {
      i = step < 0 ? len - 1 : len;
    }
    return i;
  };
  const std::int64_t start = clamp(n.start, step < 0 ? len - 1 : 0);
  const std::int64_t stop = clamp(n.stop, step < 0 ? -1 : len);
  std::size_t count = 0;
  if (step > 0 && stop > start) count = static_cast<std::size_t>((stop - start + step - 1) / step);
  if (step < 0 && start > stop) count = static_cast<std::size_t>((start - stop + (-step) - 1) / (-step));
  Value* out = arena_.allocArray<Value>(count);
  std::int64_t i = start;
  for (std::size_t k = 0; k < count; ++k, i += step) out[k] = v.at(static_cast<std::size_t>(i));
  return Value::list(out, count);
}

Value Evaluator::callFunction(const Node& n, Value cur) {
  const FunctionDef& def = *n.function;
  const std::size_t argc = n.children.size();
  alignas(Value) unsigned char local[6 * sizeof(Value)];  // filled below; no need to zero it first
  Value* args = argc <= 6 ? reinterpret_cast<Value*>(local) : arena_.allocArray<Value>(argc);
  for (std::size_t i = 0; i < argc; ++i) args[i] = eval(*n.children[i], cur);
  Call call(*this, def);
  for (std::size_t i = 0; i < argc; ++i) {
    const TypeSet allowed = def.paramTypes(i);
    if (!matches(allowed, args[i])) {
      std::string got(typeName(args[i].type()));
      if (args[i].isArray() && (allowed & (kArrayOfNumber | kArrayOfString))) got = "an array with other elements";
      call.failArg(i, ErrorKind::InvalidType, "expected " + describeTypes(allowed) + ", got " + got, args[i]);
    }
  }
  return def.impl(call, std::span<const Value>(args, argc));
}

}  // namespace hub::jmes
