#pragma once
// Reading a record's change time out of JSON, and writing instants the way an API expects them in a query. Shared by the
// rest and file connectors, whose users name fields in their own systems'
// terms ("data.items", "/meta/modified", "updated_at").
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "connectors/spi/json_path.h"
#include "connectors/spi/record.h"

namespace hub::connector::rest {

// Paths are resolved as everywhere in the hub (connectors/spi/json_path.h).
using connector::findPath;
using connector::keyText;

enum class TimeFormat { Iso, EpochMillis, EpochSeconds };
std::optional<TimeFormat> parseTimeFormat(std::string_view name);  // iso | epoch_ms | epoch_s

// "Z", "UTC", "+08:00", "-0530" -> minutes east of UTC.
std::optional<int> parseZoneOffset(std::string_view zone);

// An instant from a JSON string or number in `format`; zone-less ISO text is
// read at `zoneMinutes` east of UTC. Numbers and numeric strings are accepted
// in every format (an ISO-configured field holding epoch ms is read as ms).
std::optional<Millis> readInstant(const nlohmann::json& value, TimeFormat format, int zoneMinutes = 0);

// For query parameters: ISO with milliseconds in UTC, or epoch numbers.
std::string formatInstant(Millis at, TimeFormat format);

}  // namespace hub::connector::rest
