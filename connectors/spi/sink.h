#pragma once
// A Sink pushes a batch of mapped documents and answers one Outcome per
// document, in order, so one bad record never fails its neighbours. A failure
// of the whole call may be thrown as RetryableError/PermanentError instead.
#include <span>
#include <string>
#include <vector>

#include "connectors/spi/record.h"

namespace hub::connector {

// A document the target accepted earlier with Outcome Awaiting.
struct AwaitingRecord {
  std::string key;        // the record's key in the hub
  std::string remote_id;  // what the target named it when accepting (DOCNUM); may be ""
  Millis accepted_at = 0;
};

class Sink {
 public:
  virtual ~Sink() = default;
  virtual std::vector<Outcome> push(std::span<const OutboundRecord> batch) = 0;

  // How documents the target accepted for later processing ended, one
  // Outcome per record in order: Delivered (processed; remote_id/number may be
  // refined), Permanent (rejected, in the target's words), Awaiting (not yet)
  // or Retry (the question failed; asked again later, never counted as an
  // attempt). The default answers Awaiting: a sink that never accepts for
  // later never gets asked.
  virtual std::vector<Outcome> confirm(std::span<const AwaitingRecord> records) {
    std::vector<Outcome> out;
    for (const auto& r : records) out.push_back(Outcome::awaiting(r.remote_id));
    return out;
  }

  // Largest batch the target accepts in one call; the engine never exceeds it.
  virtual std::size_t maxBatch() const { return 100; }
};

}  // namespace hub::connector
