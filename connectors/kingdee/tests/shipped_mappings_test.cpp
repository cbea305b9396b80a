// The shipped Kingdee mappings (mappings/shipped/) read Kingdee's dates in the
// form the server renders them, yyyy-MM-ddTHH:mm:ss, and in the form
// exports and older integrations carry, yyyy-MM-dd HH:mm:ss, alike — and what
// the connector pulls from the simulator maps as it would from Kingdee.
#include "connectors/kingdee/tests/kingdee_fixture.h"
#include "mappings/engine/mapping.h"
#include "tests/support/paths.h"

namespace hub::connector::kingdee {
namespace {

using nlohmann::json;

// A shipped mapping with the cross-references its records need.
struct Shipped {
  explicit Shipped(const std::string& name) {
    auto m = mapping::MappingCatalog::loadFile((test::sourceDir() / "mappings" / "shipped" / (name + ".yaml")).string());
    if (!m) throw std::runtime_error(name + " does not load");
    loaded = *m;
  }
  mapping::MappingResult apply(const nlohmann::json& record) const {
    mapping::MappingContext ctx;
    ctx.xref = &xref;
    return loaded.apply(record, ctx);
  }
  mapping::Mapping loaded;
  mapping::FixtureXrefLookup xref;
};

json outboundBill(const std::string& date) {
  return {{"FBillNo", "XSCKD000041"}, {"FDate", date}, {"FCarriageNO", "SF1000287113"},
          {"FEntity", json::array({{{"FMaterialID.FNumber", "MAT1"}, {"FRealQty", 12}, {"FStockID.FNumber", "CK003"},
                                    {"FSoorDerno", "SO-1"}}})}};
}

json invoice(const std::string& date) {
  return {{"FBillNo", "XSZYFP000003"}, {"FDate", date}, {"FCUSTOMERID.FNumber", "C001"}, {"FALLAMOUNTFOR", 365},
          {"FSALESICENTRY", json::array({{{"FMATERIALID.FNumber", "MAT1"}, {"FPRICEQTY", 10}, {"FAUXTAXPRICE", 36.5},
                                          {"FTAXRATE", 13}}})}};
}

TEST(KingdeeShippedMappings, ShipmentTimeIsTheSameForEitherDateForm) {
  Shipped outstock("kingdee_outstock_to_dms_status");
  outstock.xref.add("sales_order", "kingdee", "SO-1", {"100233", "SO-1"});
  for (const char* date : {"2025-03-02T00:00:00", "2025-03-02 00:00:00"}) {
    const auto r = outstock.apply(outboundBill(date));
    ASSERT_TRUE(r.ok()) << date << ": " << r.problems.front().message;
    EXPECT_EQ(r.document["shipments"][0]["shipped_at"], "2025-03-02T00:00:00+08:00") << date;
  }
}

TEST(KingdeeShippedMappings, InvoiceDateIsTheSameForEitherDateForm) {
  Shipped invoices("kingdee_invoice_to_dms");
  invoices.xref.add("customer", "dms", "C001", {"cus_1", "C001"});
  invoices.xref.add("product", "dms", "MAT1", {"prd_1", "MAT1"});
  for (const char* date : {"2025-03-05T00:00:00", "2025-03-05 00:00:00"})
    EXPECT_EQ(invoices.apply(invoice(date)).document["invoice_date"], "2025-03-05") << date;
}

class KingdeePulledThroughShippedMappings : public KingdeeLoopback {};

TEST_F(KingdeePulledThroughShippedMappings, AnOutboundBillSavedWithASpacedDateShipsAtItsServerTime) {
  seedBaseData();
  simulator.book().insert("SAL_OUTSTOCK", {{"FDate", "2025-03-02 00:00:00"}, {"FStockOrgId", {{"FNumber", "100"}}},
                                           {"FCustomerID", {{"FNumber", "C001"}}}, {"FCarriageNO", "SF1000287113"},
                                           {"FEntity", json::array({{{"FMaterialID", {{"FNumber", "MAT1"}}},
                                                                     {"FRealQty", 12}, {"FSoorDerno", "SO-1"}}})}});
  const auto pulled = pullAll(*connect()->openSource("SAL_OUTSTOCK", json::object()), 0, 10);
  ASSERT_EQ(pulled.size(), 1u);
  Shipped outstock("kingdee_outstock_to_dms_status");
  outstock.xref.add("sales_order", "kingdee", "SO-1", {"100233", "SO-1"});
  const auto r = outstock.apply(pulled[0].payload);
  ASSERT_TRUE(r.ok()) << r.problems.front().message;
  EXPECT_EQ(r.document["shipments"][0]["shipped_at"], "2025-03-02T00:00:00+08:00");
  EXPECT_EQ(r.document["shipments"][0]["lines"][0]["sku"], "MAT1");
}

}  // namespace
}  // namespace hub::connector::kingdee
