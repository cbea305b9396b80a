#include "connectors/kingdee/kingdee_forms.h"

#include <strings.h>

namespace hub::connector::kingdee {

// Field keys follow Kingdee's standard metadata; where the protocol notes mark
// a key UNCONFIRMED the per-flow `field_keys` option overrides it.
const std::vector<FormProfile>& formProfiles() {
  static const std::vector<FormProfile> forms = {
      {"BD_Customer", "customers (客户)", "FCUSTID", {"FNumber"}, "FModifyDate",
       {"FCUSTID", "FNumber", "FName", "FShortName", "FGroup.FNumber", "FCustTypeId.FNumber", "FProvince",
        "FCity", "FAddress", "FTel", "FTaxRegisterCode", "FDocumentStatus", "FForbidStatus", "FUseOrgId.FNumber",
        "FModifyDate"},
       {}, "", true},
      {"BD_MATERIAL", "materials / products (物料)", "FMATERIALID", {"FNumber"}, "FModifyDate",
       {"FMATERIALID", "FNumber", "FName", "FSpecification", "FMaterialGroup.FNumber", "FBaseUnitId.FNumber",
        "FTaxRateId.FNumber", "FBarCode", "FDocumentStatus", "FForbidStatus", "FUseOrgId.FNumber", "FModifyDate"},
       {}, "", true},
      {"SAL_SaleOrder", "sales orders (销售订单)", "FID", {"FBillNo"}, "FModifyDate",
       {"FID", "FBillNo", "FDate", "FCustId.FNumber", "FSaleOrgId.FNumber", "FDocumentStatus", "FCloseStatus",
        "FModifyDate"},
       {"FSaleOrderEntry_FEntryID", "FMaterialId.FNumber", "FUnitID.FNumber", "FQty", "FTaxPrice", "FEntryTaxRate"},
       "FSaleOrderEntry", true},
      {"SAL_OUTSTOCK", "sales outbound bills (销售出库单)", "FID", {"FBillNo"}, "FModifyDate",
       {"FID", "FBillNo", "FDate", "FCustomerID.FNumber", "FStockOrgId.FNumber", "FCarriageNO", "FDocumentStatus",
        "FModifyDate"},
       {"FEntity_FEntryID", "FMaterialID.FNumber", "FRealQty", "FStockID.FNumber", "FLot.FNumber", "FSoorDerno"},
       "FEntity", true},
      {"STK_Inventory", "stock on hand per material x warehouse x lot (即时库存, read only)", "FID",
       {"FMaterialId.FNumber", "FStockId.FNumber", "FLot.FNumber"}, "FUpdateTime",
       {"FID", "FMaterialId.FNumber", "FStockId.FNumber", "FLot.FNumber", "FStockOrgId.FNumber", "FBaseQty",
        "FBaseUnitId.FNumber", "FStockStatusId.FNumber", "FUpdateTime"},
       {}, "", false},
      {"IV_SALESIC", "VAT special sales invoices (增值税专用发票)", "FID", {"FBillNo"}, "FModifyDate",
       {"FID", "FBillNo", "FDate", "FCUSTOMERID.FNumber", "FIVNUMBER", "FALLAMOUNTFOR", "FDocumentStatus",
        "FModifyDate"},
       {"FSALESICENTRY_FEntryID", "FMATERIALID.FNumber", "FPRICEQTY", "FAUXTAXPRICE", "FTAXRATE"},
       "FSALESICENTRY", true},
      {"IV_SALESOC", "ordinary sales invoices (增值税普通发票)", "FID", {"FBillNo"}, "FModifyDate",
       {"FID", "FBillNo", "FDate", "FCUSTOMERID.FNumber", "FIVNUMBER", "FALLAMOUNTFOR", "FDocumentStatus",
        "FModifyDate"},
       {"FSALESOCENTRY_FEntryID", "FMATERIALID.FNumber", "FPRICEQTY", "FAUXTAXPRICE", "FTAXRATE"},
       "FSALESOCENTRY", true},
      {"AR_receivable", "receivables (应收单)", "FID", {"FBillNo"}, "FModifyDate",
       {"FID", "FBillNo", "FDate", "FCUSTOMERID.FNumber", "FALLAMOUNTFOR", "FDocumentStatus", "FModifyDate"},
       {"FEntityDetail_FEntryID", "FMATERIALID.FNumber", "FPriceQty", "FTaxPrice", "FEntryTaxRate"},
       "FEntityDetail", true},
  };
  return forms;
}

const FormProfile* findForm(const std::string& formId) {
  for (const auto& f : formProfiles())
    if (strcasecmp(f.form_id.c_str(), formId.c_str()) == 0) return &f;
  return nullptr;
}

std::vector<std::string> formIds(bool writableOnly) {
  std::vector<std::string> out;
  for (const auto& f : formProfiles())
    if (!writableOnly || f.writable) out.push_back(f.form_id);
  return out;
}

std::string joinKeys(const std::vector<std::string>& keys, const std::string& separator) {
  std::string out;
  for (const auto& k : keys) out += (out.empty() ? "" : separator) + k;
  return out;
}

}  // namespace hub::connector::kingdee
