#pragma once
// Kingdee's FilterString is a SQL WHERE fragment over field keys. The
// simulator understands the part integrations use: comparisons (= <> != < <=
// > >=), like, in (...), is [not] null, and / or / not, parentheses, quoted
// strings and dates ('' escapes a quote), numbers, and dotted base-data
// references (FCustId.FNumber). Comparison follows SQL Server's defaults:
// NULL compares false, strings case-insensitively, dates as instants.
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace hub::connector::kingdee::sim {

class FilterError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Filter {
 public:
  // Throws FilterError with the position of the problem. Empty text matches all.
  static Filter parse(const std::string& text);

  // `field` answers a field key's value for the row being tested.
  bool matches(const std::function<nlohmann::json(const std::string& field)>& field) const;
  // Every field key the filter mentions (to check they exist).
  std::vector<std::string> fields() const;

  struct Node;

 private:
  std::shared_ptr<const Node> root_;
};

// Orders two values the way the filter does: -1, 0, 1; nullopt when either is null.
std::optional<int> compareValues(const nlohmann::json& a, const nlohmann::json& b);

}  // namespace hub::connector::kingdee::sim
