// concat, upper, lower, trim, substr, pad_left, pad_right, replace, split.
// Positions and widths count characters (code points), so Chinese text works;
// a null string argument gives null.
#include "mappings/functions/support.h"
#include "mappings/jmespath/utf8.h"

namespace hub::mapping::fn {
namespace {

using jmes::ErrorKind;
using namespace jmes;
namespace utf8 = jmes::utf8;

Value fnConcat(Call& c, Args a) {
  std::string out;
  for (const auto& v : a) out += scalarText(v);  // nulls add nothing
  return c.newString(out);
}

// ASCII and full-width Latin letters (ａ-ｚ, common in Chinese input) change case.
Value changeCase(Call& c, Args a, bool upper) {
  if (a[0].isNull()) return Value();
  std::string s(a[0].str());
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto& ch = s[i];
    if (upper && ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 32);
    else if (!upper && ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch + 32);
    else if (static_cast<unsigned char>(ch) == 0xEF && i + 2 < s.size()) {
      // U+FF21..FF3A = EF BC A1..BA, U+FF41..FF5A = EF BD 81..9A
      auto b1 = static_cast<unsigned char>(s[i + 1]), b2 = static_cast<unsigned char>(s[i + 2]);
      if (upper && b1 == 0xBD && b2 >= 0x81 && b2 <= 0x9A) {
        s[i + 1] = static_cast<char>(0xBC);
        s[i + 2] = static_cast<char>(b2 + 0x20);
      } else if (!upper && b1 == 0xBC && b2 >= 0xA1 && b2 <= 0xBA) {
        s[i + 1] = static_cast<char>(0xBD);
        s[i + 2] = static_cast<char>(b2 - 0x20);
      }
      i += 2;
    }
  }
  return c.newString(s);
}

bool isSpace(std::uint32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f' || cp == 0x00A0 ||
         cp == 0x3000 || cp == 0xFEFF || (cp >= 0x2000 && cp <= 0x200B);
}

Value fnTrim(Call&, Args a) {
  if (a[0].isNull()) return Value();
  const std::string_view s = a[0].str();
  std::size_t begin = 0, end = s.size();
  while (begin < end) {
    std::size_t i = begin;
    if (!isSpace(utf8::decode(s, i))) break;
    begin = i;
  }
  while (end > begin) {
    std::size_t start = end - 1;
    while (start > begin && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
    std::size_t i = start;
    if (!isSpace(utf8::decode(s, i))) break;
    end = start;
  }
  return Value::string(s.substr(begin, end - begin));  // a view of the argument: no copy
}

Value fnSubstr(Call& c, Args a) {
  if (a[0].isNull()) return Value();
  const std::string_view s = a[0].str();
  const auto len = static_cast<std::int64_t>(utf8::length(s));
  std::int64_t start = intArg(c, a, 1);
  if (start < 0) start = std::max<std::int64_t>(0, len + start);
  if (start >= len) return Value::string({});
  std::int64_t count = len - start;
  if (a.size() > 2 && !a[2].isNull()) {
    count = intArg(c, a, 2);
    if (count < 0) c.failArg(2, ErrorKind::InvalidValue, "length cannot be negative", a[2]);
  }
  const std::size_t from = utf8::offsetOf(s, static_cast<std::size_t>(start));
  const std::size_t to = from + utf8::offsetOf(s.substr(from), static_cast<std::size_t>(std::min(count, len - start)));
  return Value::string(s.substr(from, to - from));
}

// Wider than any field of a document or fixed-width file; a width from data
// (or a typo) must not allocate gigabytes and stall the worker.
constexpr std::int64_t kMaxPadWidth = 4096;

Value pad(Call& c, Args a, bool left) {
  if (a[0].isNull()) return Value();
  const std::string s = scalarText(a[0]);
  const std::int64_t width = intArg(c, a, 1);
  if (width > kMaxPadWidth)
    c.failArg(1, ErrorKind::InvalidValue, "the width can be at most " + std::to_string(kMaxPadWidth), a[1]);
  std::string fill = " ";
  if (a.size() > 2 && !a[2].isNull()) {
    fill = std::string(a[2].str());
    if (utf8::length(fill) != 1) c.failArg(2, ErrorKind::InvalidValue, "the padding must be one character", a[2]);
  }
  const auto have = static_cast<std::int64_t>(utf8::length(s));
  if (have >= width) return c.newString(s);
  std::string padding;
  padding.reserve(static_cast<std::size_t>(width - have) * fill.size());
  for (std::int64_t i = have; i < width; ++i) padding += fill;
  return c.newString(left ? padding + s : s + padding);
}

Value fnReplace(Call& c, Args a) {
  if (a[0].isNull()) return Value();
  const std::string_view s = a[0].str(), from = a[1].str(), to = a[2].str();
  if (from.empty()) c.failArg(1, ErrorKind::InvalidValue, "the text to replace cannot be empty");
  std::string out;
  std::size_t p = 0;
  for (std::size_t hit; (hit = s.find(from, p)) != std::string_view::npos; p = hit + from.size()) {
    out += s.substr(p, hit - p);
    out += to;
  }
  out += s.substr(p);
  return c.newString(out);
}

Value fnSplit(Call& c, Args a) {
  if (a[0].isNull()) return Value();
  const std::string_view s = a[0].str(), sep = a[1].str();
  std::vector<std::string_view> parts;
  if (sep.empty()) {
    parts = utf8::characters(s);
  } else {
    std::size_t p = 0;
    for (std::size_t hit; (hit = s.find(sep, p)) != std::string_view::npos; p = hit + sep.size())
      parts.push_back(s.substr(p, hit - p));
    parts.push_back(s.substr(p));
  }
  Value* out = c.arena().allocArray<Value>(parts.size());
  for (std::size_t i = 0; i < parts.size(); ++i) out[i] = Value::string(parts[i]);
  return Value::list(out, parts.size());
}

}  // namespace

std::string scalarText(const Value& v) {
  switch (v.type()) {
    case jmes::Type::Null: return {};
    case jmes::Type::String: return std::string(v.str());
    case jmes::Type::Boolean: return v.boolValue() ? "true" : "false";
    default: return jmes::toJsonText(v);
  }
}

jmes::FunctionDef def(std::string name, std::vector<jmes::TypeSet> params, std::size_t required, jmes::TypeSet result,
                      jmes::FunctionImpl impl, bool variadic) {
  jmes::FunctionDef d;
  d.name = std::move(name);
  d.params = std::move(params);
  d.required = required;
  d.result = result;
  d.impl = std::move(impl);
  d.variadic = variadic;
  return d;
}

void registerStringFunctions(jmes::FunctionRegistry& r) {
  const TypeSet str = kString | kNull, scalar = kString | kNumber | kBoolean | kNull, whole = kNumber | kString;
  r.add(def("concat", {scalar}, 1, kString, fnConcat, true));
  r.add(def("upper", {str}, 1, kString | kNull, [](Call& c, Args a) { return changeCase(c, a, true); }));
  r.add(def("lower", {str}, 1, kString | kNull, [](Call& c, Args a) { return changeCase(c, a, false); }));
  r.add(def("trim", {str}, 1, kString | kNull, fnTrim));
  r.add(def("substr", {str, whole, whole | kNull}, 2, kString | kNull, fnSubstr));
  r.add(def("pad_left", {scalar, whole, kString | kNull}, 2, kString | kNull,
            [](Call& c, Args a) { return pad(c, a, true); }));
  r.add(def("pad_right", {scalar, whole, kString | kNull}, 2, kString | kNull,
            [](Call& c, Args a) { return pad(c, a, false); }));
  r.add(def("replace", {str, kString, kString}, 3, kString | kNull, fnReplace));
  r.add(def("split", {str, kString}, 2, kArray | kNull, fnSplit));
}

}  // namespace hub::mapping::fn
