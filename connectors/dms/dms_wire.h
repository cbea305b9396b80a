#pragma once
// The DMS open API (README.md) as pure functions: requests the connector
// sends and what the answers mean, tested without sockets. Requests carry no
// auth here; the connector adds the bearer token.
#include <span>
#include <string_view>
#include <vector>

#include "connectors/dms/dms_entities.h"
#include "connectors/http/http_client.h"
#include "connectors/spi/source.h"

namespace hub::connector::dms {

// GET /api/v1/{entity}?updated_after=ISO&limit=N[&cursor=C]; resume is {"cursor":C}.
http::HttpRequest listRequest(const std::string& baseUrl, const EntityInfo& entity, const ScanRequest& scan);
Page decodeList(const EntityInfo& entity, const ScanRequest& scan, const http::HttpResponse& response, Millis now);

// A DMS record as the hub sees it: business key, updated_at, id as remote id.
Record recordOf(const EntityInfo& entity, const nlohmann::json& item);

// POST /api/v1/{entity}/batch {"records":[{"idempotency_key","data"}]}.
http::HttpRequest batchRequest(const std::string& baseUrl, const EntityInfo& entity,
                               std::span<const OutboundRecord> batch);
std::vector<Outcome> decodeBatch(std::span<const OutboundRecord> batch, const http::HttpResponse& response, Millis now);

// PUT /api/v1/orders/{order_no}/status; order_no from the document, else the record key.
http::HttpRequest statusRequest(const std::string& baseUrl, const OutboundRecord& record);
Outcome decodeStatus(const http::HttpResponse& response, Millis now);

// A change webhook body ({"type":"order.updated","data":{...}}) as records of
// `entity`; events of other entities give none.
std::vector<Record> decodeWebhook(const EntityInfo& entity, std::string_view body);

// Throws the typed error a non-2xx answer means; the DMS error code becomes
// the error type (token_expired, validation_failed, ...).
[[noreturn]] void throwForStatus(const http::HttpResponse& response, const std::string& what, Millis now);

// "code: message" from {"error":{"code","message","details"}}, else an excerpt.
std::string errorSummary(const std::string& body, std::string* code = nullptr);

}  // namespace hub::connector::dms
