#pragma once
// How a setting's range and values are shown to people, from the same
// SettingsSpec the reader checks against.
#include <nlohmann/json.hpp>
#include <string>

#include "connectors/spi/settings_spec.h"

namespace hub::config {

// "from 1 to 64", "from 10ms to 1h"; empty for a field without bounds.
std::string rangeText(const connector::Field& field);

// A value as it would be written in hub.yaml: 5s for a duration, 100, true, text.
std::string valueText(const connector::Field& field, const nlohmann::json& value);

}  // namespace hub::config
