#include "hub/core/problem.h"

namespace hub {

std::string Problem::format() const {
  std::string out = where.file;
  if (where.line > 0) {
    out += ':' + std::to_string(where.line);
    if (where.column > 0) out += ':' + std::to_string(where.column);
  }
  if (!out.empty()) out += ": ";
  return out + message;
}

std::string formatAll(const Problems& problems) {
  std::string out;
  for (const auto& p : problems) out += p.format() + '\n';
  return out;
}

}  // namespace hub
