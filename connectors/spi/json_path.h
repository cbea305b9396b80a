#pragma once
// Finding a value in a JSON document by the path a user writes in config:
// dotted ("data.object.id", array steps by index: "items.0.sku") or a JSON
// pointer ("/data/object/id", RFC 6901 escapes). Pulls, pushes and pushed
// webhook bodies all resolve paths here, so a path means the same everywhere.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace hub::connector {

// The value at `path`; "" is the document itself. Null when any step is missing.
const nlohmann::json* findPath(const nlohmann::json& doc, std::string_view path);

// A key as text: strings as they are, numbers and booleans without quotes;
// "" for null or containers (a key must be a scalar).
std::string keyText(const nlohmann::json& value);

}  // namespace hub::connector
