#pragma once
// "Did you mean …?" for misspelt keys, functions and names.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hub {

std::size_t editDistance(std::string_view a, std::string_view b);

// The closest candidate within a distance that scales with the word's length
// (1 for short words, up to a third of the length), or nothing.
std::optional<std::string> closestMatch(std::string_view word, const std::vector<std::string>& candidates);

// " (did you mean 'x'?)" or "" — ready to append to a message.
std::string didYouMean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace hub
