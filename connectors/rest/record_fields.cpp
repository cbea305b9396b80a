#include "connectors/rest/record_fields.h"

#include <cctype>
#include <cmath>

#include "hub/core/numbers.h"
#include "hub/core/time.h"

namespace hub::connector::rest {
namespace {

bool allDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

}  // namespace

std::optional<TimeFormat> parseTimeFormat(std::string_view name) {
  if (name == "iso") return TimeFormat::Iso;
  if (name == "epoch_ms") return TimeFormat::EpochMillis;
  if (name == "epoch_s") return TimeFormat::EpochSeconds;
  return std::nullopt;
}

std::optional<int> parseZoneOffset(std::string_view zone) {
  if (zone.empty() || zone == "Z" || zone == "UTC") return 0;
  if (zone.size() < 3 || (zone[0] != '+' && zone[0] != '-')) return std::nullopt;
  const int sign = zone[0] == '-' ? -1 : 1;
  std::string digits;
  for (char c : zone.substr(1))
    if (c != ':') digits += c;
  if (!allDigits(digits) || (digits.size() != 2 && digits.size() != 4)) return std::nullopt;
  const int hours = static_cast<int>(*parseInteger(std::string_view(digits).substr(0, 2)));
  const int minutes = digits.size() == 4 ? static_cast<int>(*parseInteger(std::string_view(digits).substr(2))) : 0;
  if (hours > 14 || minutes > 59) return std::nullopt;
  return sign * (hours * 60 + minutes);
}

std::optional<Millis> readInstant(const nlohmann::json& value, TimeFormat format, int zoneMinutes) {
  std::optional<double> number;
  if (value.is_number()) {
    number = value.get<double>();
  } else if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    if (allDigits(text)) {
      const auto whole = parseInteger(text);
      if (!whole) return std::nullopt;  // more digits than any instant has
      number = static_cast<double>(*whole);
    } else {
      return parseIsoInstant(text, zoneMinutes);
    }
  } else {
    return std::nullopt;
  }
  // A bare number in an ISO field: epoch seconds when it is too small to be ms.
  const double millis =
      format == TimeFormat::EpochSeconds || (format == TimeFormat::Iso && *number < 1e11) ? *number * 1000 : *number;
  // Beyond Millis (1e300 from a remote body) the conversion would be undefined.
  if (!std::isfinite(millis) || std::fabs(millis) >= 9.2e18) return std::nullopt;
  return static_cast<Millis>(millis);
}

std::string formatInstant(Millis at, TimeFormat format) {
  switch (format) {
    case TimeFormat::EpochMillis: return std::to_string(at);
    case TimeFormat::EpochSeconds: return std::to_string(at / 1000);
    case TimeFormat::Iso: break;
  }
  return formatIsoMillis(at);
}

}  // namespace hub::connector::rest
