#include "connectors/dms/dms_wire.h"

#include <algorithm>

#include "connectors/spi/errors.h"
#include "hub/core/time.h"

namespace hub::connector::dms {
namespace {

using nlohmann::json;

[[noreturn]] void malformed(const http::HttpResponse& response, const std::string& why, bool ambiguous) {
  RetryableError e("malformed_body", why, response.status);
  e.response_excerpt = http::excerpt(response.body);
  e.ambiguous = ambiguous;
  throw e;
}

// A member that should be text, or `fallback`: a body from the wire may hold
// any type anywhere, and json::value() throws type_error on a mismatch.
std::string textOf(const json& object, const char* key, const std::string& fallback = "") {
  if (!object.is_object()) return fallback;
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : fallback;
}

std::string fieldErrors(const json& errors) {
  std::string out;
  if (!errors.is_array()) return out;
  for (const auto& e : errors) {
    if (!e.is_object()) continue;
    out += (out.empty() ? "" : "; ") + textOf(e, "field", "record") + ": " + textOf(e, "message") + " [" +
           textOf(e, "code") + "]";
  }
  return out;
}

}  // namespace

std::string errorSummary(const std::string& body, std::string* code) {
  const json doc = json::parse(body, nullptr, false);
  if (doc.is_object() && doc.contains("error") && doc["error"].is_object()) {
    const auto& e = doc["error"];
    if (code) *code = textOf(e, "code");
    std::string text = textOf(e, "code", "error") + ": " + textOf(e, "message");
    if (e.contains("details") && e["details"].is_object() && e["details"].contains("errors"))
      if (auto f = fieldErrors(e["details"]["errors"]); !f.empty()) text += " (" + f + ")";
    return text;
  }
  return http::excerpt(body, 200);
}

void throwForStatus(const http::HttpResponse& response, const std::string& what, Millis now) {
  std::string code;
  const std::string message = what + " answered HTTP " + std::to_string(response.status) + ": " + errorSummary(response.body, &code);
  const std::string type = code.empty() ? "http_" + std::to_string(response.status) : code;
  if (http::classifyStatus(response.status) == Disposition::Retry) {
    RetryableError e(type, message, response.status);
    e.retry_after_ms = http::parseRetryAfter(response.header("Retry-After"), now);
    e.response_excerpt = http::excerpt(response.body);
    throw e;
  }
  PermanentError e(response.status == 401 || response.status == 403 ? "auth" : type, message, response.status);
  e.response_excerpt = http::excerpt(response.body);
  throw e;
}

http::HttpRequest listRequest(const std::string& baseUrl, const EntityInfo& entity, const ScanRequest& scan) {
  std::string url = baseUrl + "/api/v1/" + entity.name + "?limit=" + std::to_string(std::clamp<std::size_t>(scan.page_size, 1, 500));
  if (scan.since > 0) url += "&updated_after=" + http::urlEncode(formatIsoMillis(scan.since));
  if (!scan.resume.empty()) {
    const json state = json::parse(scan.resume, nullptr, false);
    if (!state.is_object() || !state.contains("cursor")) throw PermanentError("resume", "unreadable resume position");
    url += "&cursor=" + http::urlEncode(state["cursor"].get<std::string>());
  }
  http::HttpRequest req;
  req.url = url;
  req.headers.emplace_back("Accept", "application/json");
  return req;
}

Record recordOf(const EntityInfo& entity, const json& item) {
  Record r;
  r.key = businessKey(entity, item);
  r.payload = item;
  if (item.is_object()) {
    r.remote_id = textOf(item, "id");
    if (item.contains("updated_at") && item["updated_at"].is_string())
      r.updated_at = parseIsoInstant(item["updated_at"].get<std::string>()).value_or(0);
  }
  if (r.key.empty()) {
    r.key = entity.name + ":" + (r.remote_id.empty() ? "?" : r.remote_id);
    r.problem = "record has no business key (" + entity.key_fields.front() + ")";
  }
  return r;
}

Page decodeList(const EntityInfo& entity, const ScanRequest& scan, const http::HttpResponse& response, Millis now) {
  if (http::classifyStatus(response.status) != Disposition::Delivered)
    throwForStatus(response, "GET /api/v1/" + entity.name, now);
  const json body = json::parse(response.body, nullptr, false);
  if (!body.is_object() || !body.contains("data") || !body["data"].is_array())
    malformed(response, "GET /api/v1/" + entity.name + " answered without a data array", false);
  Page page;
  for (const auto& item : body["data"]) {
    Record r = recordOf(entity, item);
    if (r.updated_at > 0 && r.updated_at < scan.since) continue;  // the API filters inclusively; belt and braces
    page.records.push_back(std::move(r));
  }
  const auto next = body.value("next_cursor", json());
  if (next.is_string() && !next.get<std::string>().empty()) page.resume = json{{"cursor", next}}.dump();
  page.done = page.resume.empty();
  return page;
}

http::HttpRequest batchRequest(const std::string& baseUrl, const EntityInfo& entity,
                               std::span<const OutboundRecord> batch) {
  json records = json::array();
  for (const auto& r : batch) records.push_back({{"idempotency_key", r.idempotency_key}, {"data", r.document}});
  http::HttpRequest req;
  req.method = "POST";
  req.url = baseUrl + "/api/v1/" + entity.name + "/batch";
  req.body = json{{"records", std::move(records)}}.dump();
  req.headers.emplace_back("Content-Type", "application/json");
  req.headers.emplace_back("Accept", "application/json");
  return req;
}

std::vector<Outcome> decodeBatch(std::span<const OutboundRecord> batch, const http::HttpResponse& response, Millis now) {
  if (http::classifyStatus(response.status) != Disposition::Delivered) throwForStatus(response, "batch upsert", now);
  const json body = json::parse(response.body, nullptr, false);
  if (!body.is_object() || !body.contains("results") || !body["results"].is_array() ||
      body["results"].size() != batch.size() ||
      !std::all_of(body["results"].begin(), body["results"].end(), [](const json& r) { return r.is_object(); }))
    malformed(response, "batch upsert answered without one result per record; the records may have been written", true);
  std::vector<Outcome> out;
  for (const auto& result : body["results"]) {
    const std::string effect = textOf(result, "result");
    if (effect == "created" || effect == "updated" || effect == "unchanged") {
      out.push_back(Outcome::delivered(textOf(result, "id"), textOf(result, "key")));
      continue;
    }
    const std::string code = textOf(result, "code", "rejected");
    std::string message = textOf(result, "message");
    if (auto f = fieldErrors(result.value("errors", json::array())); !f.empty()) message += (message.empty() ? "" : ": ") + f;
    Outcome o = Outcome::permanent(code == "rejected" ? "validation" : code, message.empty() ? "rejected by the DMS" : message);
    o.http_status = result.contains("status") && result["status"].is_number_integer() ? result["status"].get<int>() : 422;
    o.response_excerpt = http::excerpt(result.dump());
    out.push_back(std::move(o));
  }
  return out;
}

http::HttpRequest statusRequest(const std::string& baseUrl, const OutboundRecord& record) {
  std::string number = record.key;
  if (record.document.is_object() && record.document.contains("order_no") && record.document["order_no"].is_string())
    number = record.document["order_no"].get<std::string>();
  http::HttpRequest req;
  req.method = "PUT";
  req.url = baseUrl + "/api/v1/orders/" + http::urlEncode(number) + "/status";
  req.body = record.document.dump();
  req.headers.emplace_back("Content-Type", "application/json");
  req.headers.emplace_back("Accept", "application/json");
  req.headers.emplace_back("Idempotency-Key", record.idempotency_key);
  return req;
}

Outcome decodeStatus(const http::HttpResponse& response, Millis now) {
  const Disposition d = http::classifyStatus(response.status);
  if (d == Disposition::Delivered) {
    const json body = json::parse(response.body, nullptr, false);
    if (!body.is_object()) {
      Outcome o = Outcome::retry("malformed_body", "status update answered a body that is not JSON; it may have been applied");
      o.ambiguous = true;
      o.response_excerpt = http::excerpt(response.body);
      return o;
    }
    return Outcome::delivered(textOf(body, "id"), textOf(body, "order_no"));
  }
  std::string code;
  std::string message = errorSummary(response.body, &code);
  Outcome o = d == Disposition::Retry ? Outcome::retry(code.empty() ? "http_" + std::to_string(response.status) : code, message)
                                      : Outcome::permanent(code.empty() ? "http_" + std::to_string(response.status) : code, message);
  o.http_status = response.status;
  o.response_excerpt = http::excerpt(response.body);
  if (d == Disposition::Retry) o.retry_after = http::parseRetryAfter(response.header("Retry-After"), now);
  return o;
}

std::vector<Record> decodeWebhook(const EntityInfo& entity, std::string_view body) {
  const json doc = json::parse(body, nullptr, false);
  if (!doc.is_object()) throw PermanentError("malformed_body", "webhook body is not a JSON object");
  std::vector<Record> out;
  if (doc.contains("type")) {
    if (!doc["type"].is_string()) throw PermanentError("malformed_body", "webhook 'type' is not text");
    const std::string type = doc["type"].get<std::string>();
    if (type.substr(0, type.find('.')) != entity.event) return out;  // another entity's change
    if (!doc.contains("data") || !doc["data"].is_object()) throw PermanentError("malformed_body", "webhook event has no data object");
    out.push_back(recordOf(entity, doc["data"]));
    return out;
  }
  if (doc.contains("data") && doc["data"].is_array())
    for (const auto& item : doc["data"]) out.push_back(recordOf(entity, item));
  return out;
}

}  // namespace hub::connector::dms
