#pragma once
// A flow's position in its source, committed with every page.
//
// `high` is the newest change time seen. A new scan starts `overlap` before
// it, so changes that commit late with an older timestamp (clock skew, long
// transactions) are read again; re-read records whose content did not change
// are dropped at intake by content hash. Within a scan the source's own
// `resume` position continues exactly after the last committed page, so a
// page boundary inside a run of equal timestamps neither skips nor repeats.
#include <optional>
#include <string>

#include "hub/core/time.h"

namespace hub::engine {

struct Watermark {
  Millis high = 0;          // newest updated_at seen (0 = nothing yet: read everything)
  bool scanning = false;    // a scan was interrupted: continue it
  Millis scan_since = 0;    // the `since` of the current scan
  std::string resume;       // the source's position within the scan

  std::string encode() const;
  static Watermark decode(const std::optional<std::string>& text);

  // The scan a new run performs.
  Watermark startScan(Millis overlap) const;
};

}  // namespace hub::engine
