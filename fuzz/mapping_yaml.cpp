// Mapping documents (mappings/engine): loaded, validated, and when they load,
// applied to two fixed records. Checks: no crash, no exception, and every
// problem has a place (line and column from 1), as R11 asks of every rejection.
#include <nlohmann/json.hpp>

#include "fuzz/fuzz_check.h"
#include "mappings/engine/mapping.h"

namespace {

using nlohmann::json;

const std::vector<json>& records() {
  static const std::vector<json> rs = {
      json::parse(R"({"order_no": "SO-1", "dealer_code": "D001", "order_date": "2024-03-31T16:30:00Z",
                      "currency": "CNY", "warehouse": "CK001", "amount": "12.50",
                      "ship_to": {"name": "Zhang", "province": "Zhejiang", "address": "1 Rd"},
                      "lines": [{"line_no": 1, "sku": "SKU-1", "qty": 2, "price": "10.25", "unit": "BOX",
                                 "tax_rate": 13, "amount": "20.50"},
                                {"line_no": 2, "sku": "SKU-9", "qty": "x", "unit": "??"}]})"),
      json::parse(R"({"FNumber": "MAT-0001", "FName": "Bolt", "FModifyDate": "2024-04-01 08:00:00",
                      "FCustId": {"FNumber": "CUST-1"}, "FEntity": [{"FQty": 1e308}, null, 7]})"),
  };
  return rs;
}

const hub::mapping::FixtureXrefLookup& xref() {
  static const auto lookup = *hub::mapping::FixtureXrefLookup::fromJson(json::parse(
      R"({"product": {"kingdee": {"SKU-1": {"id": "100231", "number": "MAT-0001"}}},
          "customer": {"kingdee": {"D001": "CUST-1"}}})"));
  return lookup;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string yaml(hub::fuzz::text(data, size));
  auto mapping = hub::mapping::MappingCatalog::loadString(yaml, "fuzz.yaml");
  if (!mapping) {
    FUZZ_CHECK(!mapping.error().empty());
    for (const auto& p : mapping.error()) {
      FUZZ_CHECK(p.where.line >= 1);
      FUZZ_CHECK(p.where.column >= 1);
      FUZZ_CHECK(!p.message.empty());
    }
    return 0;
  }
  hub::mapping::MappingContext ctx;
  ctx.xref = &xref();
  ctx.now = [] { return hub::Millis{1711900000000}; };
  for (const auto& record : records()) {
    const auto result = mapping->apply(record, ctx);
    for (const auto& p : result.problems) FUZZ_CHECK(!p.kind.empty());
    (void)result.document.dump(-1, ' ', false, json::error_handler_t::replace);
  }
  return 0;
}
