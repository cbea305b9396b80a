#include "connectors/dms/sim/dms_seed.h"

#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

namespace hub::connector::dms::sim {

using nlohmann::json;

namespace {

struct Place {
  const char* province;
  const char* city;
  const char* region;
};
const std::vector<Place> kPlaces = {
    {"广东省", "广州市", "440100"}, {"广东省", "深圳市", "440300"}, {"浙江省", "杭州市", "330100"},
    {"江苏省", "南京市", "320100"}, {"江苏省", "苏州市", "320500"}, {"四川省", "成都市", "510100"},
    {"湖北省", "武汉市", "420100"}, {"山东省", "青岛市", "370200"}, {"河南省", "郑州市", "410100"},
    {"福建省", "厦门市", "350200"}, {"湖南省", "长沙市", "430100"}, {"陕西省", "西安市", "610100"},
    {"北京市", "北京市", "110100"}, {"上海市", "上海市", "310100"}};
const std::vector<const char*> kBrands = {"恒达", "鑫源", "华联", "金盛", "宏远", "永盛", "嘉禾", "瑞丰",
                                          "丰泰", "新华", "万通", "德润", "百川", "隆兴", "盛世", "海川"};
const std::vector<const char*> kTrades = {"商贸", "食品", "贸易", "供应链", "酒业", "百货"};
const std::vector<const char*> kGroups = {"KH01", "KH02", "KH03", "KH04"};
const std::vector<const char*> kSurnames = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"};
const std::vector<const char*> kGiven = {"伟", "芳", "娜", "敏", "静", "强", "磊", "洋", "勇", "军", "杰", "涛"};
struct Product {
  const char* name;
  const char* spec;
  const char* unit;
  int pack;  // pieces per base unit, for the second unit
  int tax;
  const char* category;
};
const std::vector<Product> kProducts = {
    {"天然矿泉水", "550ml*24瓶", "BOX", 24, 13, "WL01"}, {"纯净水", "5L*4桶", "BOX", 4, 13, "WL01"},
    {"精酿啤酒", "500ml*12罐", "BOX", 12, 13, "WL02"},   {"黄酒", "500ml", "BTL", 1, 13, "WL02"},
    {"白酒 52度", "500ml", "BTL", 1, 13, "WL02"},        {"花生油", "5L", "BTL", 1, 13, "WL03"},
    {"东北大米", "10kg", "PCS", 1, 9, "WL04"},           {"有机小米", "2.5kg", "PCS", 1, 9, "WL04"},
    {"鲜牛奶", "250ml*12盒", "BOX", 12, 9, "WL05"},      {"酸奶", "200g*16杯", "BOX", 16, 13, "WL05"},
    {"苏打饼干", "400g*20包", "BOX", 20, 13, "WL06"},    {"方便面", "108g*24袋", "BOX", 24, 13, "WL06"}};
const std::vector<const char*> kWarehouses = {"CK001", "CK002", "CK003", "CK004"};

std::string padded(const char* prefix, long long n, int width) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s%0*lld", prefix, width, n);
  return buf;
}

double money(double v) { return std::round(v * 100) / 100; }

class Draw {
 public:
  explicit Draw(std::uint64_t seed) : rng_(seed) {}
  std::size_t pick(std::size_t n) { return static_cast<std::size_t>(rng_() % n); }
  long long between(long long lo, long long hi) {
    return lo + static_cast<long long>(rng_() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  template <class T>
  const T& of(const std::vector<T>& v) { return v[pick(v.size())]; }

 private:
  std::mt19937_64 rng_;
};

const Product& productOf(int index) { return kProducts[static_cast<std::size_t>(index * 7 + 3) % kProducts.size()]; }
double priceOf(int index) { return money(8.0 + static_cast<double>((index * 37) % 400) + (index % 10) * 0.5); }
std::string ymd(Millis at) {  // +08:00 calendar day
  std::string iso = formatIsoSeconds(at + 8 * 3600000LL).substr(0, 10);
  return iso;
}

json orderLines(Draw& d, int products, int count) {
  json lines = json::array();
  for (int k = 1; k <= count; ++k) {
    const int idx = static_cast<int>(d.between(1, products));
    const Product& p = productOf(idx);
    const double qty = static_cast<double>(d.between(1, 120));
    const double price = priceOf(idx);
    lines.push_back({{"line_no", k}, {"sku", padded("MAT", idx, 5)}, {"unit", p.unit}, {"qty", qty},
                     {"price", price}, {"tax_rate", p.tax}, {"amount", money(qty * price)}, {"shipped_qty", 0}});
  }
  return lines;
}

double total(const json& lines) {
  double t = 0;
  for (const auto& l : lines) t += l["amount"].get<double>();
  return money(t);
}

}  // namespace

json newOrder(std::uint64_t seed, long long sequence, int customers, int products, Millis at) {
  Draw d(seed * 1000003 + static_cast<std::uint64_t>(sequence));
  const Place& place = d.of(kPlaces);
  json lines = orderLines(d, products, static_cast<int>(d.between(1, 6)));
  std::string day = ymd(at);
  day.erase(4, 1).erase(6, 1);
  return {{"order_no", "SO" + day + padded("", sequence % 100000, 5)},
          {"dealer_code", padded("C", d.between(1, customers), 5)},
          {"order_date", ymd(at)},
          {"status", "submitted"},
          {"currency", "CNY"},
          {"warehouse", d.of(kWarehouses)},
          {"ship_to", {{"name", std::string(d.of(kSurnames)) + d.of(kGiven)}, {"province", place.province},
                       {"city", place.city}, {"address", std::string(place.city) + "物流园" + std::to_string(d.between(1, 99)) + "号"}}},
          {"lines", lines},
          {"total_amount", total(lines)},
          {"updated_at", formatIsoMillis(at)}};
}

json generateDealerData(const SeedSize& size) {
  Draw d(size.seed);
  auto when = [&] { return d.between(size.first_change, size.last_change) / 1000 * 1000; };
  json out = {{"customers", json::array()}, {"products", json::array()}, {"orders", json::array()},
              {"stock", json::array()}, {"invoices", json::array()}};
  for (int i = 1; i <= size.customers; ++i) {
    const Place& p = d.of(kPlaces);
    std::string tax = std::string("91") + p.region;
    for (int k = 0; k < 10; ++k) tax += static_cast<char>('0' + d.pick(10));
    out["customers"].push_back(
        {{"code", padded("C", i, 5)}, {"name", std::string(p.city) + d.of(kBrands) + d.of(kTrades) + "有限公司"},
         {"group", d.of(kGroups)}, {"type", "dealer"}, {"tax_id", tax}, {"province", p.province}, {"city", p.city},
         {"address", std::string(p.city) + "经济开发区" + std::to_string(d.between(1, 399)) + "号"},
         {"contact", {{"name", std::string(d.of(kSurnames)) + d.of(kGiven)}, {"phone", "1" + std::to_string(d.between(3000000000LL, 9899999999LL))}}},
         {"status", d.pick(20) == 0 ? "disabled" : "active"}, {"updated_at", formatIsoMillis(when())}});
  }
  for (int i = 1; i <= size.products; ++i) {
    const Product& p = productOf(i);
    json units = json::array({{{"unit", p.unit}, {"factor", 1}}});
    if (p.pack > 1) units.push_back({{"unit", "PCS"}, {"factor", 1.0 / p.pack}});
    out["products"].push_back({{"sku", padded("MAT", i, 5)}, {"name", std::string(d.of(kBrands)) + p.name},
                               {"spec", p.spec}, {"category", p.category}, {"base_unit", p.unit}, {"units", units},
                               {"barcode", "69" + std::to_string(d.between(10000000000LL, 99999999999LL))},
                               {"tax_rate", p.tax}, {"price", priceOf(i)}, {"status", "active"},
                               {"updated_at", formatIsoMillis(when())}});
    for (int r = 0; r < static_cast<int>(d.between(1, 3)); ++r) {
      const double onHand = static_cast<double>(d.between(0, 5000));
      const double reserved = std::floor(onHand * static_cast<double>(d.between(0, 30)) / 100);
      out["stock"].push_back({{"sku", padded("MAT", i, 5)}, {"warehouse", kWarehouses[(i + r) % 4]},
                              {"batch", "L2025" + padded("", d.between(1, 12), 2) + padded("", r + 1, 2)},
                              {"on_hand", onHand}, {"reserved", reserved}, {"available", onHand - reserved},
                              {"unit", p.unit}, {"updated_at", formatIsoMillis(when())}});
    }
  }
  for (int i = 1; i <= size.orders; ++i) {
    const Millis at = when();
    json order = newOrder(size.seed, i, size.customers, size.products, at);
    const auto roll = d.pick(10);
    order["status"] = roll < 4 ? "submitted" : roll < 7 ? "approved" : "shipped";
    if (order["status"] == "shipped")
      for (auto& l : order["lines"]) l["shipped_qty"] = l["qty"];
    if (order["status"] == "shipped" && static_cast<int>(out["invoices"].size()) < size.invoices) {
      json lines = json::array();
      double amount = 0, taxAmount = 0;
      for (const auto& l : order["lines"]) {
        const double net = money(l["amount"].get<double>() / (1 + l["tax_rate"].get<double>() / 100));
        const double tax = money(l["amount"].get<double>() - net);
        amount += net;
        taxAmount += tax;
        lines.push_back({{"line_no", l["line_no"]}, {"sku", l["sku"]}, {"qty", l["qty"]}, {"price", l["price"]},
                         {"tax_rate", l["tax_rate"]}, {"amount", net}, {"tax_amount", tax}});
      }
      out["invoices"].push_back({{"invoice_no", "FP" + order["order_no"].get<std::string>().substr(2)},
                                 {"type", d.pick(3) == 0 ? "vat_special" : "vat_ordinary"},
                                 {"dealer_code", order["dealer_code"]}, {"order_no", order["order_no"]},
                                 {"invoice_date", order["order_date"]}, {"currency", "CNY"}, {"lines", lines},
                                 {"amount", money(amount)}, {"tax_amount", money(taxAmount)},
                                 {"total", money(amount + taxAmount)}, {"updated_at", formatIsoMillis(at + 86400000)}});
    }
    out["orders"].push_back(std::move(order));
  }
  return out;
}

}  // namespace hub::connector::dms::sim
