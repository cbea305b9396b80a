#pragma once
// Content hashes and idempotency keys. A key is stable for (flow, target,
// record key, mapped content): a retry of the same content carries the same
// key, so a target that honours keys absorbs duplicates, while changed
// content gets a new key and is applied.
#include <nlohmann/json.hpp>
#include <string>

namespace hub::engine {

// sha256 of the canonical JSON text (objects are key-ordered by nlohmann::json).
std::string contentHash(const nlohmann::json& doc);
std::string canonicalText(const nlohmann::json& doc);

std::string idempotencyKey(const std::string& flow, const std::string& target, const std::string& key,
                           const std::string& contentHash);

}  // namespace hub::engine
