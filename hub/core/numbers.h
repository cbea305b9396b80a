#pragma once
// Whole numbers from text that came from outside the program (command-line
// arguments, HTTP headers, remote bodies, query strings): decimal digits with
// an optional leading '-', range-checked, never an exception and never
// undefined behaviour on overflow.
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>

namespace hub {

// Nothing unless the whole text is a number within [min, max].
std::optional<std::int64_t> parseInteger(std::string_view text,
                                         std::int64_t min = std::numeric_limits<std::int64_t>::min(),
                                         std::int64_t max = std::numeric_limits<std::int64_t>::max());

// Digits only, values above `ceiling` read as `ceiling` (however many digits):
// for sizes that only need an upper bound, such as a server's Retry-After.
std::optional<std::int64_t> parseSaturating(std::string_view digits, std::int64_t ceiling);

}  // namespace hub
