#pragma once
// The simulator's own metadata of the forms it serves: which fields exist at
// header and entry level, which are required on save, which reference base
// data, how ids and numbers are assigned. Kept apart from the connector's
// form profiles on purpose: the simulator stands for Kingdee, not for us.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "connectors/sim/sim_http_server.h"

namespace hub::connector::kingdee::sim {

using NoCaseSet = std::set<std::string, hub::sim::NoCaseLess>;

struct SimForm {
  std::string form_id;
  std::string id_field;      // FID, FCUSTID, FMATERIALID
  std::string number_field;  // FBillNo / FNumber; "" for STK_Inventory
  std::string number_prefix; // XSDD → XSDD000001
  std::string modify_field;  // FModifyDate / FUpdateTime
  std::string entry_name;    // "" = no entries
  NoCaseSet header_fields;
  NoCaseSet entry_fields;
  std::vector<std::string> required_header;
  std::vector<std::string> required_entry;
  bool writable = true;
  bool base_data = false;
};

const SimForm* simForm(const std::string& formId);  // case-insensitive
const std::vector<SimForm>& simForms();

// The base-data form a reference field points to ("FCustId" → BD_Customer), or "".
std::string referencedForm(const std::string& field);

}  // namespace hub::connector::kingdee::sim
