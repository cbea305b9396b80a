#pragma once
// The mapping engine's xref() answered from the store's cross-reference
// table, cached for one batch: twenty order lines naming the same SKU cost
// one lookup.
#include <map>
#include <mutex>
#include <tuple>

#include "hub/store/store.h"
#include "mappings/engine/xref.h"

namespace hub::engine {

class StoreXrefLookup final : public mapping::XrefLookup {
 public:
  explicit StoreXrefLookup(store::CrossReference& xref) : xref_(xref) {}
  std::optional<mapping::XrefHit> find(const std::string& entity, const std::string& system,
                                       const std::string& localId) const override {
    auto key = std::make_tuple(entity, system, localId);
    std::lock_guard lock(mutex_);
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    std::optional<mapping::XrefHit> hit;
    if (auto e = xref_.find(entity, system, localId); e && (!e->remote_id.empty() || !e->remote_number.empty()))
      hit = mapping::XrefHit{e->remote_id, e->remote_number.empty() ? e->remote_id : e->remote_number};
    cache_.emplace(std::move(key), hit);
    return hit;
  }

 private:
  store::CrossReference& xref_;
  mutable std::mutex mutex_;
  mutable std::map<std::tuple<std::string, std::string, std::string>, std::optional<mapping::XrefHit>> cache_;
};

}  // namespace hub::engine
