#pragma once
// Authentication of outbound calls. HMAC signing (auth type `hmac`) signs
//
//   METHOD "\n" PATH_AND_QUERY "\n" TIMESTAMP "\n" hex(sha256(body))
//
// with HMAC-SHA256 under the shared secret: METHOD upper-case, PATH_AND_QUERY
// exactly as sent (the URL after the host, percent-encoding kept), TIMESTAMP
// the value of the timestamp header, the body hash over the raw bytes (the
// hash of "" for an empty body). The signature goes into the signature header
// as lowercase hex or base64, after an optional prefix.
#include <string>
#include <string_view>

#include "connectors/http/http_client.h"
#include "connectors/rest/rest_settings.h"

namespace hub::connector::rest {

std::string canonicalRequest(std::string_view method, std::string_view pathAndQuery, std::string_view timestamp,
                             std::string_view body);

// The URL after scheme and authority ("/a/b?x=1"); "/" when there is none.
std::string pathAndQuery(std::string_view url);

// Adds the auth headers (and the static headers) to `request`; `now` stamps HMAC requests.
void authorize(const Settings& settings, http::HttpRequest& request, Millis now);

}  // namespace hub::connector::rest
