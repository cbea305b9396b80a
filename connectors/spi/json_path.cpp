#include "connectors/spi/json_path.h"

#include <charconv>

namespace hub::connector {
namespace {

const nlohmann::json* step(const nlohmann::json* at, const std::string& name) {
  if (at->is_object()) {
    auto it = at->find(name);
    return it == at->end() ? nullptr : &*it;
  }
  if (at->is_array() && !name.empty()) {
    std::size_t index = 0;
    const auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), index);
    // Not a number, or one past any array's size: no such element.
    if (ec != std::errc() || end != name.data() + name.size()) return nullptr;
    return index < at->size() ? &(*at)[index] : nullptr;
  }
  return nullptr;
}

// RFC 6901 in one pass, so "~01" is "~1" (not "/").
std::string unescape(const std::string& token) {
  std::string out;
  for (std::size_t i = 0; i < token.size(); ++i) {
    if (token[i] == '~' && i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
      out += token[++i] == '0' ? '~' : '/';
    } else {
      out += token[i];
    }
  }
  return out;
}

}  // namespace

const nlohmann::json* findPath(const nlohmann::json& doc, std::string_view path) {
  const nlohmann::json* at = &doc;
  if (path.empty()) return at;
  const bool pointer = path.front() == '/';
  const char separator = pointer ? '/' : '.';
  if (pointer) path.remove_prefix(1);
  std::size_t start = 0;
  while (at) {
    const auto end = path.find(separator, start);
    std::string name(path.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (pointer) name = unescape(name);
    at = step(at, name);
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return at;
}

std::string keyText(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number() || value.is_boolean()) return value.dump();
  return {};
}

}  // namespace hub::connector
