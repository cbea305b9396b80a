// Reads a mapping document and reports every problem with file:line:column.
#include <algorithm>

#include "hub/core/suggest.h"
#include "mappings/engine/compiled.h"
#include "mappings/engine/yaml_source.h"
#include "mappings/functions/datetime.h"
#include "mappings/functions/hub_functions.h"

namespace hub::mapping::detail {
namespace {

const std::vector<std::string> kTopKeys = {"name", "version", "description", "source", "target",
                                           "timezone", "tables", "fields"};
const std::vector<std::string> kFieldKeys = {"expr", "value", "type", "required", "default",
                                             "for_each", "fields", "description"};
const std::vector<std::string> kEndpointKeys = {"system", "entity"};

std::vector<std::string> splitPath(const std::string& p) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = p.find('.', start);
    out.push_back(p.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) return out;
    start = dot + 1;
  }
}

void sortFields(std::vector<FieldNode>& fields) {
  // The order nlohmann::json keeps object members in, so the engine can append.
  std::sort(fields.begin(), fields.end(), [](const FieldNode& a, const FieldNode& b) { return a.key < b.key; });
  for (auto& f : fields) sortFields(f.children);
}

class Loader {
 public:
  Loader(const std::string& text, const std::string& file) : src_(text, file), text_(text) {}

  tl::expected<std::shared_ptr<const CompiledMapping>, Problems> run() {
    YAML::Node doc;
    try {
      doc = YAML::Load(text_);
    } catch (const YAML::Exception& e) {
      return tl::unexpected(Problems{{src_.at(e.mark), "invalid YAML: " + e.msg}});
    }
    auto m = std::make_shared<CompiledMapping>();
    m->file = src_.file();
    if (!doc.IsMap()) {
      report(doc, "a mapping document must be a YAML mapping with name, version, source, target and fields");
      return tl::unexpected(problems_);
    }
    checkKeys(doc, kTopKeys, "mapping document");
    m->name = text(doc, "name", true);
    m->version = text(doc, "version", true);
    m->description = text(doc, "description", false);
    m->source = endpoint(doc, "source");
    m->target = endpoint(doc, "target");
    m->timezone = text(doc, "timezone", false);
    if (!m->timezone.empty()) {
      m->zone = dt::findZone(m->timezone);
      if (!m->zone) report(doc["timezone"], "unknown time zone '" + m->timezone + "' (an IANA name like Asia/Shanghai)");
    }
    zone_ = m->zone ? m->zone : dt::defaultZone();
    if (doc["tables"]) tables(doc["tables"], m->tables);
    tables_ = &m->tables;
    const YAML::Node fields = doc["fields"];
    if (!fields) {
      report(doc, "missing 'fields': the target fields to produce");
    } else if (!fields.IsMap() || fields.size() == 0) {
      report(fields, "'fields' must be a mapping of target field → expression, got " + yamlKind(fields));
    } else {
      loadFields(fields, m->fields, "");
    }
    if (!problems_.empty()) return tl::unexpected(problems_);
    sortFields(m->fields);
    return std::shared_ptr<const CompiledMapping>(std::move(m));
  }

 private:
  void report(const YAML::Node& at, std::string message) { problems_.push_back({src_.at(at), std::move(message)}); }

  // Unknown keys (with a suggestion) and keys given twice.
  void checkKeys(const YAML::Node& map, const std::vector<std::string>& allowed, const std::string& what) {
    std::vector<std::string> seen;
    for (auto it = map.begin(); it != map.end(); ++it) {
      const std::string key = it->first.Scalar();
      if (std::find(seen.begin(), seen.end(), key) != seen.end()) report(it->first, "duplicate key '" + key + "' in " + what);
      seen.push_back(key);
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
        report(it->first, "unknown key '" + key + "' in " + what + didYouMean(key, allowed));
    }
  }

  std::string text(const YAML::Node& map, const std::string& key, bool required) {
    const YAML::Node n = map[key];
    if (!n) {
      if (required) report(map, "missing '" + key + "'");
      return {};
    }
    if (!n.IsScalar() || n.Scalar().empty()) {
      report(n, "'" + key + "' must be text, got " + yamlKind(n));
      return {};
    }
    return n.Scalar();
  }

  Endpoint endpoint(const YAML::Node& doc, const std::string& key) {
    const YAML::Node n = doc[key];
    if (!n) {
      report(doc, "missing '" + key + "': {system: ..., entity: ...}");
      return {};
    }
    if (!n.IsMap()) {
      report(n, "'" + key + "' must be a mapping {system: ..., entity: ...}, got " + yamlKind(n));
      return {};
    }
    checkKeys(n, kEndpointKeys, "'" + key + "'");
    return {text(n, "system", true), text(n, "entity", true)};
  }

  void tables(const YAML::Node& n, ValueTables& out) {
    if (!n.IsMap()) return report(n, "'tables' must map table names to {code: value} mappings, got " + yamlKind(n));
    for (auto it = n.begin(); it != n.end(); ++it) {
      const std::string name = it->first.Scalar();
      if (out.count(name)) report(it->first, "duplicate value table '" + name + "'");
      if (!it->second.IsMap() || it->second.size() == 0) {
        report(it->second, "value table '" + name + "' must be a non-empty mapping of code → value, got " + yamlKind(it->second));
        continue;
      }
      ValueTable& table = out[name];
      for (auto e = it->second.begin(); e != it->second.end(); ++e) {
        const std::string code = e->first.Scalar();
        if (table.count(code)) report(e->first, "duplicate code '" + code + "' in value table '" + name + "'");
        table[code] = yamlToJson(e->second);
      }
    }
  }

  void loadFields(const YAML::Node& map, std::vector<FieldNode>& level, const std::string& prefix) {
    for (auto it = map.begin(); it != map.end(); ++it) {
      const std::string key = it->first.Scalar();
      const auto segments = splitPath(key);
      if (key.empty() || std::any_of(segments.begin(), segments.end(), [](const auto& s) { return s.empty(); })) {
        report(it->first, "bad target field name '" + key + "': dotted paths need a name between the dots");
        continue;
      }
      place(level, segments, 0, it->first, it->second, prefix);
    }
  }

  // Walks (creating objects along) a dotted target path and loads the field at its end.
  void place(std::vector<FieldNode>& level, const std::vector<std::string>& segs, std::size_t i,
             const YAML::Node& keyNode, const YAML::Node& spec, const std::string& prefix) {
    const std::string path = prefix.empty() ? segs[i] : prefix + "." + segs[i];
    auto it = std::find_if(level.begin(), level.end(), [&](const FieldNode& f) { return f.key == segs[i]; });
    const bool last = i + 1 == segs.size();
    const bool objectSpec = last && spec.IsMap() && spec["fields"] && !spec["for_each"];
    if (it != level.end() && (!last || objectSpec)) {
      if (it->kind != FieldNode::Kind::Object) {
        report(keyNode, "target field '" + path + "' is already a value at line " + std::to_string(it->where.line) +
                            "; it cannot also hold nested fields");
        return;
      }
      if (last) return loadObjectSpec(*it, spec, path);
      return place(it->children, segs, i + 1, keyNode, spec, path);
    }
    if (it != level.end()) {
      report(keyNode, "target field '" + path + "' is defined twice (first at line " + std::to_string(it->where.line) + ")");
      return;
    }
    FieldNode node;
    node.key = segs[i];
    node.where = src_.at(keyNode);
    if (!last) {
      node.kind = FieldNode::Kind::Object;
      place(node.children, segs, i + 1, keyNode, spec, path);
    } else if (objectSpec) {
      node.kind = FieldNode::Kind::Object;
      loadObjectSpec(node, spec, path);
    } else if (!loadSpec(node, spec, path)) {
      return;
    }
    level.push_back(std::move(node));
  }

  void loadObjectSpec(FieldNode& node, const YAML::Node& spec, const std::string& path) {
    checkKeys(spec, kFieldKeys, "field '" + path + "'");
    for (const char* k : {"expr", "value", "type", "default", "required"})
      if (spec[k]) report(spec[k], "'" + std::string(k) + "' cannot be combined with nested 'fields' (field '" + path + "')");
    const YAML::Node fields = spec["fields"];
    if (!fields.IsMap() || fields.size() == 0)
      return report(fields, "'fields' of '" + path + "' must be a mapping of target field → expression");
    loadFields(fields, node.children, path);
  }

  // A value field or a for_each array; false when unusable.
  bool loadSpec(FieldNode& node, const YAML::Node& spec, const std::string& path) {
    if (spec.IsScalar()) {
      if (spec.Tag() != "!" && spec.Scalar().empty()) {
        report(spec, "field '" + path + "' has no expression");
        return false;
      }
      node.expr = expression(spec, path, FieldType{});
      return node.expr.has_value();
    }
    if (!spec.IsMap()) {
      report(spec, "field '" + path + "' must be an expression or a mapping with 'expr', got " + yamlKind(spec));
      return false;
    }
    checkKeys(spec, kFieldKeys, "field '" + path + "'");
    if (spec["for_each"]) return loadArray(node, spec, path);
    if (const YAML::Node t = spec["type"]) {
      auto parsed = t.IsScalar() ? parseFieldType(t.Scalar()) : tl::unexpected(std::string("'type' must be text"));
      if (!parsed) report(t, "field '" + path + "': " + parsed.error());
      else node.type = *parsed;
    }
    if (const YAML::Node r = spec["required"]) {
      if (!r.IsScalar() || (r.Scalar() != "true" && r.Scalar() != "false"))
        report(r, "'required' of field '" + path + "' must be true or false");
      node.required = r.IsScalar() && r.Scalar() == "true";
    }
    const YAML::Node e = spec["expr"], v = spec["value"];
    if (e && v) report(v, "field '" + path + "' has both 'expr' and 'value'; keep one");
    if (!e && !v) {
      report(spec, "field '" + path + "' needs 'expr' (or 'value' for a constant)");
      return false;
    }
    if (e) {
      if (!e.IsScalar()) {
        report(e, "'expr' of field '" + path + "' must be text, got " + yamlKind(e));
        return false;
      }
      node.expr = expression(e, path, node.type);
    } else {
      node.constant = constant(v, node.type, path, "value");
    }
    if (const YAML::Node d = spec["default"]) node.fallback = constant(d, node.type, path, "default");
    return node.expr.has_value() || node.constant.has_value();
  }

  bool loadArray(FieldNode& node, const YAML::Node& spec, const std::string& path) {
    node.kind = FieldNode::Kind::Array;
    for (const char* k : {"expr", "value", "type", "default"})
      if (spec[k]) report(spec[k], "'" + std::string(k) + "' cannot be used with 'for_each' (field '" + path + "')");
    if (const YAML::Node r = spec["required"]) node.required = r.IsScalar() && r.Scalar() == "true";
    const YAML::Node fe = spec["for_each"];
    if (!fe.IsScalar()) {
      report(fe, "'for_each' of '" + path + "' must be an expression giving an array");
      return false;
    }
    node.expr = expression(fe, path, FieldType{});
    if (node.expr) {
      const jmes::TypeSet t = jmes::staticType(node.expr->root());
      if ((t & ~jmes::kNull) != 0 && (t & jmes::kArray) == 0)
        report(fe, "type conflict: for_each of '" + path + "' must give an array, but the expression always gives " +
                       jmes::describeTypes(t & ~jmes::kNull));
    }
    const YAML::Node fields = spec["fields"];
    if (!fields || !fields.IsMap() || fields.size() == 0) {
      report(fields ? fields : spec, "for_each '" + path + "' needs 'fields': the fields of each element");
      return false;
    }
    loadFields(fields, node.children, path + "[]");
    return node.expr.has_value();
  }

  std::optional<nlohmann::json> constant(const YAML::Node& n, const FieldType& type, const std::string& path,
                                         const char* what) {
    if (!n.IsScalar() && type.kind != FieldType::Kind::Any) {
      report(n, "'" + std::string(what) + "' of field '" + path + "' must be a single value for type " + type.text);
      return std::nullopt;
    }
    nlohmann::json value = yamlToJson(n);
    if (value.is_null()) return value;
    auto converted = convertValue(jmes::Value::fromJson(value), type, zone_);
    if (!converted) {
      report(n, "'" + std::string(what) + "' of field '" + path + "': " + converted.error());
      return std::nullopt;
    }
    return value;  // converted again when used: dates depend on the zone in effect
  }

  std::optional<jmes::Expression> expression(const YAML::Node& n, const std::string& path, const FieldType& type) {
    const std::string& text = n.Scalar();
    auto compiled = jmes::compile(text, hubFunctions());
    auto problem = [&](const jmes::Error& e, const std::string& prefix) {
      problems_.push_back({src_.inScalar(n, e.offset),
                           "field '" + path + "': " + prefix + e.message + " [" + std::string(jmes::errorKindName(e.kind)) + "]"});
    };
    if (!compiled) {
      problem(compiled.error(), "");
      return std::nullopt;
    }
    bool ok = true;
    for (const auto& e : jmes::checkTypes(*compiled)) problem(e, "type conflict: "), ok = false;
    for (const auto& e : checkHubCalls(*compiled, *tables_)) problem(e, ""), ok = false;
    const jmes::TypeSet t = jmes::staticType(compiled->root()), accepted = acceptedTypes(type);
    if ((t & ~jmes::kNull) != 0 && (t & accepted & ~jmes::kNull) == 0) {
      problems_.push_back({src_.at(n), "field '" + path + "': type conflict: the field is " + type.text +
                                           " but the expression always gives " + jmes::describeTypes(t & ~jmes::kNull)});
      ok = false;
    }
    if (!ok) return std::nullopt;
    return std::move(*compiled);
  }

  YamlSource src_;
  const std::string& text_;
  const ValueTables* tables_ = nullptr;
  const date::time_zone* zone_ = nullptr;
  Problems problems_;
};

}  // namespace

tl::expected<std::shared_ptr<const CompiledMapping>, Problems> compileMapping(const std::string& yaml,
                                                                             const std::string& file) {
  return Loader(yaml, file).run();
}

}  // namespace hub::mapping::detail
