#include "hub/config/substitution.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "hub/core/redaction.h"

namespace hub::config {

SubstitutionSource SubstitutionSource::process() {
  SubstitutionSource s;
  s.env = [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (!v) return std::nullopt;
    return std::string(v);
  };
  s.file = [](const std::string& path) -> std::optional<std::string> {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream buf;
    buf << in.rdbuf();
    std::string v = buf.str();
    while (!v.empty() && (v.back() == '\n' || v.back() == '\r')) v.pop_back();
    return v;
  };
  return s;
}

Substituted substitute(const std::string& text, const SubstitutionSource& source, const std::string& baseDir) {
  Substituted out;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 3, "$${") == 0) {
      out.value += "${";
      i += 3;
      continue;
    }
    if (text.compare(i, 2, "${") != 0) {
      out.value += text[i++];
      continue;
    }
    const auto close = text.find('}', i + 2);
    if (close == std::string::npos) {
      out.error = "unterminated '${' in value";
      return out;
    }
    const std::string ref = text.substr(i + 2, close - i - 2);
    std::optional<std::string> value;
    if (ref.rfind("file:", 0) == 0) {
      std::string path = ref.substr(5);
      if (!path.empty() && path[0] != '/' && !baseDir.empty()) path = baseDir + "/" + path;
      value = source.file ? source.file(path) : std::nullopt;
      if (!value) {
        out.error = "cannot read secret file '" + path + "'";
        return out;
      }
    } else {
      if (ref.empty()) {
        out.error = "empty '${}' reference";
        return out;
      }
      value = source.env ? source.env(ref) : std::nullopt;
      if (!value) {
        out.error = "environment variable '" + ref + "' is not set";
        return out;
      }
    }
    Redactor::global().addSecret(*value);
    out.value += *value;
    out.hadSubstitution = true;
    i = close + 1;
  }
  return out;
}

}  // namespace hub::config
