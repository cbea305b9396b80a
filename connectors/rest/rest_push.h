#pragma once
// The sink side as pure functions: the request a record (or a batch) becomes
// and the outcomes an answer means, so the wire format is tested without a
// socket.
//
// Single mode: one call per record to `path` (or `update_path` with {id}
// replaced when the remote id is known; {key} is replaced by the record key
// in both), the idempotency key in `idempotency_header`, the document as the
// body. Array mode: one call with the documents as a JSON array (inside
// `wrap` when set), each carrying its idempotency key in `idempotency_field`;
// the answer's `results` array is matched to the records by position.
#include <span>
#include <vector>

#include "connectors/http/http_client.h"
#include "connectors/rest/rest_settings.h"
#include "connectors/spi/record.h"

namespace hub::connector::rest {

http::HttpRequest encodeRecord(const Settings& settings, const SinkOptions& options, const OutboundRecord& record);

// 2xx delivered (remote id from `id_field`, else the known id, else the
// Location header's last segment); 408/425/429/5xx retry with Retry-After;
// other statuses permanent with the target's own error message.
Outcome decodeRecord(const SinkOptions& options, const OutboundRecord& record, const http::HttpResponse& response,
                     Millis now);

http::HttpRequest encodeBatch(const Settings& settings, const SinkOptions& options,
                              std::span<const OutboundRecord> batch);

// One outcome per record. Throws RetryableError for a retryable status (the
// whole call) or a 2xx answer whose results cannot be read (ambiguous: the
// records may be written), PermanentError for a 4xx without per-record results.
std::vector<Outcome> decodeBatch(const SinkOptions& options, std::span<const OutboundRecord> batch,
                                 const http::HttpResponse& response, Millis now);

// The target's words for an error body: error.message, error, message, or an excerpt.
std::string errorMessage(const std::string& body);

}  // namespace hub::connector::rest
