#include "tests/support/http_client.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cctype>

namespace hub::test {

HttpResult httpRequest(const std::string& method, const std::string& url, const std::string& body,
                       const std::map<std::string, std::string>& headers, int timeoutMs) {
  Poco::URI uri(url);
  Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
  session.setTimeout(Poco::Timespan(timeoutMs / 1000, (timeoutMs % 1000) * 1000));
  Poco::Net::HTTPRequest req(method, uri.getPathAndQuery(), Poco::Net::HTTPMessage::HTTP_1_1);
  bool chunked = false;
  for (const auto& [k, v] : headers) {
    if (Poco::icompare(k, "Transfer-Encoding") == 0 && v == "chunked") {
      chunked = true;
      continue;
    }
    req.set(k, v);
  }
  if (chunked) {
    req.setChunkedTransferEncoding(true);
    if (!req.has("Content-Type")) req.setContentType("application/json");
  } else if (!body.empty() || method == "POST" || method == "PUT") {
    req.setContentLength64(static_cast<Poco::Int64>(body.size()));
    if (!req.has("Content-Type")) req.setContentType("application/json");
  }
  auto& out = session.sendRequest(req);
  out << body;
  Poco::Net::HTTPResponse res;
  auto& in = session.receiveResponse(res);
  HttpResult r;
  r.status = static_cast<int>(res.getStatus());
  for (const auto& [k, v] : res) {
    std::string lower = k;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    r.headers[lower] = v;
  }
  Poco::StreamCopier::copyToString(in, r.body);
  return r;
}

}  // namespace hub::test
