#pragma once
// UTF-8 helpers: string functions count characters (code points), not bytes,
// so a Chinese customer name of 4 characters has length 4.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hub::jmes::utf8 {

// Bytes in the sequence that starts with `lead` (1 for stray continuation bytes).
inline std::size_t sequenceLength(unsigned char lead) {
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

inline std::size_t length(std::string_view s) {
  std::size_t n = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

// Byte offset of character `index` (s.size() when past the end).
inline std::size_t offsetOf(std::string_view s, std::size_t index) {
  std::size_t i = 0;
  while (i < s.size() && index > 0) {
    i += sequenceLength(static_cast<unsigned char>(s[i]));
    --index;
  }
  return i < s.size() ? i : s.size();
}

// Characters as views into s.
inline std::vector<std::string_view> characters(std::string_view s) {
  std::vector<std::string_view> out;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t n = sequenceLength(static_cast<unsigned char>(s[i]));
    if (i + n > s.size()) n = s.size() - i;
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}

inline std::string reverse(std::string_view s) {
  auto chars = characters(s);
  std::string out;
  out.reserve(s.size());
  for (auto it = chars.rbegin(); it != chars.rend(); ++it) out += *it;
  return out;
}

// The code point at byte offset i, advancing i; U+FFFD for malformed input.
inline std::uint32_t decode(std::string_view s, std::size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  const std::size_t n = sequenceLength(b0);
  if (n == 1 || i + n > s.size()) {
    ++i;
    return b0 < 0x80 ? b0 : 0xFFFD;
  }
  std::uint32_t cp = b0 & (0x7F >> n);
  for (std::size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += n;
  return cp;
}

}  // namespace hub::jmes::utf8
