#pragma once
// Where tests find the built binaries, the source tree and ../shared.
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include <gtest/gtest.h>

namespace hub::test {

#ifndef HUB_SOURCE_DIR_DEFAULT
#define HUB_SOURCE_DIR_DEFAULT "."
#endif
#ifndef HUB_BINARY_DIR_DEFAULT
#define HUB_BINARY_DIR_DEFAULT "."
#endif

inline std::filesystem::path sourceDir() {
  const char* env = std::getenv("HUB_SOURCE_DIR");
  return env ? env : HUB_SOURCE_DIR_DEFAULT;
}

inline std::filesystem::path binaryDir() {
  const char* env = std::getenv("HUB_BINARY_DIR");
  return env ? env : HUB_BINARY_DIR_DEFAULT;
}

inline std::string hubBinary() { return (binaryDir() / "hub" / "hub").string(); }
inline std::string hubSimBinary() { return (binaryDir() / "connectors" / "sim" / "hub-sim").string(); }

// ../shared beside the project root (or $HUB_SHARED_DIR); absent in a user's clone.
inline std::optional<std::filesystem::path> sharedDir() {
  if (const char* env = std::getenv("HUB_SHARED_DIR"); env && std::filesystem::exists(env)) return env;
  const auto beside = sourceDir().parent_path() / "shared";
  if (std::filesystem::exists(beside)) return beside;
  return std::nullopt;
}

}  // namespace hub::test

// Skips the test, saying why, when ../shared is not there.
#define HUB_REQUIRE_SHARED(var)                                                                        \
  auto var##_opt = ::hub::test::sharedDir();                                                           \
  if (!var##_opt) GTEST_SKIP() << "../shared not found beside the project (set HUB_SHARED_DIR); skipped"; \
  const std::filesystem::path var = *var##_opt
