#include "mappings/engine/xref.h"

namespace hub::mapping {

tl::expected<FixtureXrefLookup, std::string> FixtureXrefLookup::fromJson(const nlohmann::json& fixtures) {
  FixtureXrefLookup out;
  if (!fixtures.is_object()) return tl::unexpected(std::string("xref fixtures must be {entity: {system: {id: ...}}}"));
  for (const auto& [entity, systems] : fixtures.items()) {
    if (!systems.is_object()) return tl::unexpected("xref fixtures: '" + entity + "' must map systems to ids");
    for (const auto& [system, ids] : systems.items()) {
      if (!ids.is_object()) return tl::unexpected("xref fixtures: '" + entity + "." + system + "' must map local ids to remote ones");
      for (const auto& [local, remote] : ids.items()) {
        XrefHit hit;
        if (remote.is_string()) {
          hit.remote_id = hit.remote_number = remote.get<std::string>();
        } else if (remote.is_object()) {
          hit.remote_id = remote.value("id", "");
          hit.remote_number = remote.value("number", hit.remote_id);
        } else {
          return tl::unexpected("xref fixtures: '" + entity + "." + system + "." + local +
                                "' must be a remote id or {\"id\": ..., \"number\": ...}");
        }
        out.add(entity, system, local, std::move(hit));
      }
    }
  }
  return out;
}

void FixtureXrefLookup::add(const std::string& entity, const std::string& system, const std::string& localId, XrefHit hit) {
  hits_[entity][system][localId] = std::move(hit);
}

std::optional<XrefHit> FixtureXrefLookup::find(const std::string& entity, const std::string& system,
                                               const std::string& localId) const {
  auto e = hits_.find(entity);
  if (e == hits_.end()) return std::nullopt;
  auto s = e->second.find(system);
  if (s == e->second.end()) return std::nullopt;
  auto id = s->second.find(localId);
  if (id == s->second.end()) return std::nullopt;
  return id->second;
}

}  // namespace hub::mapping
