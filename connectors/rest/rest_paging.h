#pragma once
// The source side as pure functions: which request fetches the next page of
// a scan, and what a response means (records, where the next page starts,
// whether the scan is done). The connector only adds auth and the socket.
//
// `resume` is JSON: {"page":N} | {"offset":N} | {"cursor":"..."}; "" starts
// a scan. A scan ends on a short or empty page (page/offset paging), on a
// missing, empty or repeated next cursor (cursor paging), or after the one
// call of paging `none`.
#include "connectors/http/http_client.h"
#include "connectors/rest/rest_settings.h"
#include "connectors/spi/source.h"

namespace hub::connector::rest {

http::HttpRequest encodePageRequest(const Settings& settings, const SourceOptions& options,
                                    const ScanRequest& scan);

// Throws RetryableError/PermanentError by classifyStatus (with Retry-After
// and a body excerpt), RetryableError("malformed_body") when the body is not
// the JSON the options describe. Records changed before `scan.since` are
// dropped (servers filter at coarser grain, or not at all); an item without
// a key becomes a Record with `problem` set, so nothing is silently lost.
Page decodePage(const SourceOptions& options, const ScanRequest& scan, const http::HttpResponse& response,
                Millis now);

// The query string joined onto `url` (which may already carry one).
std::string withQuery(std::string url, const std::vector<std::pair<std::string, std::string>>& params);

// Throws the typed error a failed answer means (shared with the sink).
[[noreturn]] void throwForStatus(const http::HttpResponse& response, const std::string& what, Millis now);

}  // namespace hub::connector::rest
