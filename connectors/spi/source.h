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

class Source {
 public:
  virtual ~Source() = default;

  // Throws RetryableError or PermanentError when the call fails as a whole.
  virtual Page pull(const ScanRequest& request) = 0;

  // Records carried in a webhook body the system pushed to the hub (payload
  // mode). The default reads `[...]`, `{"records":[...]}` or one object,
  // taking the key from `key_field`.
  virtual std::vector<Record> decodePushed(std::string_view body, std::string_view contentType);

  // Media types decodePushed reads (lower case, no parameters); webhook intake
  // answers 415 to any other. A source that decodes XML lists application/xml.
  virtual std::vector<std::string> pushedMediaTypes() const { return {"application/json"}; }

  // Field that holds a record's key in pushed JSON bodies.
  virtual std::string keyField() const { return "id"; }
};

}  // namespace hub::connector
