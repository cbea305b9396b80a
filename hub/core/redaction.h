#pragma once
// Secrets (passwords, tokens, signing keys) are registered once when config is
// loaded; everything that leaves the process as text (logs, CLI output, error
// messages, dead-letter bodies) passes through redact() first.
#include <string>
#include <string_view>

namespace hub {

class Redactor {
 public:
  static Redactor& global();

  // Values shorter than 4 characters are ignored: masking "1" or "ab"
  // everywhere would garble output without protecting anything.
  void addSecret(std::string_view value);
  void clear();
  std::string redact(std::string_view text) const;
  bool empty() const;

  static constexpr std::string_view kMask = "***";
};

inline std::string redact(std::string_view text) { return Redactor::global().redact(text); }

}  // namespace hub
