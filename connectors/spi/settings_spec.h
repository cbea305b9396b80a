#pragma once
// Declarative description of a configuration block (a connector's settings,
// a flow's pull options). The config loader validates YAML against it with
// file:line:column for every problem; the same description marks secrets for
// redaction and renders `hub connectors describe`.
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace hub::connector {

enum class FieldKind { String, Integer, Number, Boolean, Duration, Enum, Object, List, Map, Any };

// Inclusive bounds of an Integer, Number or Duration (milliseconds) value.
// Every numeric setting has one, so no value from a file reaches arithmetic
// that overflows, wraps or divides by zero. Bounds are whole numbers within
// ±2^53 for Integer and Duration, where a double holds them exactly.
struct Range {
  double min = 0;
  double max = 0;
};

struct Field {
  std::string name;
  FieldKind kind = FieldKind::String;
  std::string doc;
  bool required = false;
  bool secret = false;                         // masked in every output
  std::optional<nlohmann::json> default_value; // applied when absent
  std::optional<Range> bounds;                 // Integer, Number, Duration: checked when read
  std::vector<std::string> choices;            // Enum
  std::vector<Field> fields;                   // Object members
  std::shared_ptr<Field> item;                 // List / Map element

  // Builders, so a spec reads like a table.
  static Field string(std::string n) { return make(std::move(n), FieldKind::String); }
  static Field integer(std::string n) { return make(std::move(n), FieldKind::Integer); }
  static Field number(std::string n) { return make(std::move(n), FieldKind::Number); }
  static Field boolean(std::string n) { return make(std::move(n), FieldKind::Boolean); }
  static Field duration(std::string n) { return make(std::move(n), FieldKind::Duration); }
  static Field any(std::string n) { return make(std::move(n), FieldKind::Any); }
  static Field oneOf(std::string n, std::vector<std::string> c) {
    Field f = make(std::move(n), FieldKind::Enum);
    f.choices = std::move(c);
    return f;
  }
  static Field object(std::string n, std::vector<Field> members) {
    Field f = make(std::move(n), FieldKind::Object);
    f.fields = std::move(members);
    return f;
  }
  static Field list(std::string n, Field element) {
    Field f = make(std::move(n), FieldKind::List);
    f.item = std::make_shared<Field>(std::move(element));
    return f;
  }
  static Field map(std::string n, Field element) {
    Field f = make(std::move(n), FieldKind::Map);
    f.item = std::make_shared<Field>(std::move(element));
    return f;
  }

  Field&& require() && { required = true; return std::move(*this); }
  Field&& secretValue() && { secret = true; return std::move(*this); }
  Field&& describe(std::string d) && { doc = std::move(d); return std::move(*this); }
  Field&& byDefault(nlohmann::json v) && { default_value = std::move(v); return std::move(*this); }
  // Durations in milliseconds: .range(kSecondMs, kHourMs).
  Field&& range(double min, double max) && { bounds = Range{min, max}; return std::move(*this); }

 private:
  static Field make(std::string n, FieldKind k) {
    Field f;
    f.name = std::move(n);
    f.kind = k;
    return f;
  }
};

using SettingsSpec = std::vector<Field>;

// A problem found by a connector's own cross-field check, located by JSON
// pointer into its settings ("/auth/secret"); the loader turns the pointer
// into file:line:column.
struct SettingsIssue {
  std::string pointer;
  std::string message;
};

}  // namespace hub::connector
