#pragma once
// A Sink pushes a batch of mapped documents and answers one Outcome per
// document, in order, so one bad record never fails its neighbours. A failure
// of the whole call may be thrown as RetryableError/PermanentError instead.
#include <span>
#include <vector>

#include "connectors/spi/record.h"

namespace hub::connector {

class Sink {
 public:
  virtual ~Sink() = default;
  virtual std::vector<Outcome> push(std::span<const OutboundRecord> batch) = 0;

  // Largest batch the target accepts in one call; the engine never exceeds it.
  virtual std::size_t maxBatch() const { return 100; }
};

}  // namespace hub::connector
