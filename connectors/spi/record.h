#pragma once
// What flows through the hub: records pulled from a source, and documents
// pushed to a sink with one outcome per document.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace hub::connector {

using Millis = std::int64_t;  // Unix epoch milliseconds, UTC

struct Record {
  std::string key;          // business key in the source (customer number, order number)
  Millis updated_at = 0;    // last change in the source, converted to UTC by the connector; 0 = unknown
  std::string remote_id;    // the source's internal id when it differs from the key (Kingdee FID)
  nlohmann::json payload;   // the record as the source shapes it
  // Set when the source could not decode this record (a malformed line, an
  // item without a key): `payload` then holds what was read and `key` where
  // it was ("orders-01.jsonl:17"); the engine dead-letters it, never maps it.
  std::string problem;
};

struct OutboundRecord {
  std::string key;                    // the record's key in the hub (its source key)
  std::string idempotency_key;        // stable for (flow, target, key, mapped content)
  nlohmann::json document;            // the mapped target document
  std::string known_remote_id;        // id in the target from an earlier delivery: update, not create
  int attempt = 1;                    // 1 on the first try
  bool previous_attempt_ambiguous = false;  // an earlier send may have taken effect unseen
};

// Awaiting: the target accepted the document and processes it later (an
// IDoc with its DOCNUM, an e-invoice request); `remote_id` names it. The
// engine asks Sink::confirm until the target says Delivered or Permanent, and
// dead-letters it when the flow's confirmation timeout passes first.
enum class Disposition { Delivered, Retry, Permanent, Awaiting };

struct Outcome {
  Disposition disposition = Disposition::Delivered;
  std::string remote_id;          // Delivered, Awaiting: the record's id in the target
  std::string remote_number;      // Delivered, Awaiting: business number in the target (bill number)
  std::string message;            // Retry/Permanent: why, in the target's words where possible
  std::string error_type;         // short token: http_500, timeout, validation, session_expired, ...
  int http_status = 0;
  std::string response_excerpt;   // first bytes of the target's answer, for support staff
  std::optional<Millis> retry_after;  // the target asked us to wait this long
  bool ambiguous = false;         // sent but unanswered: it may have taken effect

  static Outcome delivered(std::string id, std::string number = {}) {
    Outcome o;
    o.remote_id = std::move(id);
    o.remote_number = std::move(number);
    return o;
  }
  static Outcome awaiting(std::string id, std::string number = {}) {
    Outcome o = delivered(std::move(id), std::move(number));
    o.disposition = Disposition::Awaiting;
    return o;
  }
  static Outcome retry(std::string type, std::string msg) {
    Outcome o;
    o.disposition = Disposition::Retry;
    o.error_type = std::move(type);
    o.message = std::move(msg);
    return o;
  }
  static Outcome permanent(std::string type, std::string msg) {
    Outcome o;
    o.disposition = Disposition::Permanent;
    o.error_type = std::move(type);
    o.message = std::move(msg);
    return o;
  }
};

}  // namespace hub::connector
