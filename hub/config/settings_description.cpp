#include "hub/config/settings_description.h"

#include <cmath>
#include <cstdio>

#include "hub/core/time.h"

namespace hub::config {
using connector::Field;
using connector::FieldKind;
using nlohmann::json;

namespace {

std::string numberText(double v) {
  if (std::floor(v) == v && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return buf;
}

// A bound as hub.yaml would spell it, and as JSON for tools.
json boundValue(const Field& field, double v) {
  if (field.kind == FieldKind::Duration) return formatDuration(static_cast<Millis>(v));
  if (field.kind == FieldKind::Integer) return static_cast<std::int64_t>(v);
  return v;
}

std::string kindText(const Field& field) {
  switch (field.kind) {
    case FieldKind::String: return "string";
    case FieldKind::Integer: return "integer";
    case FieldKind::Number: return "number";
    case FieldKind::Boolean: return "boolean";
    case FieldKind::Duration: return "duration";
    case FieldKind::Enum: return "enum";
    case FieldKind::Object: return "object";
    case FieldKind::List: return "list of " + kindText(*field.item);
    case FieldKind::Map: return "map of " + kindText(*field.item);
    case FieldKind::Any: return "any";
  }
  return "any";
}

void describeInto(const connector::SettingsSpec& spec, const std::string& prefix, json& out) {
  for (const auto& f : spec) {
    json d = {{"name", prefix + f.name}, {"type", kindText(f)}, {"required", f.required}, {"secret", f.secret},
              {"doc", f.doc}};
    if (f.default_value && !f.secret && !(f.kind == FieldKind::Object && f.default_value->empty()))
      d["default"] = f.kind == FieldKind::Duration && f.default_value->is_number()
                         ? json(formatDuration(f.default_value->get<Millis>()))
                         : *f.default_value;
    if (f.bounds) {
      d["min"] = boundValue(f, f.bounds->min);
      d["max"] = boundValue(f, f.bounds->max);
    }
    if (!f.choices.empty()) d["choices"] = f.choices;
    out.push_back(std::move(d));
    if (f.kind == FieldKind::Object) describeInto(f.fields, prefix + f.name + ".", out);
    // A list of objects (a flow's targets): its members, under name[].
    if (f.item && f.item->kind == FieldKind::Object) describeInto(f.item->fields, prefix + f.name + "[].", out);
  }
}

}  // namespace

std::string rangeText(const Field& field) {
  if (!field.bounds) return {};
  return "from " + describedValue(boundValue(field, field.bounds->min)) + " to " +
         describedValue(boundValue(field, field.bounds->max));
}

std::string describedValue(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number()) return numberText(value.get<double>());
  return value.dump();
}

json describeSpec(const connector::SettingsSpec& spec) {
  json out = json::array();
  describeInto(spec, "", out);
  return out;
}

}  // namespace hub::config
