#include "mappings/canonical/json_schema.h"

#include <map>
#include <optional>
#include <regex>

#include "hub/core/suggest.h"
#include "mappings/functions/datetime.h"

namespace hub::mapping {

using nlohmann::json;

struct JsonSchema::Node {
  std::vector<std::string> types;  // empty: any
  std::vector<std::string> required;
  std::map<std::string, const Node*> properties;
  bool hasProperties = false;
  std::optional<bool> additionalAllowed;  // false: no other properties
  const Node* additional = nullptr;       // schema for other properties
  const Node* items = nullptr;
  std::optional<json> enumValues, constValue;
  std::optional<double> minimum, maximum;
  std::optional<std::size_t> minLength, maxLength, minItems;
  std::optional<std::regex> pattern;
  std::string patternText, format;
  std::string ref;  // resolved lazily through `refTarget`
  const Node* refTarget = nullptr;
};

namespace {

using Node = JsonSchema::Node;

const std::vector<std::string> kKeywords = {"$schema", "$id", "$defs", "$ref", "$comment", "title", "description",
                                            "examples", "type", "required", "properties", "additionalProperties",
                                            "items", "enum", "const", "minimum", "maximum", "minLength", "maxLength",
                                            "minItems", "pattern", "format"};
const std::vector<std::string> kTypes = {"null", "boolean", "integer", "number", "string", "array", "object"};

// Owns every node of one compiled schema.
struct Arena {
  std::vector<std::unique_ptr<Node>> nodes;
  std::map<std::string, const Node*> defs;
  std::vector<Node*> unresolved;
};

class Compiler {
 public:
  explicit Compiler(Arena& a) : arena_(a) {}

  const Node* node(const json& s, const std::string& where) {
    if (!s.is_object()) throw std::runtime_error(where + ": a schema must be an object");
    auto n = std::make_unique<Node>();
    for (const auto& [key, value] : s.items()) {
      if (std::find(kKeywords.begin(), kKeywords.end(), key) == kKeywords.end())
        throw std::runtime_error(where + ": unsupported keyword '" + key + "'" + didYouMean(key, kKeywords));
      const std::string at = where + "/" + key;
      if (key == "type") {
        for (const auto& t : value.is_array() ? value : json::array({value})) {
          if (!t.is_string() || std::find(kTypes.begin(), kTypes.end(), t.get<std::string>()) == kTypes.end())
            throw std::runtime_error(at + ": unknown type " + t.dump());
          n->types.push_back(t.get<std::string>());
        }
      } else if (key == "required") {
        for (const auto& r : value) n->required.push_back(r.get<std::string>());
      } else if (key == "properties") {
        n->hasProperties = true;
        for (const auto& [name, sub] : value.items()) n->properties[name] = node(sub, at + "/" + name);
      } else if (key == "additionalProperties") {
        if (value.is_boolean()) n->additionalAllowed = value.get<bool>();
        else n->additional = node(value, at);
      } else if (key == "items") {
        n->items = node(value, at);
      } else if (key == "enum") {
        n->enumValues = value;
      } else if (key == "const") {
        n->constValue = value;
      } else if (key == "minimum") {
        n->minimum = value.get<double>();
      } else if (key == "maximum") {
        n->maximum = value.get<double>();
      } else if (key == "minLength") {
        n->minLength = value.get<std::size_t>();
      } else if (key == "maxLength") {
        n->maxLength = value.get<std::size_t>();
      } else if (key == "minItems") {
        n->minItems = value.get<std::size_t>();
      } else if (key == "pattern") {
        n->patternText = value.get<std::string>();
        n->pattern = std::regex(n->patternText, std::regex::ECMAScript);
      } else if (key == "format") {
        n->format = value.get<std::string>();
        if (n->format != "date" && n->format != "date-time")
          throw std::runtime_error(at + ": unsupported format '" + n->format + "' (date, date-time)");
      } else if (key == "$ref") {
        n->ref = value.get<std::string>();
        if (n->ref.rfind("#/$defs/", 0) != 0) throw std::runtime_error(at + ": only \"#/$defs/...\" references are supported");
      } else if (key == "$defs") {
        for (const auto& [name, sub] : value.items()) arena_.defs["#/$defs/" + name] = node(sub, at + "/" + name);
      }
    }
    Node* raw = n.get();
    if (!raw->ref.empty()) arena_.unresolved.push_back(raw);
    arena_.nodes.push_back(std::move(n));
    return raw;
  }

 private:
  Arena& arena_;
};

std::string jsonType(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return "integer";
    case json::value_t::number_float: return "number";
    case json::value_t::string: return "string";
    case json::value_t::array: return "array";
    default: return "object";
  }
}

bool hasType(const json& v, const std::string& t) {
  const std::string actual = jsonType(v);
  if (t == actual) return true;
  if (t == "number") return actual == "integer";
  if (t == "integer" && v.is_number_float()) {
    const double d = v.get<double>();
    return d == static_cast<double>(static_cast<long long>(d));
  }
  return false;
}

std::string shown(const json& v) {
  std::string s = v.dump(-1, ' ', false, json::error_handler_t::replace);
  return s.size() > 60 ? s.substr(0, 57) + "..." : s;
}

std::string join(const std::string& path, const std::string& key) { return path.empty() ? key : path + "." + key; }

void check(const Node& n, const json& v, const std::string& path, std::vector<SchemaProblem>& out) {
  auto fail = [&](std::string message) { out.push_back({path, std::move(message)}); };
  if (n.refTarget) check(*n.refTarget, v, path, out);
  if (!n.types.empty()) {
    bool ok = false;
    for (const auto& t : n.types) ok = ok || hasType(v, t);
    if (!ok) {
      std::string want;
      for (std::size_t i = 0; i < n.types.size(); ++i) want += (i ? " or " : "") + n.types[i];
      return fail("expected " + want + ", got " + jsonType(v) + " " + shown(v));
    }
  }
  if (n.enumValues) {
    bool found = false;
    for (const auto& e : *n.enumValues) found = found || e == v;
    if (!found) fail(shown(v) + " is not one of " + shown(*n.enumValues));
  }
  if (n.constValue && *n.constValue != v) fail("must be " + shown(*n.constValue));
  if (v.is_number()) {
    const double d = v.get<double>();
    if (n.minimum && d < *n.minimum) fail(shown(v) + " is below the minimum " + shown(*n.minimum));
    if (n.maximum && d > *n.maximum) fail(shown(v) + " is above the maximum " + shown(*n.maximum));
  }
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    std::size_t chars = 0;
    for (char c : s) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    if (n.minLength && chars < *n.minLength) fail("must have at least " + std::to_string(*n.minLength) + " characters");
    if (n.maxLength && chars > *n.maxLength) fail("must have at most " + std::to_string(*n.maxLength) + " characters");
    if (n.pattern && !std::regex_search(s, *n.pattern)) fail(shown(v) + " does not match " + n.patternText);
    if (n.format == "date") {
      dt::Civil c;
      if (!dt::parseDate(s, c)) fail(shown(v) + " is not a date (YYYY-MM-DD)");
    } else if (n.format == "date-time") {
      const bool zoned = s.size() > 19 && (s.back() == 'Z' || s.back() == 'z' || s.find_first_of("+-", 19) != std::string::npos);
      if (!zoned || !dt::parseIso(s, nullptr)) fail(shown(v) + " is not a date-time with a zone (2024-05-01T10:30:00+08:00)");
    }
  }
  if (v.is_array()) {
    if (n.minItems && v.size() < *n.minItems) fail("must have at least " + std::to_string(*n.minItems) + " items");
    if (n.items)
      for (std::size_t i = 0; i < v.size(); ++i) check(*n.items, v[i], path + "[" + std::to_string(i) + "]", out);
  }
  if (v.is_object()) {
    for (const auto& r : n.required)
      if (!v.contains(r)) fail("missing required property '" + r + "'");
    std::vector<std::string> known;
    for (const auto& [name, _] : n.properties) known.push_back(name);
    for (const auto& [key, value] : v.items()) {
      auto it = n.properties.find(key);
      if (it != n.properties.end()) {
        check(*it->second, value, join(path, key), out);
      } else if (n.additional) {
        check(*n.additional, value, join(path, key), out);
      } else if (n.additionalAllowed == false) {
        out.push_back({join(path, key), "unexpected property '" + key + "'" + didYouMean(key, known)});
      }
    }
  }
}

}  // namespace

tl::expected<JsonSchema, std::string> JsonSchema::compile(const json& schema) {
  auto arena = std::make_shared<Arena>();
  try {
    Compiler c(*arena);
    const Node* root = c.node(schema, "#");
    for (Node* n : arena->unresolved) {
      auto it = arena->defs.find(n->ref);
      if (it == arena->defs.end()) return tl::unexpected("unresolved reference " + n->ref);
      n->refTarget = it->second;
    }
    JsonSchema s;
    s.root_ = std::shared_ptr<const Node>(arena, root);
    return s;
  } catch (const std::exception& e) {
    return tl::unexpected(std::string(e.what()));
  }
}

std::vector<SchemaProblem> JsonSchema::validate(const json& document) const {
  std::vector<SchemaProblem> out;
  check(*root_, document, "", out);
  return out;
}

}  // namespace hub::mapping
