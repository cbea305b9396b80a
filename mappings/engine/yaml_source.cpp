#include "mappings/engine/yaml_source.h"

#include <charconv>
#include <regex>

namespace hub::mapping::detail {

YamlSource::YamlSource(const std::string& text, std::string file) : file_(std::move(file)) {
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines_.push_back(std::move(line));
    start = end + 1;
  }
}

hub::SourceLocation YamlSource::locate(std::size_t line0, std::size_t byteColumn) const {
  std::size_t column = byteColumn;
  if (line0 < lines_.size()) {
    const std::string& l = lines_[line0];
    column = 0;
    for (std::size_t i = 0; i < byteColumn && i < l.size(); ++i)
      if ((static_cast<unsigned char>(l[i]) & 0xC0) != 0x80) ++column;  // editors count characters
  }
  return {file_, static_cast<int>(line0) + 1, static_cast<int>(column) + 1};
}

hub::SourceLocation YamlSource::at(const YAML::Mark& m) const {
  // yaml-cpp has no mark for an empty document (or a node it did not read):
  // the problem is the file's, and its start is where to look.
  if (m.line < 0) return {file_, 1, 1};
  return locate(static_cast<std::size_t>(m.line), static_cast<std::size_t>(m.column < 0 ? 0 : m.column));
}

hub::SourceLocation YamlSource::inScalar(const YAML::Node& n, std::size_t offset) const {
  const YAML::Mark m = n.Mark();
  if (m.line < 0 || static_cast<std::size_t>(m.line) >= lines_.size()) return at(m);
  const auto line0 = static_cast<std::size_t>(m.line), col0 = static_cast<std::size_t>(m.column);
  const std::string& l = lines_[line0];
  const char c = col0 < l.size() ? l[col0] : ' ';
  if (c == '"' || c == '\'') return locate(line0, col0 + 1 + offset);
  if (c != '|' && c != '>') return locate(line0, col0 + offset);
  // Block scalar: content starts on the next line; a line break (or the
  // space it folds into) is one character of the value.
  std::size_t indent = std::string::npos;
  for (std::size_t li = line0 + 1; li < lines_.size(); ++li) {
    const std::string& s = lines_[li];
    const std::size_t first = s.find_first_not_of(' ');
    if (first == std::string::npos) continue;
    if (indent == std::string::npos) indent = first;
    if (first < indent) break;
    const std::size_t len = s.size() - indent;
    if (offset <= len) return locate(li, indent + offset);
    offset -= len + 1;
  }
  return at(m);
}

std::string yamlKind(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Scalar: return "text";
    default: return "nothing";
  }
}

nlohmann::json yamlToJson(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map: {
      nlohmann::json out = nlohmann::json::object();
      for (auto it = n.begin(); it != n.end(); ++it) out[it->first.Scalar()] = yamlToJson(it->second);
      return out;
    }
    case YAML::NodeType::Sequence: {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& item : n) out.push_back(yamlToJson(item));
      return out;
    }
    case YAML::NodeType::Scalar: break;
    default: return nullptr;
  }
  const std::string& s = n.Scalar();
  if (n.Tag() == "!") return s;  // quoted
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  static const std::regex kInt("[-+]?[0-9]+");
  static const std::regex kFloat("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
  if (std::regex_match(s, kInt)) {
    // Codes like 007 are codes, not the number 7.
    const std::size_t digits = s[0] == '+' || s[0] == '-' ? 1 : 0;
    if (s.size() - digits > 1 && s[digits] == '0') return s;
    std::int64_t v = 0;
    const char* b = s.data() + (s[0] == '+' ? 1 : 0);
    if (std::from_chars(b, s.data() + s.size(), v).ec == std::errc()) return v;
    return s;
  }
  if (std::regex_match(s, kFloat)) return std::stod(s);
  return s;
}

}  // namespace hub::mapping::detail
