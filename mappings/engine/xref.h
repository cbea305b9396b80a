#pragma once
// Cross-references: which id a record has in another system. The sync engine
// adapts the store's cross-reference table to XrefLookup; `hub map test
// --xref fixtures.json` uses FixtureXrefLookup.
#include <map>
#include <optional>
#include <string>
#include <unordered_map>

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

namespace hub::mapping {

struct XrefHit {
  std::string remote_id;
  std::string remote_number;  // the business key some systems reference by (Kingdee FNumber)
};

class XrefLookup {
 public:
  virtual ~XrefLookup() = default;
  virtual std::optional<XrefHit> find(const std::string& entity, const std::string& system,
                                      const std::string& localId) const = 0;
};

// Fixture-backed lookup. JSON shape:
//   {"product": {"kingdee": {"SKU-1": {"id": "100231", "number": "MAT-0001"}, "SKU-2": "100232"}}}
// (a plain string is the remote id, and the number too).
class FixtureXrefLookup final : public XrefLookup {
 public:
  static tl::expected<FixtureXrefLookup, std::string> fromJson(const nlohmann::json& fixtures);
  void add(const std::string& entity, const std::string& system, const std::string& localId, XrefHit hit);
  std::optional<XrefHit> find(const std::string& entity, const std::string& system,
                              const std::string& localId) const override;

 private:
  // entity -> system -> local id -> hit; looked up without building keys.
  std::map<std::string, std::map<std::string, std::unordered_map<std::string, XrefHit>, std::less<>>, std::less<>> hits_;
};

}  // namespace hub::mapping
