#include "connectors/kingdee/sim/sim_seed.h"

#include <cstdio>
#include <random>
#include <vector>

namespace hub::connector::kingdee::sim {

using nlohmann::json;

namespace {

struct Place {
  const char* province;
  const char* city;
  const char* region_code;  // administrative division code, first 6 of the credit code
};

const std::vector<Place> kPlaces = {
    {"广东省", "广州市", "440100"}, {"广东省", "深圳市", "440300"}, {"浙江省", "杭州市", "330100"},
    {"浙江省", "宁波市", "330200"}, {"江苏省", "南京市", "320100"}, {"江苏省", "苏州市", "320500"},
    {"四川省", "成都市", "510100"}, {"湖北省", "武汉市", "420100"}, {"山东省", "济南市", "370100"},
    {"山东省", "青岛市", "370200"}, {"河南省", "郑州市", "410100"}, {"福建省", "厦门市", "350200"},
    {"湖南省", "长沙市", "430100"}, {"陕西省", "西安市", "610100"}, {"北京市", "北京市", "110100"},
    {"上海市", "上海市", "310100"},
};
const std::vector<const char*> kBrands = {"恒达", "鑫源", "华联", "金盛", "宏远", "永盛", "嘉禾", "瑞丰", "丰泰",
                                          "新华", "万通", "德润", "百川", "隆兴", "盛世", "福临", "海川", "天禾"};
const std::vector<const char*> kTrades = {"商贸", "食品", "贸易", "供应链", "酒业", "百货", "饮品"};
struct Group {
  const char* number;
  const char* name;
};
const std::vector<Group> kGroups = {{"KH01", "一级经销商"}, {"KH02", "二级分销商"}, {"KH03", "商超连锁"},
                                    {"KH04", "餐饮渠道"}};
struct Product {
  const char* name;
  const char* spec;
  const char* unit;       // unit number
  bool reduced_rate;      // 9 % (agricultural goods) instead of 13 %
  const char* group;
};
const std::vector<Product> kProducts = {
    {"天然矿泉水", "550ml*24瓶", "BOX", false, "WL01"}, {"纯净水", "5L*4桶", "BOX", false, "WL01"},
    {"精酿啤酒", "500ml*12罐", "BOX", false, "WL02"},   {"黄酒", "500ml", "BTL", false, "WL02"},
    {"白酒 52度", "500ml", "BTL", false, "WL02"},        {"花生油", "5L", "BTL", false, "WL03"},
    {"东北大米", "10kg", "PCS", true, "WL04"},           {"有机小米", "2.5kg", "PCS", true, "WL04"},
    {"鲜牛奶", "250ml*12盒", "BOX", true, "WL05"},       {"酸奶", "200g*16杯", "BOX", false, "WL05"},
    {"苏打饼干", "400g*20包", "BOX", false, "WL06"},     {"方便面", "108g*24袋", "BOX", false, "WL06"},
    {"绿茶饮料", "500ml*15瓶", "BOX", false, "WL01"},    {"酱油", "1.9L", "BTL", false, "WL03"},
};
const std::vector<std::pair<const char*, const char*>> kWarehouses = {
    {"CK001", "广州总仓"}, {"CK002", "上海仓"}, {"CK003", "成都仓"}, {"CK004", "北京仓"}};

// Not called `ref`: ADL would pick std::ref for std::string arguments.
json numberRef(const std::string& number) { return {{"FNumber", number}}; }

std::string padded(const char* prefix, long long n, int width) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s%0*lld", prefix, width, n);
  return buf;
}

}  // namespace

char creditCodeCheck(const std::string& first17) {
  static const std::string alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  static const int weights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
  int sum = 0;
  for (std::size_t i = 0; i < 17 && i < first17.size(); ++i) {
    const auto v = alphabet.find(first17[i]);
    sum += static_cast<int>(v == std::string::npos ? 0 : v) * weights[i];
  }
  const int check = (31 - sum % 31) % 31;
  return alphabet[static_cast<std::size_t>(check)];
}

json generateLandscape(const LandscapeSize& size) {
  std::mt19937_64 rng(size.seed);
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  auto between = [&](long long lo, long long hi) { return lo + static_cast<long long>(rng() % static_cast<std::uint64_t>(hi - lo + 1)); };
  auto when = [&] { return between(size.first_change, size.last_change) / 1000 * 1000; };
  auto day = [&](Millis at) {  // a bill date in +08:00
    const std::string iso = formatIsoSeconds(at + 8 * 3600000LL);
    return iso.substr(0, 10) + " 00:00:00";
  };
  json seed = json::object();

  std::vector<std::string> customers;
  for (int i = 1; i <= size.customers; ++i) {
    const Place& p = kPlaces[pick(kPlaces.size())];
    const std::string shortName = std::string(kBrands[pick(kBrands.size())]) + kTrades[pick(kTrades.size())];
    const std::string name = std::string(p.city) + shortName + "有限公司";
    std::string code = std::string("91") + p.region_code;
    for (int k = 0; k < 9; ++k) code += static_cast<char>('0' + pick(10));
    code += creditCodeCheck(code);
    const Group& g = kGroups[pick(kGroups.size())];
    const std::string number = padded("C", i, 5);
    customers.push_back(number);
    seed["BD_Customer"].push_back({{"FNumber", number}, {"FName", name}, {"FShortName", shortName},
                                   {"FCreateOrgId", numberRef("100")}, {"FUseOrgId", numberRef("100")},
                                   {"FGroup", {{"FNumber", g.number}, {"FName", g.name}}},
                                   {"FCustTypeId", numberRef("KHLB001_SYS")}, {"FProvince", p.province}, {"FCity", p.city},
                                   {"FAddress", std::string(p.province == std::string(p.city) ? "" : p.province) + p.city +
                                                    "经济开发区" + std::to_string(between(1, 399)) + "号"},
                                   {"FTel", "0" + std::to_string(between(20, 999)) + "-" + std::to_string(between(60000000, 89999999))},
                                   {"FTaxRegisterCode", code}, {"_modified_at", when()}, {"_audited", true}});
  }
  std::vector<std::string> materials;
  std::vector<double> prices;
  for (int i = 1; i <= size.materials; ++i) {
    const Product& p = kProducts[pick(kProducts.size())];
    const std::string number = padded("MAT", i, 5);
    materials.push_back(number);
    prices.push_back(static_cast<double>(between(800, 48000)) / 100.0);
    seed["BD_MATERIAL"].push_back(
        {{"FNumber", number}, {"FName", std::string(kBrands[pick(kBrands.size())]) + p.name}, {"FSpecification", p.spec},
         {"FCreateOrgId", numberRef("100")}, {"FUseOrgId", numberRef("100")}, {"FMaterialGroup", numberRef(p.group)},
         {"FBarCode", "69" + std::to_string(between(10000000000LL, 99999999999LL))},
         {"SubHeadEntity", {{"FBaseUnitId", numberRef(p.unit)}, {"FErpClsID", "1"}, {"FTaxRateId", numberRef(p.reduced_rate ? "SL09_SYS" : "SL13_SYS")}}},
         {"_modified_at", when()}, {"_audited", true}});
  }
  for (std::size_t m = 0; m < materials.size(); ++m) {
    const int rows = static_cast<int>(between(1, 3));
    for (int r = 0; r < rows; ++r) {
      const auto& wh = kWarehouses[(m + static_cast<std::size_t>(r)) % kWarehouses.size()];
      const std::string lot = "L" + formatIsoSeconds(when()).substr(0, 10).erase(4, 1).erase(6, 1) + padded("", r + 1, 2);
      seed["STK_Inventory"].push_back({{"FMaterialId", numberRef(materials[m])}, {"FStockId", numberRef(wh.first)},
                                       {"FLot", numberRef(lot)}, {"FStockOrgId", numberRef("100")},
                                       {"FBaseQty", between(0, 5000)}, {"FBaseUnitId", numberRef("BOX")},
                                       {"FStockStatusId", numberRef("KCZT01_SYS")}, {"_modified_at", when()}});
    }
  }
  auto lines = [&](const char* qtyField, const char* materialField, int n) {
    json out = json::array();
    for (int k = 0; k < n; ++k) {
      const std::size_t m = pick(materials.size());
      out.push_back({{materialField, numberRef(materials[m])}, {qtyField, between(1, 200)}, {"FTaxPrice", prices[m]}});
    }
    return out;
  };
  for (int i = 1; i <= size.outbound_bills; ++i) {
    const Millis at = when();
    json entries = lines("FRealQty", "FMaterialID", static_cast<int>(between(1, 4)));
    for (auto& e : entries) {
      e["FStockID"] = numberRef(kWarehouses[pick(kWarehouses.size())].first);
      e["FSoorDerno"] = padded("DMS-SO-", between(1, size.outbound_bills * 2), 6);
    }
    seed["SAL_OUTSTOCK"].push_back({{"FDate", day(at)}, {"FCustomerID", numberRef(customers[pick(customers.size())])},
                                    {"FStockOrgId", numberRef("100")}, {"FSaleOrgId", numberRef("100")},
                                    {"FBillTypeID", numberRef("XSCKD01_SYS")},
                                    {"FCarriageNO", "SF" + std::to_string(between(1000000000LL, 9999999999LL))},
                                    {"FEntity", entries}, {"_modified_at", at}, {"_audited", true}});
  }
  for (int i = 1; i <= size.invoices; ++i) {
    const Millis at = when();
    const bool special = i % 3 == 0;  // most dealers take ordinary invoices
    const char* entry = special ? "FSALESICENTRY" : "FSALESOCENTRY";
    json entries = lines("FPRICEQTY", "FMATERIALID", static_cast<int>(between(1, 3)));
    double total = 0;
    for (auto& e : entries) {
      e["FAUXTAXPRICE"] = e["FTaxPrice"];
      e.erase("FTaxPrice");
      e["FTAXRATE"] = 13;
      total += e["FAUXTAXPRICE"].get<double>() * e["FPRICEQTY"].get<double>();
    }
    seed[special ? "IV_SALESIC" : "IV_SALESOC"].push_back(
        {{"FDate", day(at)}, {"FCUSTOMERID", numberRef(customers[pick(customers.size())])}, {"FSETTLEORGID", numberRef("100")},
         {"FBillTypeID", numberRef(special ? "XSZZSZYFP01_SYS" : "XSPTFP01_SYS")},
         {"FIVNUMBER", std::to_string(between(10000000, 99999999))},
         {"FALLAMOUNTFOR", static_cast<double>(static_cast<long long>(total * 100)) / 100}, {entry, entries},
         {"_modified_at", at}, {"_audited", true}});
  }
  return seed;
}

}  // namespace hub::connector::kingdee::sim
