#include "hub/config/spec_reader.h"

#include <cmath>
#include <cstdlib>
#include <map>

#include "hub/config/settings_description.h"
#include "hub/core/numbers.h"
#include "hub/core/redaction.h"
#include "hub/core/suggest.h"
#include "hub/core/time.h"

namespace hub::config {
using connector::Field;
using connector::FieldKind;
using nlohmann::json;

std::string pointerEscape(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

namespace {
const char* kindName(FieldKind k) {
  switch (k) {
    case FieldKind::String: return "a string";
    case FieldKind::Integer: return "an integer";
    case FieldKind::Number: return "a number";
    case FieldKind::Boolean: return "true or false";
    case FieldKind::Duration: return "a duration like 30s, 5m or 2h";
    case FieldKind::Enum: return "one of the listed choices";
    case FieldKind::Object: return "a mapping of keys";
    case FieldKind::List: return "a list";
    case FieldKind::Map: return "a mapping of keys";
    case FieldKind::Any: return "a value";
  }
  return "a value";
}

std::string nodeKind(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Null: return "nothing";
    default: return "'" + n.Scalar() + "'";
  }
}

bool parseBool(const std::string& s, bool& out) {
  if (s == "true" || s == "True" || s == "TRUE" || s == "yes" || s == "on") return out = true, true;
  if (s == "false" || s == "False" || s == "FALSE" || s == "no" || s == "off") return out = false, true;
  return false;
}

// YAML's integers may carry a '+'; hub/core/numbers does not take one.
bool parseInt(const std::string& s, long long& out) {
  const std::string_view digits = s.size() > 1 && s[0] == '+' && s[1] != '-' ? std::string_view(s).substr(1) : s;
  const auto v = parseInteger(digits);
  if (v) out = *v;
  return v.has_value();
}

// Members' defaults, for an absent optional block that still has defaults.
json defaultsOf(const connector::SettingsSpec& fields, json base) {
  for (const auto& f : fields) {
    if (base.contains(f.name) || !f.default_value) continue;
    base[f.name] = f.kind == FieldKind::Object ? defaultsOf(f.fields, *f.default_value) : *f.default_value;
  }
  return base;
}

// NaN and infinity (nan, inf, 1e999) are no setting's value: NaN passes
// every range check unnoticed and infinity overflows what it multiplies.
bool parseDouble(const std::string& s, double& out) {
  if (s.empty()) return false;
  char* end = nullptr;
  out = std::strtod(s.c_str(), &end);
  return end && *end == '\0' && std::isfinite(out);
}

bool inBounds(const Field& field, double v) {
  return !field.bounds || (v >= field.bounds->min && v <= field.bounds->max);
}
}  // namespace

SourceLocation SpecReader::where(const YAML::Node& node) const {
  const YAML::Mark m = node.Mark();
  if (m.is_null()) return {index_.file(), 0, 0};
  return {index_.file(), m.line + 1, m.column + 1};
}

nlohmann::json SpecReader::readAbsentObject(const YAML::Node& owner, const connector::SettingsSpec& fields,
                                            const std::string& pointer, const std::string& what) {
  const std::size_t before = problems_.size();
  nlohmann::json out = readObject(YAML::Node(YAML::NodeType::Map), fields, pointer, what);
  for (std::size_t i = before; i < problems_.size(); ++i) problems_[i].where = where(owner);
  return out;
}

void SpecReader::report(const YAML::Node& node, std::string message) {
  problems_.push_back({where(node), redact(message)});
}

bool SpecReader::scalarText(const YAML::Node& node, std::string& out, bool secret) {
  Substituted s = substitute(node.Scalar(), source_, baseDir_);
  if (!s.error.empty()) {
    report(node, s.error);
    return false;
  }
  if (secret) Redactor::global().addSecret(s.value);
  out = std::move(s.value);
  return true;
}

json SpecReader::readAny(const YAML::Node& node, const std::string& pointer, bool secret) {
  index_.set(pointer, where(node));
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return nullptr;
    case YAML::NodeType::Sequence: {
      json arr = json::array();
      std::size_t i = 0;
      for (const auto& item : node) arr.push_back(readAny(item, pointer + "/" + std::to_string(i++), secret));
      return arr;
    }
    case YAML::NodeType::Map: {
      json obj = json::object();
      std::map<std::string, YAML::Mark> seen;
      for (const auto& kv : node) {
        const std::string key = kv.first.Scalar();
        if (auto it = seen.find(key); it != seen.end()) {
          report(kv.first, "key '" + key + "' appears twice (first at line " + std::to_string(it->second.line + 1) + ")");
          continue;
        }
        seen[key] = kv.first.Mark();
        obj[key] = readAny(kv.second, pointer + "/" + pointerEscape(key), secret);
      }
      return obj;
    }
    case YAML::NodeType::Scalar: {
      std::string text;
      if (!scalarText(node, text, secret)) return nullptr;
      if (node.Tag() == "!") return text;  // quoted: always a string
      bool b;
      long long i;
      double d;
      if (text == "null" || text == "~") return nullptr;
      if (parseBool(text, b) && text != "yes" && text != "no" && text != "on" && text != "off") return b;
      if (parseInt(text, i)) return i;
      if (parseDouble(text, d)) return d;
      return text;
    }
  }
  return nullptr;
}

json SpecReader::readField(const YAML::Node& node, const Field& field, const std::string& pointer) {
  index_.set(pointer, where(node));
  const std::string name = "'" + field.name + "'";
  // Also for a value out of range: the message says what would be accepted.
  auto wrongType = [&] {
    const std::string range = rangeText(field);
    report(node, name + " must be " + std::string(kindName(field.kind)) + (range.empty() ? "" : " " + range) +
                     ", got " + (field.secret ? std::string("a value") : nodeKind(node)));
    return json();
  };
  switch (field.kind) {
    case FieldKind::Any:
      if (defer_ && defer_(pointer)) return json();
      return readAny(node, pointer, field.secret);
    case FieldKind::Object: {
      if (!node.IsMap()) return wrongType();
      std::string what = field.name;
      if (const YAML::Node n = node["name"]; n && n.IsScalar()) what += " '" + n.Scalar() + "'";
      return readObject(node, field.fields, pointer, what);
    }
    case FieldKind::List: {
      if (!node.IsSequence()) return wrongType();
      json arr = json::array();
      std::size_t i = 0;
      for (const auto& item : node) {
        json v = readField(item, *field.item, pointer + "/" + std::to_string(i++));
        arr.push_back(std::move(v));
      }
      return arr;
    }
    case FieldKind::Map: {
      if (!node.IsMap()) return wrongType();
      json obj = json::object();
      for (const auto& kv : node) {
        const std::string key = kv.first.Scalar();
        if (obj.contains(key)) {
          report(kv.first, "key '" + key + "' appears twice");
          continue;
        }
        obj[key] = readField(kv.second, *field.item, pointer + "/" + pointerEscape(key));
      }
      return obj;
    }
    default:
      break;
  }
  if (!node.IsScalar()) return wrongType();
  std::string text;
  if (!scalarText(node, text, field.secret)) return json();
  switch (field.kind) {
    case FieldKind::String:
      return text;
    case FieldKind::Integer: {
      long long v;
      if (!parseInt(text, v) || !inBounds(field, static_cast<double>(v))) return wrongType();
      return v;
    }
    case FieldKind::Number: {
      double v;
      if (!parseDouble(text, v) || !inBounds(field, v)) return wrongType();
      return v;
    }
    case FieldKind::Boolean: {
      bool v;
      if (!parseBool(text, v)) return wrongType();
      return v;
    }
    case FieldKind::Duration: {
      // Checked as a real number first: 99999999999999999d is out of range, not garbage.
      const auto millis = parseDurationMillis(text);
      const auto v = parseDuration(text);
      if (!millis || !inBounds(field, *millis) || !v) return wrongType();
      return *v;
    }
    case FieldKind::Enum: {
      for (const auto& c : field.choices)
        if (c == text) return text;
      std::string list;
      for (const auto& c : field.choices) list += (list.empty() ? "" : ", ") + c;
      report(node, name + " must be one of: " + list + "; got '" + text + "'" + didYouMean(text, field.choices));
      return json();
    }
    default:
      return text;
  }
}

json SpecReader::readObject(const YAML::Node& node, const connector::SettingsSpec& fields, const std::string& pointer,
                            const std::string& what) {
  index_.set(pointer, where(node));
  json out = json::object();
  if (!node.IsMap()) {
    report(node, what + " must be a mapping of keys, got " + nodeKind(node));
    return out;
  }
  std::vector<std::string> known;
  for (const auto& f : fields) known.push_back(f.name);
  std::map<std::string, int> seenLine;
  for (const auto& kv : node) {
    const std::string key = kv.first.Scalar();
    if (auto it = seenLine.find(key); it != seenLine.end()) {
      report(kv.first, "key '" + key + "' appears twice in " + what + " (first at line " + std::to_string(it->second) + ")");
      continue;
    }
    seenLine[key] = kv.first.Mark().line + 1;
    const Field* field = nullptr;
    for (const auto& f : fields)
      if (f.name == key) field = &f;
    if (!field) {
      report(kv.first, "unknown key '" + key + "' in " + what + didYouMean(key, known));
      continue;
    }
    json v = readField(kv.second, *field, pointer + "/" + pointerEscape(key));
    // `key: ~` stays null only where any value is allowed; elsewhere it was
    // reported, and a null block or text would break whoever reads the result.
    if (!v.is_null() || (kv.second.IsNull() && field->kind == FieldKind::Any)) out[key] = std::move(v);
  }
  for (const auto& f : fields) {
    if (out.contains(f.name) && !out[f.name].is_null()) continue;
    if (seenLine.count(f.name)) continue;  // present but invalid: already reported
    if (f.required) {
      report(node, "missing required key '" + f.name + "' in " + what);
    } else if (f.default_value) {
      out[f.name] = f.kind == FieldKind::Object ? defaultsOf(f.fields, *f.default_value) : *f.default_value;
    }
  }
  return out;
}

}  // namespace hub::config
