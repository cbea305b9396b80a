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

}  // namespace

std::string rangeText(const Field& field) {
  if (!field.bounds) return {};
  return "from " + valueText(field, boundValue(field, field.bounds->min)) + " to " +
         valueText(field, boundValue(field, field.bounds->max));
}

std::string valueText(const Field& field, const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (field.kind == FieldKind::Duration && value.is_number_integer()) return formatDuration(value.get<Millis>());
  if (value.is_number()) return numberText(value.get<double>());
  return value.dump();
}

}  // namespace hub::config
