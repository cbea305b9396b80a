#include "hub/core/redaction.h"

#include <algorithm>
#include <mutex>
#include <shared_mutex>
#include <vector>

namespace hub {
namespace {
struct SecretSet {
  mutable std::shared_mutex mutex;
  std::vector<std::string> values;  // longest first, so a secret containing another is masked whole
};
SecretSet& secrets() {
  static SecretSet set;
  return set;
}
}  // namespace

Redactor& Redactor::global() {
  static Redactor instance;
  return instance;
}

void Redactor::addSecret(std::string_view value) {
  if (value.size() < 4) return;
  auto& s = secrets();
  std::unique_lock lock(s.mutex);
  if (std::find(s.values.begin(), s.values.end(), value) != s.values.end()) return;
  s.values.emplace_back(value);
  std::sort(s.values.begin(), s.values.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

void Redactor::clear() {
  auto& s = secrets();
  std::unique_lock lock(s.mutex);
  s.values.clear();
}

bool Redactor::empty() const {
  auto& s = secrets();
  std::shared_lock lock(s.mutex);
  return s.values.empty();
}

std::string Redactor::redact(std::string_view text) const {
  auto& s = secrets();
  std::shared_lock lock(s.mutex);
  std::string out(text);
  for (const auto& secret : s.values) {
    for (auto pos = out.find(secret); pos != std::string::npos; pos = out.find(secret, pos + kMask.size())) {
      out.replace(pos, secret.size(), kMask);
    }
  }
  return out;
}

}  // namespace hub
