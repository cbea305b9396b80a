#pragma once
// What the fuzz targets share: the input as text, and a check that aborts
// with a message. An abort is what both libFuzzer and the ctest replay report
// as a failure, and unlike assert() it is not compiled out by NDEBUG.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace hub::fuzz {

inline std::string_view text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

[[noreturn]] inline void failed(const char* what, const char* file, int line) {
  std::fprintf(stderr, "%s:%d: fuzz check failed: %s\n", file, line, what);
  std::abort();
}

}  // namespace hub::fuzz

#define FUZZ_CHECK(cond) ((cond) ? (void)0 : ::hub::fuzz::failed(#cond, __FILE__, __LINE__))
