#pragma once
// The DMS core's entities as its open API names them (README.md): the
// collection path, the event prefix of change webhooks, the id prefix and
// the business key. Shared by the connector and the simulator.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace hub::connector::dms {

struct EntityInfo {
  std::string name;                     // collection: customers, products, orders, stock, invoices
  std::string event;                    // webhook type prefix: customer, product, order, stock, invoice
  std::string id_prefix;                // DMS ids: cus_000001
  std::vector<std::string> key_fields;  // joined with '|' into the business key
};

const std::vector<EntityInfo>& entities();
const EntityInfo* findEntity(std::string_view name);
const EntityInfo* findEntityByEvent(std::string_view event);
std::vector<std::string> entityNames();

// The business key of a record ("C00001", "MAT00001|CK001|L2025010101");
// "" when a key field is missing or not a scalar (stock's batch may be "").
std::string businessKey(const EntityInfo& entity, const nlohmann::json& record);

}  // namespace hub::connector::dms
