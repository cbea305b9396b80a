#pragma once
// Realistic Chinese dealer data for the DMS simulator, deterministic for a
// seed. The numbering matches the Kingdee simulator's (sim_seed.h), so both
// sides of the example landscape refer to the same things:
//   dealers (customers)  C00001 … C{customers}   = Kingdee BD_Customer FNumber
//   products (SKUs)      MAT00001 … MAT{products} = Kingdee BD_MATERIAL FNumber
//   warehouses           CK001 广州总仓, CK002 上海仓, CK003 成都仓, CK004 北京仓
//   units                BOX 箱, BTL 瓶, PCS 件; tax rates 13 and 9 (%)
//   orders               SO{yyyymmdd}{nnnnn} (nnnnn = running number), lines numbered from 1, SKUs from the products above
//   invoices             FP{yyyymmdd}{nnnnn} for shipped orders
// Returns {"customers":[...],"products":[...],"orders":[...],"stock":[...],
// "invoices":[...]}, each record with its updated_at: the `--data FILE` format.
#include <cstdint>
#include <nlohmann/json.hpp>

#include "hub/core/time.h"

namespace hub::connector::dms::sim {

struct SeedSize {
  int customers = 300;
  int products = 200;
  int orders = 2000;
  int invoices = 300;
  std::uint64_t seed = 1;
  Millis first_change = 1735660800000;  // 2025-01-01 00:00 +08:00
  Millis last_change = 1767196800000;   // 2026-01-01 00:00 +08:00
};

nlohmann::json generateDealerData(const SeedSize& size);

// One new order of a dealer, as a dealer would place it in the DMS today.
nlohmann::json newOrder(std::uint64_t seed, long long sequence, int customers, int products, Millis at);

}  // namespace hub::connector::dms::sim
