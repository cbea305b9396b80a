#pragma once
// Case-insensitive access to JSON members: Kingdee treats field keys without
// regard to case (FMaterialId, FMATERIALID), and so does the simulator.
#include <strings.h>

#include <nlohmann/json.hpp>
#include <string>

namespace hub::connector::kingdee::sim {

inline const nlohmann::json* member(const nlohmann::json& obj, const std::string& name) {
  if (!obj.is_object()) return nullptr;
  if (auto exact = obj.find(name); exact != obj.end()) return &*exact;  // the usual spelling, without a scan
  for (auto it = obj.begin(); it != obj.end(); ++it)
    if (strcasecmp(it.key().c_str(), name.c_str()) == 0) return &it.value();
  return nullptr;
}

inline nlohmann::json* member(nlohmann::json& obj, const std::string& name) {
  return const_cast<nlohmann::json*>(member(static_cast<const nlohmann::json&>(obj), name));
}

// Removes every spelling of `name`, so a re-set key has one spelling only.
inline void erase(nlohmann::json& obj, const std::string& name) {
  if (!obj.is_object()) return;
  for (auto it = obj.begin(); it != obj.end();) {
    if (strcasecmp(it.key().c_str(), name.c_str()) == 0) it = obj.erase(it);
    else ++it;
  }
}

inline std::string text(const nlohmann::json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

}  // namespace hub::connector::kingdee::sim

namespace hub::connector::kingdee::sim {

// A member's text, "" when absent.
inline std::string textOf(const nlohmann::json& obj, const std::string& name) {
  const nlohmann::json* v = member(obj, name);
  return v ? text(*v) : std::string();
}

}  // namespace hub::connector::kingdee::sim
