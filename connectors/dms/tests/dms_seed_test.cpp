#include <gtest/gtest.h>

#include <set>

#include "connectors/dms/sim/dms_seed.h"
#include "connectors/dms/sim/dms_validation.h"

namespace hub::connector::dms::sim {
namespace {

using nlohmann::json;

TEST(DmsSeed, SameSeedGivesTheSameData) {
  SeedSize small{20, 15, 50, 10, 7};
  EXPECT_EQ(generateDealerData(small), generateDealerData(small));
  small.seed = 8;
  EXPECT_NE(generateDealerData(small), generateDealerData(SeedSize{20, 15, 50, 10, 7}));
}

TEST(DmsSeed, NumberingMatchesTheKingdeeSimulator) {
  const json data = generateDealerData(SeedSize{3, 2, 1, 0, 1});
  EXPECT_EQ(data["customers"][0]["code"], "C00001");
  EXPECT_EQ(data["customers"][2]["code"], "C00003");
  EXPECT_EQ(data["products"][1]["sku"], "MAT00002");
}

TEST(DmsSeed, DefaultSizeIsALandscapeOfHundredsAndThousands) {
  const json data = generateDealerData({});
  EXPECT_EQ(data["customers"].size(), 300u);
  EXPECT_EQ(data["products"].size(), 200u);
  EXPECT_EQ(data["orders"].size(), 2000u);
  EXPECT_GT(data["stock"].size(), 200u);
  EXPECT_GT(data["invoices"].size(), 100u);
}

TEST(DmsSeed, EveryRecordPassesTheSimulatorsOwnValidation) {
  const json data = generateDealerData(SeedSize{30, 20, 200, 40, 3});
  std::set<std::string> known;
  for (const auto& c : data["customers"]) known.insert("customers/" + c["code"].get<std::string>());
  for (const auto& p : data["products"]) known.insert("products/" + p["sku"].get<std::string>());
  const Exists exists = [&](const std::string& e, const std::string& k) { return known.count(e + "/" + k) > 0; };
  std::set<std::string> orderNumbers;
  for (const char* name : {"customers", "products", "orders", "stock", "invoices"})
    for (const auto& r : data[name]) {
      EXPECT_EQ(validateRecord(*findEntity(name), r, exists), json::array()) << name << " " << r.dump();
      if (std::string(name) == "orders") orderNumbers.insert(r["order_no"].get<std::string>());
    }
  EXPECT_EQ(orderNumbers.size(), data["orders"].size()) << "order numbers are unique";
}

}  // namespace
}  // namespace hub::connector::dms::sim
