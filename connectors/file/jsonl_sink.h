#pragma once
// Appends mapped documents as JSON Lines to one outbox file per entity and
// answers delivered once the batch is written (and fsynced, unless turned
// off). Each line carries its idempotency key; a key already in the file is
// answered delivered without a second line, so a retried ambiguous batch does
// not double. A failed write is cut back off the file, leaving whole lines only.
#include <memory>

#include "connectors/file/file_settings.h"
#include "connectors/spi/sink.h"

namespace hub::connector::file {

struct Outbox;  // one per file in the process, shared by every sink writing it

class JsonlSink final : public Sink {
 public:
  JsonlSink(SinkOptions options, bool fsync, std::function<Millis()> now);
  std::vector<Outcome> push(std::span<const OutboundRecord> batch) override;
  std::size_t maxBatch() const override { return 500; }

 private:
  std::string line(const OutboundRecord& record) const;
  SinkOptions options_;
  bool fsync_;
  std::function<Millis()> now_;
  std::shared_ptr<Outbox> outbox_;
};

}  // namespace hub::connector::file
