#pragma once
// What the DMS core accepts per entity, answered as field errors
// [{"field","code","message"}] the way its API reports them. References
// (an order's dealer and SKUs, stock's SKU) must exist, as in the real core.
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "connectors/dms/dms_entities.h"

namespace hub::connector::dms::sim {

using Exists = std::function<bool(const std::string& entity, const std::string& key)>;

// `merged` is the record after applying the upsert to what was stored.
nlohmann::json validateRecord(const EntityInfo& entity, const nlohmann::json& merged, const Exists& exists);

}  // namespace hub::connector::dms::sim
