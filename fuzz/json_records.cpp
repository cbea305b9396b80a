// JSON record decoding: the SPI's default decodePushed (webhook payload mode,
// for several key fields) and the DMS connector's wire decoding (change
// webhooks and list pages for every DMS entity, and the answers to its
// writes: batch results, status updates, error bodies). Byte 0 picks the
// decoder; the rest is the body. Checks: a body the decoder cannot read is refused
// with the connector's typed errors (PermanentError: the sender's fault;
// RetryableError: a page to fetch again), never any other exception; every
// record it returns has a key, which the store needs to queue it.
#include "connectors/dms/dms_wire.h"
#include "connectors/spi/errors.h"
#include "connectors/spi/source.h"
#include "fuzz/fuzz_check.h"

namespace {

using namespace hub::connector;

// The default decoder with the key fields real flows use.
class PushedSource final : public Source {
 public:
  explicit PushedSource(std::string key) : key_(std::move(key)) {}
  Page pull(const ScanRequest&) override { return {}; }
  std::string keyField() const override { return key_; }

 private:
  std::string key_;
};

void checkRecords(const std::vector<Record>& records) {
  for (const auto& r : records) FUZZ_CHECK(!r.key.empty());
}

// What the DMS answers to the connector's writes.
void decodeAnswer(std::size_t pick, std::string_view body) {
  http::HttpResponse response;
  response.body = std::string(body);
  if (pick == 0) {
    std::vector<OutboundRecord> batch(2);
    batch[0].key = "C00001";
    batch[1].key = "C00002";
    response.status = 200;
    for (const auto& o : dms::decodeBatch(batch, response, 1711900000000)) (void)o.message;
  } else {
    response.status = pick == 1 ? 200 : pick == 2 ? 422 : 503;
    (void)dms::decodeStatus(response, 1711900000000);
    (void)dms::errorSummary(response.body);
  }
}

void decode(std::uint8_t selector, std::string_view body) {
  const auto& entities = dms::entities();
  const std::size_t answers = 4;
  const std::size_t choices = 3 + 2 * entities.size() + answers;
  const std::size_t pick = selector % choices;
  if (pick >= 3 + 2 * entities.size()) return decodeAnswer(pick - 3 - 2 * entities.size(), body);
  if (pick < 3) {
    // Plain keys, a dotted key path, and a record path (a Stripe-like event).
    static const char* const keys[] = {"id", "head_commit.id", "order_no"};
    PushedSource source(keys[pick]);
    checkRecords(source.decodePushed({body, "application/json", pick == 2 ? "data.object" : ""}));
    return;
  }
  const dms::EntityInfo& entity = entities[(pick - 3) / 2];
  if ((pick - 3) % 2 == 0) {
    checkRecords(dms::decodeWebhook(entity, body));
    return;
  }
  http::HttpResponse response;
  response.status = 200;
  response.body = std::string(body);
  ScanRequest scan;
  scan.since = 1711900000000;
  checkRecords(dms::decodeList(entity, scan, response, 1711900000000).records);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  try {
    decode(data[0], hub::fuzz::text(data + 1, size - 1));
  } catch (const PermanentError&) {
  } catch (const RetryableError&) {
  }
  return 0;
}
