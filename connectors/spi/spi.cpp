#include <algorithm>

#include "connectors/spi/errors.h"
#include "connectors/spi/json_path.h"
#include "connectors/spi/registry.h"
#include "connectors/spi/source.h"

namespace hub::connector {

namespace {

// The record or records a body carries, as PushedBody describes.
const nlohmann::json& recordsIn(const nlohmann::json& doc, const std::string& recordPath) {
  if (!recordPath.empty()) {
    const nlohmann::json* at = findPath(doc, recordPath);
    if (!at || at->is_null()) throw PermanentError("malformed_body", "the body has nothing at '" + recordPath + "'");
    return *at;
  }
  if (doc.is_object()) {
    // A list envelope; a `data` object (as in Stripe's events) is not one.
    for (const char* list : {"records", "data"}) {
      auto it = doc.find(list);
      if (it != doc.end() && it->is_array()) return *it;
    }
  }
  return doc;
}

// The key of `item` at `field`: a member of that name (which may hold dots),
// else the path.
std::string keyOf(const nlohmann::json& item, const std::string& field) {
  auto member = item.find(field);
  const nlohmann::json* at = member != item.end() ? &*member : findPath(item, field);
  return at ? keyText(*at) : std::string();
}

}  // namespace

std::vector<Record> Source::decodePushed(const PushedBody& pushed) {
  const nlohmann::json doc = nlohmann::json::parse(pushed.body, nullptr, false);
  if (doc.is_discarded()) throw PermanentError("malformed_body", "body is not valid JSON");
  const nlohmann::json& found = recordsIn(doc, pushed.record_path);
  const nlohmann::json one = found.is_object() ? nlohmann::json::array({found}) : nlohmann::json();
  const nlohmann::json& items = found.is_object() ? one : found;
  if (!items.is_array()) throw PermanentError("malformed_body", "body holds no records");
  std::vector<Record> out;
  const std::string field = keyField();
  for (const auto& item : items) {
    if (!item.is_object()) throw PermanentError("malformed_body", "a record is not a JSON object");
    Record r;
    r.key = keyOf(item, field);
    // An empty key would merge every such record into one.
    if (r.key.empty()) throw PermanentError("malformed_body", "a record has no '" + field + "' key (a non-empty string or number)");
    r.payload = item;
    out.push_back(std::move(r));
  }
  return out;
}

void Registry::add(ConnectorType type) { types_.push_back(std::move(type)); }

const ConnectorType* Registry::find(const std::string& name) const {
  for (const auto& t : types_)
    if (t.name == name) return &t;
  return nullptr;
}

std::vector<std::string> Registry::names() const {
  std::vector<std::string> out;
  for (const auto& t : types_) out.push_back(t.name);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace hub::connector
