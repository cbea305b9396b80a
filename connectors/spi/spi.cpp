#include <algorithm>

#include "connectors/spi/errors.h"
#include "connectors/spi/registry.h"
#include "connectors/spi/source.h"

namespace hub::connector {

std::vector<Record> Source::decodePushed(std::string_view body, std::string_view /*contentType*/) {
  nlohmann::json doc = nlohmann::json::parse(body, nullptr, false);
  if (doc.is_discarded()) throw PermanentError("malformed_body", "body is not valid JSON");
  const nlohmann::json* items = &doc;
  nlohmann::json single;
  if (doc.is_object() && doc.contains("records")) {
    items = &doc["records"];
  } else if (doc.is_object() && doc.contains("data") && (doc["data"].is_array() || doc["data"].is_object())) {
    items = &doc["data"];
  }
  if (items->is_object()) {
    single = nlohmann::json::array({*items});
    items = &single;
  }
  if (!items->is_array()) throw PermanentError("malformed_body", "body holds no records");
  std::vector<Record> out;
  const std::string field = keyField();
  for (const auto& item : *items) {
    if (!item.is_object()) throw PermanentError("malformed_body", "a record is not a JSON object");
    auto it = item.find(field);
    if (it == item.end() || it->is_null())
      throw PermanentError("malformed_body", "a record has no '" + field + "' key");
    Record r;
    r.key = it->is_string() ? it->get<std::string>() : it->dump();
    // Records are queued and deduplicated by key: an empty one would merge unrelated records.
    if (r.key.empty()) throw PermanentError("malformed_body", "a record has an empty '" + field + "' key");
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
