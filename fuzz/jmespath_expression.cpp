// JMESPath expressions with the hub's functions, compiled, type-checked and
// evaluated against one fixed document shaped like the records mappings see
// (a DMS order with lines, a Kingdee bill with base-data references).
// Checks: no crash, no exception out of compile()/search(), and every syntax
// error points into the expression (column 1..length+1).
#include <nlohmann/json.hpp>

#include "fuzz/fuzz_check.h"
#include "mappings/functions/hub_functions.h"
#include "mappings/jmespath/jmespath.h"

namespace {

using nlohmann::json;

const json& document() {
  static const json doc = json::parse(R"({
    "order_no": "SO-2024-0001", "dealer_code": "D001", "order_date": "2024-03-31T16:30:00Z",
    "currency": "CNY", "total": 1234.5, "qty": 3, "discount": null, "paid": false,
    "amount": "1234.50", "price": "0.1", "tax_rate": 13, "note": "收货 地址 ✓",
    "ship_to": {"name": "Zhang San", "province": "Zhejiang", "address": "1 West Lake Rd"},
    "lines": [
      {"line_no": 1, "sku": "SKU-1", "qty": 2, "price": "10.25", "unit": "BOX", "tags": ["a", "b"]},
      {"line_no": 2, "sku": "SKU-2", "qty": 1.5, "price": "3.333", "unit": "KG", "tags": []},
      {"line_no": 3, "sku": null, "qty": -1, "price": 7, "unit": "PCS"}
    ],
    "FCustId": {"FNumber": "CUST-0001"}, "FDate": "2024-04-01 00:30:00",
    "matrix": [[1, 2], [3, [4, 5]], []], "empty": {}, "big": 9007199254740993, "tiny": 1e-300
  })");
  return doc;
}

// The functions that read the host (map_value, root(), now()) get what a
// mapping run gives them, with a fixed clock so runs are reproducible.
struct Host {
  hub::mapping::ValueTables tables{{"units", {{"BOX", "BOX"}, {"KG", "KG"}}}, {"rates", {{"13", 13}}}};
  std::function<hub::Millis()> clock = [] { return hub::Millis{1711900000000}; };
  hub::mapping::HubHost host;
  Host() {
    host.tables = &tables;
    host.now = &clock;
    host.scopes.push_back({hub::jmes::Value::fromJson(document()), -1});
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = hub::fuzz::text(data, size);
  auto expr = hub::jmes::compile(text, hub::mapping::hubFunctions());
  if (!expr) {
    const auto& e = expr.error();
    if (e.kind == hub::jmes::ErrorKind::Syntax) {
      FUZZ_CHECK(e.column >= 1);
      FUZZ_CHECK(e.offset <= text.size());
    }
    (void)e.format();
    return 0;
  }
  for (const auto& e : hub::jmes::checkTypes(*expr)) (void)e.format();
  (void)hub::mapping::checkHubCalls(*expr, {});
  Host host;
  auto result = expr->search(document(), &host.host);
  // Strings from the expression may be any bytes; only the crash matters here.
  if (result) (void)result->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return 0;
}
