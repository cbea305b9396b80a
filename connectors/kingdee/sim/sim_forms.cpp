#include "connectors/kingdee/sim/sim_forms.h"

#include <strings.h>

namespace hub::connector::kingdee::sim {

namespace {

NoCaseSet with(std::initializer_list<const char*> extra) {
  // Every form carries these system fields.
  NoCaseSet s = {"FDocumentStatus", "FModifyDate", "FCreateDate", "FApproveDate", "FCreatorId", "FModifierId"};
  for (const char* e : extra) s.insert(e);
  return s;
}

}  // namespace

const std::vector<SimForm>& simForms() {
  static const std::vector<SimForm> forms = {
      {"BD_Customer", "FCUSTID", "FNumber", "CUST", "FModifyDate", "",
       with({"FCUSTID", "FNumber", "FName", "FShortName", "FGroup", "FCustTypeId", "FProvince", "FCity", "FAddress",
             "FTel", "FTaxRegisterCode", "FForbidStatus", "FCreateOrgId", "FUseOrgId", "FSellerId", "FTradingCurrId",
             "FInvoiceTitle", "FBankCode"}),
       {}, {"FName", "FCreateOrgId"}, {}, true, true},
      {"BD_MATERIAL", "FMATERIALID", "FNumber", "MAT", "FModifyDate", "",
       with({"FMATERIALID", "FNumber", "FName", "FSpecification", "FMaterialGroup", "FBaseUnitId", "FTaxRateId",
             "FBarCode", "FErpClsID", "FForbidStatus", "FCreateOrgId", "FUseOrgId", "SubHeadEntity", "FDescription",
             "FBrand"}),
       {}, {"FName", "FCreateOrgId"}, {}, true, true},
      {"SAL_SaleOrder", "FID", "FBillNo", "XSDD", "FModifyDate", "FSaleOrderEntry",
       with({"FID", "FBillNo", "FDate", "FCustId", "FSaleOrgId", "FBillTypeID", "FSalerId", "FSaleDeptId",
             "FCloseStatus", "FNote", "FSaleOrderFinance", "FReceiveId", "FSettleId"}),
       {"FEntryID", "FMaterialId", "FUnitID", "FQty", "FPrice", "FTaxPrice", "FEntryTaxRate", "FAllAmount",
        "FDeliveryDate", "FEntryNote", "FStockOrgId"},
       {"FDate", "FSaleOrgId", "FCustId"}, {"FMaterialId", "FQty"}, true, false},
      {"SAL_OUTSTOCK", "FID", "FBillNo", "XSCKD", "FModifyDate", "FEntity",
       with({"FID", "FBillNo", "FDate", "FCustomerID", "FStockOrgId", "FSaleOrgId", "FCarriageNO", "FBillTypeID",
             "FDeliveryDeptID", "FNote"}),
       {"FEntryID", "FMaterialID", "FRealQty", "FMustQty", "FStockID", "FLot", "FSoorDerno", "FPrice", "FTaxPrice",
        "FUnitID"},
       {"FDate", "FStockOrgId", "FCustomerID"}, {"FMaterialID", "FRealQty"}, true, false},
      {"STK_Inventory", "FID", "", "", "FUpdateTime", "",
       NoCaseSet{"FID", "FMaterialId", "FStockId", "FLot", "FStockOrgId", "FBaseQty", "FQty", "FBaseUnitId",
                 "FStockUnitId", "FStockStatusId", "FUpdateTime", "FKeeperId", "FOwnerId"},
       {}, {}, {}, false, false},
      {"IV_SALESIC", "FID", "FBillNo", "XSZYFP", "FModifyDate", "FSALESICENTRY",
       with({"FID", "FBillNo", "FDate", "FCUSTOMERID", "FSETTLEORGID", "FIVNUMBER", "FALLAMOUNTFOR", "FBillTypeID",
             "FNote"}),
       {"FEntryID", "FMATERIALID", "FPRICEQTY", "FAUXTAXPRICE", "FTAXRATE", "FALLAMOUNTFOR", "FSRCBILLNO"},
       {"FDate", "FCUSTOMERID"}, {"FMATERIALID", "FPRICEQTY"}, true, false},
      {"IV_SALESOC", "FID", "FBillNo", "XSPTFP", "FModifyDate", "FSALESOCENTRY",
       with({"FID", "FBillNo", "FDate", "FCUSTOMERID", "FSETTLEORGID", "FIVNUMBER", "FALLAMOUNTFOR", "FBillTypeID",
             "FNote"}),
       {"FEntryID", "FMATERIALID", "FPRICEQTY", "FAUXTAXPRICE", "FTAXRATE", "FALLAMOUNTFOR", "FSRCBILLNO"},
       {"FDate", "FCUSTOMERID"}, {"FMATERIALID", "FPRICEQTY"}, true, false},
      {"AR_receivable", "FID", "FBillNo", "AR", "FModifyDate", "FEntityDetail",
       with({"FID", "FBillNo", "FDate", "FCUSTOMERID", "FSETTLEORGID", "FALLAMOUNTFOR", "FBillTypeID", "FNote"}),
       {"FEntryID", "FMATERIALID", "FPriceQty", "FTaxPrice", "FEntryTaxRate", "FALLAMOUNTFOR_D"},
       {"FDate", "FCUSTOMERID"}, {}, true, false},
  };
  return forms;
}

const SimForm* simForm(const std::string& formId) {
  for (const auto& f : simForms())
    if (strcasecmp(f.form_id.c_str(), formId.c_str()) == 0) return &f;
  return nullptr;
}

std::string referencedForm(const std::string& field) {
  if (strcasecmp(field.c_str(), "FCustId") == 0 || strcasecmp(field.c_str(), "FCustomerID") == 0)
    return "BD_Customer";
  if (strcasecmp(field.c_str(), "FMaterialId") == 0) return "BD_MATERIAL";
  return "";
}

}  // namespace hub::connector::kingdee::sim
