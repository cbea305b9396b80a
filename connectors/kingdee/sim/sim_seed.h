#pragma once
// Realistic Chinese dealer master data and documents for the simulator:
// customers with 省/市, groups and 统一社会信用代码 tax numbers (valid check
// character), materials with specifications, units 箱/瓶/件 and 13 %/9 % tax
// rates, stock per material × warehouse × lot, sales outbound bills and
// invoices. Deterministic for a given seed. Returns the JSON that
// KingdeeSimulator::loadSeed reads (the `--data FILE` format as well).
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "hub/core/time.h"

namespace hub::connector::kingdee::sim {

struct LandscapeSize {
  int customers = 300;
  int materials = 200;
  int outbound_bills = 400;
  int invoices = 200;
  std::uint64_t seed = 1;
  Millis first_change = 1735660800000;  // 2025-01-01 00:00 +08:00: modify dates spread from here
  Millis last_change = 1767196800000;   // to 2026-01-01 00:00 +08:00
};

nlohmann::json generateLandscape(const LandscapeSize& size);

// The 18-character unified social credit code check character (GB 32100-2015).
char creditCodeCheck(const std::string& first17);

}  // namespace hub::connector::kingdee::sim
