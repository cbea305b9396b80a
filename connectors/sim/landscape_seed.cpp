#include "connectors/sim/landscape_seed.h"

#include <cmath>
#include <set>
#include <string>

#include "hub/core/time.h"

namespace hub::sim {

using nlohmann::json;

namespace {

json numberRef(const std::string& number) { return {{"FNumber", number}}; }

}  // namespace

json outboundBillsFor(const json& orders, int most) {
  json bills = json::array();
  long long carriage = 1000000000LL;
  for (const auto& order : orders) {
    if (static_cast<int>(bills.size()) >= most) break;
    const std::string status = order.value("status", "");
    if (status != "approved" && status != "shipped") continue;
    const bool full = status == "shipped";
    json entries = json::array();
    std::set<std::string> skus;
    for (const auto& line : order.value("lines", json::array())) {
      const std::string sku = line.value("sku", "");
      if (!skus.insert(sku).second) continue;  // the DMS matches a shipped SKU to its first line
      const double qty = line.value("qty", 0.0);
      const double shipped = full ? qty : std::floor(qty / 2);
      if (shipped <= 0) continue;
      entries.push_back({{"FMaterialID", numberRef(sku)},
                         {"FRealQty", shipped},
                         {"FStockID", numberRef(order.value("warehouse", "CK001"))},
                         {"FSoorDerno", order["order_no"]},
                         {"FTaxPrice", line.value("price", 0.0)}});
    }
    if (entries.empty()) continue;
    const Millis placed = parseIsoInstant(order.value("updated_at", "")).value_or(1735660800000);
    const Millis at = placed + 86400000;  // shipped the day after
    const std::string day = formatIsoSeconds(at + 8 * 3600000LL).substr(0, 10) + " 00:00:00";
    bills.push_back({{"FDate", day},
                     {"FCustomerID", numberRef(order.value("dealer_code", ""))},
                     {"FStockOrgId", numberRef("100")},
                     {"FSaleOrgId", numberRef("100")},
                     {"FBillTypeID", numberRef("XSCKD01_SYS")},
                     {"FCarriageNO", "SF" + std::to_string(carriage + static_cast<long long>(bills.size()) * 7919)},
                     {"FEntity", entries},
                     {"_modified_at", at},
                     {"_audited", true}});
  }
  return bills;
}

}  // namespace hub::sim
