#pragma once
// Remembers where in the file every value of the loaded config came from, by
// JSON pointer, so checks that run after parsing can still say file:line:column.
#include <string>
#include <unordered_map>

#include "hub/core/problem.h"

namespace hub::config {

class LocationIndex {
 public:
  void set(const std::string& pointer, SourceLocation where) { map_[pointer] = std::move(where); }

  // The location of `pointer`, or of its nearest ancestor that has one.
  SourceLocation at(std::string pointer) const {
    while (true) {
      if (auto it = map_.find(pointer); it != map_.end()) return it->second;
      if (pointer.empty()) return {file_, 0, 0};
      pointer.erase(pointer.rfind('/'));
    }
  }
  Problem problem(const std::string& pointer, std::string message) const { return {at(pointer), std::move(message)}; }
  void setFile(std::string file) { file_ = std::move(file); }
  const std::string& file() const { return file_; }

 private:
  std::string file_;
  std::unordered_map<std::string, SourceLocation> map_;
};

}  // namespace hub::config
