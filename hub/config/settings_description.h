#pragma once
// How a setting is shown to people and to tools, from the same SettingsSpec
// the reader checks against: the reader's messages and
// `hub connectors describe` state a range or a default in the same words.
#include <nlohmann/json.hpp>
#include <string>

#include "connectors/spi/settings_spec.h"

namespace hub::config {

// "from 1 to 64", "from 10ms to 1h"; empty for a field without bounds.
std::string rangeText(const connector::Field& field);

// Every setting of `spec`, members of objects as dotted names (auth.type),
// each {name, type, required, secret, doc[, default][, min, max][, choices]};
// a secret's default is never shown. Bounds and defaults as in hub.yaml.
nlohmann::json describeSpec(const connector::SettingsSpec& spec);

// A default, min or max of describeSpec() as text: 5s, 100, 0.01, none.
std::string describedValue(const nlohmann::json& value);

}  // namespace hub::config
