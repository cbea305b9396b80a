#include "connectors/rest/record_fields.h"

#include <cctype>

#include "hub/core/time.h"

namespace hub::connector::rest {
namespace {

bool allDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

const nlohmann::json* step(const nlohmann::json* at, const std::string& name) {
  if (at->is_object()) {
    auto it = at->find(name);
    return it == at->end() ? nullptr : &*it;
  }
  if (at->is_array() && allDigits(name)) {
    const auto index = std::stoul(name);
    return index < at->size() ? &(*at)[index] : nullptr;
  }
  return nullptr;
}

}  // namespace

const nlohmann::json* findPath(const nlohmann::json& doc, std::string_view path) {
  const nlohmann::json* at = &doc;
  if (path.empty()) return at;
  const bool pointer = path.front() == '/';
  const char separator = pointer ? '/' : '.';
  if (pointer) path.remove_prefix(1);
  std::size_t start = 0;
  while (at) {
    const auto end = path.find(separator, start);
    std::string name(path.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (pointer) {  // RFC 6901 escapes
      for (std::size_t p; (p = name.find("~1")) != std::string::npos;) name.replace(p, 2, "/");
      for (std::size_t p; (p = name.find("~0")) != std::string::npos;) name.replace(p, 2, "~");
    }
    at = step(at, name);
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return at;
}

std::string keyText(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number() || value.is_boolean()) return value.dump();
  return {};
}

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
  const int hours = std::stoi(digits.substr(0, 2));
  const int minutes = digits.size() == 4 ? std::stoi(digits.substr(2)) : 0;
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
      number = std::stod(text);
    } else {
      return parseIsoInstant(text, zoneMinutes);
    }
  } else {
    return std::nullopt;
  }
  // A bare number in an ISO field: epoch seconds when it is too small to be ms.
  if (format == TimeFormat::EpochSeconds || (format == TimeFormat::Iso && *number < 1e11))
    return static_cast<Millis>(*number * 1000);
  return static_cast<Millis>(*number);
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
