#include "hub/engine/idempotency.h"

#include "hub/core/digest.h"

namespace hub::engine {

std::string canonicalText(const nlohmann::json& doc) {
  return doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string contentHash(const nlohmann::json& doc) { return digest::sha256Hex(canonicalText(doc)); }

std::string idempotencyKey(const std::string& flow, const std::string& target, const std::string& key,
                           const std::string& hash) {
  std::string material = flow;
  material += '\n';
  material += target;
  material += '\n';
  material += key;
  material += '\n';
  material += hash;
  return digest::sha256Hex(material).substr(0, 32);
}

}  // namespace hub::engine
