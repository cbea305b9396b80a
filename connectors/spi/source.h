#pragma once
// A Source pulls the records that changed since an instant, one page at a
// time. The engine owns the watermark and the overlap window; the source owns
// its paging position (`resume`), which the engine stores verbatim with each
// committed page so a crashed scan continues where it stopped.
#include <string>
#include <string_view>
#include <vector>

#include "connectors/spi/record.h"

namespace hub::connector {

struct ScanRequest {
  Millis since = 0;          // records changed at or after this instant; 0 = all
  std::string resume;        // position returned with the previous page of this scan; "" = first page
  std::size_t page_size = 100;
};

struct Page {
  std::vector<Record> records;
  std::string resume;        // where the next page of this scan starts
  bool done = true;          // true when this page is the scan's last
};

// A body a system pushed to the hub (webhook payload mode).
struct PushedBody {
  std::string_view body;
  std::string_view content_type;
  // Where the record, or an array of records, sits in the body: a dotted path
  // or JSON pointer (`record` of the webhook trigger; Stripe: "data.object").
  // Empty: the body is `[...]`, `{"records":[...]}`, `{"data":[...]}` or one record.
  std::string record_path;
};

class Source {
 public:
  virtual ~Source() = default;

  // Throws RetryableError or PermanentError when the call fails as a whole.
  virtual Page pull(const ScanRequest& request) = 0;

  // Records carried in a body the system pushed to the hub. The default reads
  // JSON as PushedBody describes and takes each record's key at keyField() (a
  // member of that name, else a path); PermanentError("malformed_body") names
  // what is missing.
  virtual std::vector<Record> decodePushed(const PushedBody& pushed);

  // Media types decodePushed reads (lower case, no parameters); webhook intake
  // answers 415 to any other. A source that decodes XML lists application/xml.
  virtual std::vector<std::string> pushedMediaTypes() const { return {"application/json"}; }

  // Field (or dotted path / JSON pointer) of a record's key in pushed JSON bodies.
  virtual std::string keyField() const { return "id"; }
};

}  // namespace hub::connector
