#pragma once
// A Problem is something wrong with what a person wrote (a config file, a
// mapping, a request), told with where it is so they can go straight to it.
#include <string>
#include <vector>

namespace hub {

struct SourceLocation {
  std::string file;
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based; 0 when unknown
};

struct Problem {
  SourceLocation where;
  std::string message;

  // "file:line:column: message" (parts that are unknown are left out).
  std::string format() const;
};

using Problems = std::vector<Problem>;

std::string formatAll(const Problems& problems);

}  // namespace hub
