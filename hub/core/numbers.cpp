#include "hub/core/numbers.h"

#include <algorithm>
#include <charconv>

namespace hub {

std::optional<std::int64_t> parseInteger(std::string_view text, std::int64_t min, std::int64_t max) {
  if (text.empty() || text.front() == '+') return std::nullopt;
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  if (value < min || value > max) return std::nullopt;
  return value;
}

std::optional<std::int64_t> parseSaturating(std::string_view digits, std::int64_t ceiling) {
  if (digits.empty() || ceiling < 0) return std::nullopt;
  std::int64_t value = 0;
  for (const char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    const int d = c - '0';
    // Past the ceiling the value stays there; the rest must still be digits.
    value = value >= ceiling || value > (ceiling - d) / 10 ? ceiling : std::min(ceiling, value * 10 + d);
  }
  return value;
}

}  // namespace hub
