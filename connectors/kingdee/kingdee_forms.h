#pragma once
// What the connector knows about each Kingdee form it reads or writes: the
// internal id and business-key fields, the modify-date field incremental pulls
// filter on, sensible default FieldKeys, and which of those are entry-level
// (one query row per entry line; rows are folded into one record per bill).
#include <string>
#include <vector>

namespace hub::connector::kingdee {

struct FormProfile {
  std::string form_id;
  std::string summary;
  std::string id_field;            // FID for bills; FCUSTID / FMATERIALID for base data
  std::vector<std::string> key_fields;  // joined with '|' into the record key
  std::string modify_field;        // FModifyDate (STK_Inventory: FUpdateTime)
  std::vector<std::string> header_keys;  // default FieldKeys, header level
  std::vector<std::string> entry_keys;   // default FieldKeys, entry level (empty: no lines)
  std::string entry_name;          // payload member holding the lines ("FSaleOrderEntry")
  bool writable = true;
};

const std::vector<FormProfile>& formProfiles();
const FormProfile* findForm(const std::string& formId);  // case-insensitive
std::vector<std::string> formIds(bool writableOnly = false);

std::string joinKeys(const std::vector<std::string>& keys, const std::string& separator = ",");

}  // namespace hub::connector::kingdee
