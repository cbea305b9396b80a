#pragma once
// Canonical entities: the hub's own shapes for customer, product, sales order,
// stock level and invoice (mappings/schemas/*.schema.json, compiled into the
// binary). Connectors map native <-> canonical, so N systems need 2N mappings.
#include <string>
#include <string_view>
#include <vector>

#include "mappings/canonical/json_schema.h"

namespace hub::mapping {

// "customer", "invoice", "product", "sales_order", "stock_level"
std::vector<std::string> canonicalEntities();
// The schema's JSON text, or empty for an unknown entity.
std::string_view canonicalSchemaText(std::string_view entity);
// Problems with paths ("lines[3].tax_rate"); an unknown entity is one problem.
std::vector<SchemaProblem> validateCanonical(std::string_view entity, const nlohmann::json& document);

}  // namespace hub::mapping
