#pragma once
// Incremental pulls through ExecuteBillQuery. The filter is
//   FModifyDate >= '<since in server time>' [and (<extra filter>)]
//   [and (FModifyDate > '<m>' or (FModifyDate = '<m>' and FID > <id>))]
// ordered "FModifyDate ASC, FID ASC": the last clause is the scan position
// kept in `resume`. Kingdee's StartRow offsets shift when rows change during
// a scan (a row edited meanwhile jumps to the end and the one behind it is
// skipped for good), so each page starts at StartRow 0 after the position of
// the previous page's last row instead; equal modify dates across a page
// boundary are told apart by FID.
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "connectors/kingdee/kingdee_forms.h"
#include "connectors/kingdee/kingdee_time.h"
#include "connectors/spi/source.h"

namespace hub::connector::kingdee {

class KingdeeSession;

struct QueryOptions {
  FormProfile form;                      // defaults with the flow's overrides applied
  std::string extra_filter;              // ANDed in, in Kingdee's filter syntax
  int page_limit = 2000;                 // most rows per call (server default max 2000)
};

// Where a scan continues: after the row with this modify date and id.
struct ScanPosition {
  std::string modify;      // the server's own rendering, so equality is exact
  nlohmann::json id;       // number (FID) or string (STK_Inventory's GUIDs)
  bool empty() const { return modify.empty(); }
};
std::string encodeResume(const ScanPosition& p);
ScanPosition decodeResume(const std::string& resume);  // "" or unreadable → start

// The FieldKeys sent: header keys, then entry keys, with the id, modify date
// and key fields added when the flow's list lacks them.
std::vector<std::string> queryFieldKeys(const FormProfile& form);

// Pure: the ExecuteBillQuery `data` for one page.
nlohmann::json encodeQuery(const QueryOptions& options, const ServerZone& zone, Millis since,
                           const ScanPosition& after, int limit);

struct DecodedPage {
  std::vector<Record> records;
  ScanPosition next;
  bool done = true;
  bool needs_bigger_page = false;  // one bill's lines fill the whole page
};
// Pure: rows ([[v1,v2,...],...] in FieldKeys order) → records. With entry
// keys, rows of one bill fold into one record; when the page is full its last
// bill may continue on the next page, so it is left for that page.
DecodedPage decodeRows(const QueryOptions& options, const ServerZone& zone, const nlohmann::json& rows, int limit,
                       const ScanPosition& after);

class BillQuery final : public Source {
 public:
  BillQuery(std::shared_ptr<KingdeeSession> session, QueryOptions options, std::shared_ptr<const ServerZone> zone);
  Page pull(const ScanRequest& request) override;
  std::string keyField() const override;

 private:
  std::shared_ptr<KingdeeSession> session_;
  QueryOptions options_;
  std::shared_ptr<const ServerZone> zone_;
};

}  // namespace hub::connector::kingdee
