#include "connectors/rest/rest_push.h"

#include <strings.h>

#include "connectors/rest/rest_paging.h"
#include "connectors/spi/errors.h"

namespace hub::connector::rest {
namespace {

using nlohmann::json;

std::string fill(std::string path, const std::string& name, const std::string& value) {
  const std::string token = "{" + name + "}";
  for (auto p = path.find(token); p != std::string::npos; p = path.find(token, p))
    path.replace(p, token.size(), http::urlEncode(value));
  return path;
}

std::string messageOf(const json& error) {
  if (error.is_string()) return error.get<std::string>();
  if (error.is_object()) {
    for (const char* k : {"message", "detail", "title"})
      if (error.contains(k) && error[k].is_string()) return error[k].get<std::string>();
  }
  return error.is_null() ? std::string() : error.dump();
}

Outcome failed(int status, std::string message, const std::string& body, Millis now, const http::HttpResponse* res) {
  const std::string type = "http_" + std::to_string(status);
  Outcome o = http::classifyStatus(status) == Disposition::Retry ? Outcome::retry(type, std::move(message))
                                                                   : Outcome::permanent(type, std::move(message));
  o.http_status = status;
  o.response_excerpt = http::excerpt(body);
  if (res && o.disposition == Disposition::Retry) o.retry_after = http::parseRetryAfter(res->header("Retry-After"), now);
  return o;
}

bool equalsIgnoringCase(const std::string& a, const std::string& b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

Outcome resultOutcome(const SinkOptions& options, const OutboundRecord& record, const json& result, int callStatus) {
  const json* status = findPath(result, options.result_status);
  const json* error = findPath(result, options.result_error);
  Disposition d = Disposition::Delivered;
  int code = 0;
  if (status && status->is_number_integer()) {
    code = status->get<int>();
    d = http::classifyStatus(code);
  } else if (status && status->is_string()) {
    const auto word = status->get<std::string>();
    d = Disposition::Permanent;
    for (const auto& ok : options.ok_values)
      if (equalsIgnoringCase(ok, word)) d = Disposition::Delivered;
    for (const char* again : {"retry", "retryable", "busy", "throttled"})
      if (equalsIgnoringCase(again, word)) d = Disposition::Retry;
  } else if (error && !error->is_null()) {
    d = Disposition::Permanent;
  }
  if (d == Disposition::Delivered) {
    const json* id = findPath(result, options.id_field);
    const json* number = options.number_field.empty() ? nullptr : findPath(result, options.number_field);
    return Outcome::delivered(id ? keyText(*id) : record.known_remote_id, number ? keyText(*number) : "");
  }
  std::string message = error ? messageOf(*error) : std::string();
  if (message.empty()) message = "target rejected the record";
  Outcome o = d == Disposition::Retry ? Outcome::retry("http_" + std::to_string(code ? code : callStatus), message)
                                      : Outcome::permanent(code ? "http_" + std::to_string(code) : "rejected", message);
  o.http_status = code ? code : callStatus;
  o.response_excerpt = http::excerpt(result.dump());
  return o;
}

}  // namespace

std::string errorMessage(const std::string& body) {
  const json doc = json::parse(body, nullptr, false);
  if (doc.is_object()) {
    for (const char* k : {"error", "message", "detail", "errors"})
      if (doc.contains(k)) {
        std::string m = messageOf(doc[k]);
        if (!m.empty()) return m;
      }
  }
  return http::excerpt(body, 200);
}

http::HttpRequest encodeRecord(const Settings& settings, const SinkOptions& options, const OutboundRecord& record) {
  http::HttpRequest req;
  const bool update = !record.known_remote_id.empty() && !options.update_path.empty();
  req.method = update ? options.update_method : options.method;
  std::string path = update ? fill(options.update_path, "id", record.known_remote_id) : options.path;
  req.url = settings.base_url + fill(path, "key", record.key);
  req.body = record.document.dump();
  req.headers.emplace_back("Content-Type", "application/json");
  req.headers.emplace_back("Accept", "application/json");
  if (!options.idempotency_header.empty() && !record.idempotency_key.empty())
    req.headers.emplace_back(options.idempotency_header, record.idempotency_key);
  return req;
}

Outcome decodeRecord(const SinkOptions& options, const OutboundRecord& record, const http::HttpResponse& response,
                     Millis now) {
  if (http::classifyStatus(response.status) != Disposition::Delivered) {
    std::string message = errorMessage(response.body);
    if (message.empty()) message = "HTTP " + std::to_string(response.status);
    return failed(response.status, std::move(message), response.body, now, &response);
  }
  const json body = json::parse(response.body, nullptr, false);
  std::string id, number;
  if (!body.is_discarded()) {
    if (const json* v = findPath(body, options.id_field)) id = keyText(*v);
    if (!options.number_field.empty())
      if (const json* v = findPath(body, options.number_field)) number = keyText(*v);
  }
  if (id.empty()) id = record.known_remote_id;
  if (id.empty()) {
    const std::string location = response.header("Location");
    id = location.substr(location.find_last_of('/') + 1);
  }
  return Outcome::delivered(std::move(id), std::move(number));
}

http::HttpRequest encodeBatch(const Settings& settings, const SinkOptions& options,
                              std::span<const OutboundRecord> batch) {
  json items = json::array();
  for (const auto& r : batch) {
    json doc = r.document;
    if (!options.idempotency_field.empty() && doc.is_object()) doc[options.idempotency_field] = r.idempotency_key;
    items.push_back(std::move(doc));
  }
  http::HttpRequest req;
  req.method = options.method;
  req.url = settings.base_url + options.path;
  req.body = options.wrap.empty() ? items.dump() : json{{options.wrap, std::move(items)}}.dump();
  req.headers.emplace_back("Content-Type", "application/json");
  req.headers.emplace_back("Accept", "application/json");
  return req;
}

std::vector<Outcome> decodeBatch(const SinkOptions& options, std::span<const OutboundRecord> batch,
                                 const http::HttpResponse& response, Millis now) {
  const Disposition call = http::classifyStatus(response.status);
  if (call == Disposition::Retry) throwForStatus(response, options.method + " " + options.path, now);
  const json body = json::parse(response.body, nullptr, false);
  const json* results = body.is_discarded() ? nullptr : findPath(body, options.results);
  if (!results || !results->is_array() || results->size() != batch.size()) {
    if (call == Disposition::Permanent) {
      PermanentError e("http_" + std::to_string(response.status), errorMessage(response.body), response.status);
      e.response_excerpt = http::excerpt(response.body);
      throw e;
    }
    RetryableError e("malformed_body",
                     options.method + " " + options.path + " answered without one result per record; "
                     "the records may have been written",
                     response.status);
    e.ambiguous = true;
    e.response_excerpt = http::excerpt(response.body);
    throw e;
  }
  std::vector<Outcome> out;
  out.reserve(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) out.push_back(resultOutcome(options, batch[i], (*results)[i], response.status));
  return out;
}

}  // namespace hub::connector::rest
