#include "connectors/dms/dms_entities.h"

namespace hub::connector::dms {

const std::vector<EntityInfo>& entities() {
  static const std::vector<EntityInfo> all = {
      {"customers", "customer", "cus", {"code"}},
      {"products", "product", "prd", {"sku"}},
      {"orders", "order", "ord", {"order_no"}},
      {"stock", "stock", "stk", {"sku", "warehouse", "batch"}},
      {"invoices", "invoice", "inv", {"invoice_no"}},
  };
  return all;
}

const EntityInfo* findEntity(std::string_view name) {
  for (const auto& e : entities())
    if (e.name == name) return &e;
  return nullptr;
}

const EntityInfo* findEntityByEvent(std::string_view event) {
  for (const auto& e : entities())
    if (e.event == event) return &e;
  return nullptr;
}

std::vector<std::string> entityNames() {
  std::vector<std::string> out;
  for (const auto& e : entities()) out.push_back(e.name);
  return out;
}

std::string businessKey(const EntityInfo& entity, const nlohmann::json& record) {
  if (!record.is_object()) return {};
  std::string key;
  for (std::size_t i = 0; i < entity.key_fields.size(); ++i) {
    const auto& field = entity.key_fields[i];
    auto it = record.find(field);
    const bool optional = entity.key_fields.size() > 1 && field == "batch";  // stock without lots
    std::string part;
    if (it == record.end() || it->is_null()) {
      if (!optional) return {};
    } else if (it->is_string()) {
      part = it->get<std::string>();
    } else if (it->is_number()) {
      part = it->dump();
    } else {
      return {};
    }
    if (part.empty() && !optional) return {};
    key += (i ? "|" : "") + part;
  }
  return key;
}

}  // namespace hub::connector::dms
