#pragma once
// A small JSON collection API on loopback, standing in for "some ERP's REST
// interface" in the rest connector's tests:
//   GET  /items?updated_since=ISO&cursor=C|page=P|offset=O&page_size|limit=N
//        -> {"data":[...], "next_cursor": "..."|null}, ordered by (updated_at, code)
//   POST /items           creates one item (Idempotency-Key replays the first answer)
//   PUT  /items/{id}      replaces an item
//   POST /items/batch     [{..., "idempotency_key"}] -> {"results":[{"status","id"|"error"}]}
// An item needs a string `name` (else 422). Faults apply to the next call.
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "connectors/spi/record.h"
#include "hub/http/server.h"

namespace hub::test {

class CollectionServer {
 public:
  enum class Fault { ServerError, RateLimited, Timeout, Malformed };

  CollectionServer();
  ~CollectionServer();

  std::string baseUrl() const;
  void requireHeader(std::string name, std::string value);  // else 401
  // Checks X-Timestamp/X-Signature as rest_auth.h documents (hex HMAC-SHA256).
  void requireHmac(std::string secret);

  void put(const std::string& code, connector::Millis updatedAt, nlohmann::json fields = nlohmann::json::object());
  void touch(const std::string& code, connector::Millis updatedAt);
  std::size_t count(const std::string& code) const;    // items holding this code
  std::optional<nlohmann::json> item(const std::string& id) const;
  void inject(Fault fault);
  int calls() const;
  std::vector<http::Request> requests() const;  // every request, in arrival order

 private:
  http::Response handle(http::Request& req);
  http::Response list(const http::Request& req);
  http::Response create(const http::Request& req);
  http::Response replace(const http::Request& req);
  http::Response batch(const http::Request& req);
  std::optional<http::Response> refuse(const http::Request& req);
  nlohmann::json write(const nlohmann::json& doc, const std::string& idempotencyKey, int& status);

  mutable std::mutex mutex_;
  struct Item {
    std::string id;
    connector::Millis updated_at;
    nlohmann::json doc;
  };
  std::vector<Item> items_;
  std::map<std::string, std::pair<int, nlohmann::json>> replies_;  // by idempotency key
  std::vector<Fault> faults_;
  std::vector<http::Request> requests_;
  std::map<std::string, std::string> required_;
  std::string hmacSecret_;
  int nextId_ = 1;
  std::unique_ptr<http::HttpServer> server_;
};

}  // namespace hub::test
