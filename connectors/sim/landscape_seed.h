#pragma once
// The example landscape's two simulators describe one business: the Kingdee
// simulator's sales outbound bills (SAL_OUTSTOCK) ship the DMS simulator's
// own orders of the same --seed and --scale, so the hub's order-status flow
// finds every order an outbound bill names and never ships more than ordered.
#include <nlohmann/json.hpp>

namespace hub::sim {

// SAL_OUTSTOCK models for at most `most` of `orders` (DMS canonical orders):
// approved orders ship about half of each line, shipped orders ship in full;
// one entry per distinct SKU of an order, FSoorDerno = the DMS order number.
nlohmann::json outboundBillsFor(const nlohmann::json& orders, int most);

}  // namespace hub::sim
