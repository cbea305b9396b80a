#pragma once
// A blocking HTTP/1.1 client for tests, over real loopback sockets.
#include <map>
#include <string>

namespace hub::test {

struct HttpResult {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

HttpResult httpRequest(const std::string& method, const std::string& url, const std::string& body = {},
                       const std::map<std::string, std::string>& headers = {}, int timeoutMs = 10000);

}  // namespace hub::test
