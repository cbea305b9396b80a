#pragma once
// Target field types and the conversions applied to a field's value.
#include <string>
#include <string_view>

#include <tl/expected.hpp>

#include "mappings/jmespath/functions.h"

namespace date {
class time_zone;
}

namespace hub::mapping {

struct FieldType {
  enum class Kind { Any, String, Int, Decimal, Bool, Date, DateTime };
  Kind kind = Kind::Any;
  int precision = 0, scale = 0;  // decimal(p,s)
  std::string text;              // as written, for messages
};

// "string", "int", "decimal(18,2)", "bool", "date", "datetime"; the error names the valid ones.
tl::expected<FieldType, std::string> parseFieldType(std::string_view text);

// Value types a field of this type can convert (for load-time type conflicts).
jmes::TypeSet acceptedTypes(const FieldType& t);

// Converts a non-null value; the error says why it cannot. Dates are read and
// written in `zone`: date -> "2024-05-01", datetime -> "2024-05-01T10:30:00+08:00".
tl::expected<nlohmann::json, std::string> convertValue(const jmes::Value& v, const FieldType& t,
                                                       const date::time_zone* zone);
// The same, written into `slot` (reusing its string storage); false with `why` set on failure.
bool convertInto(const jmes::Value& v, const FieldType& t, const date::time_zone* zone, nlohmann::json& slot,
                 std::string& why);

}  // namespace hub::mapping
