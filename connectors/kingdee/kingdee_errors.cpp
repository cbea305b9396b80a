#include "connectors/kingdee/kingdee_errors.h"

#include "connectors/http/http_client.h"
#include "connectors/spi/errors.h"

namespace hub::connector::kingdee {

namespace {

using nlohmann::json;

std::string text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  return v.dump();
}

int integer(const json& v, int fallback) {
  if (v.is_number_integer()) return v.get<int>();
  if (v.is_string()) {
    try {
      return std::stoi(v.get<std::string>());
    } catch (const std::exception&) {
    }
  }
  return fallback;
}

// Kingdee's key spelling varies by build ("IsSuccess" / "isSuccess").
const json* member(const json& obj, std::string_view name) {
  if (!obj.is_object()) return nullptr;
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    const std::string& k = it.key();
    if (k.size() == name.size() &&
        std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) { return std::tolower(a) == std::tolower(b); }))
      return &it.value();
  }
  return nullptr;
}

ResponseStatus readStatus(const json& rs) {
  ResponseStatus s;
  if (const json* v = member(rs, "IsSuccess")) s.is_success = v->is_boolean() ? v->get<bool>() : text(*v) == "true";
  if (const json* v = member(rs, "ErrorCode")) s.error_code = integer(*v, 0);
  if (const json* v = member(rs, "MsgCode")) s.msg_code = integer(*v, 0);
  if (const json* errs = member(rs, "Errors"); errs && errs->is_array())
    for (const auto& e : *errs) {
      const json* dindex = member(e, "DIndex");
      s.errors.push_back({member(e, "FieldName") ? text(*member(e, "FieldName")) : "",
                          member(e, "Message") ? text(*member(e, "Message")) : "",
                          dindex ? integer(*dindex, -1) : -1});
    }
  if (const json* ok = member(rs, "SuccessEntitys"); ok && ok->is_array())
    for (const auto& e : *ok) {
      const json* dindex = member(e, "DIndex");
      s.successes.push_back({member(e, "Id") ? text(*member(e, "Id")) : "",
                             member(e, "Number") ? text(*member(e, "Number")) : "",
                             dindex ? integer(*dindex, -1) : -1});
    }
  return s;
}

}  // namespace

std::string ResponseStatus::describe() const {
  std::string out;
  for (const auto& e : errors) {
    if (!out.empty()) out += "; ";
    if (!e.field.empty()) out += e.field + ": ";
    out += e.message;
  }
  if (out.empty()) out = "Kingdee answered IsSuccess=false (ErrorCode " + std::to_string(error_code) + ")";
  return out;
}

std::optional<ResponseStatus> findResponseStatus(const json& body) {
  const json* node = &body;
  // ExecuteBillQuery wraps errors as [[{"Result":{...}}]].
  while (node->is_array() && node->size() == 1 && ((*node)[0].is_array() || (*node)[0].is_object()))
    node = &(*node)[0];
  if (!node->is_object()) return std::nullopt;
  const json* result = member(*node, "Result");
  const json* rs = result ? member(*result, "ResponseStatus") : member(*node, "ResponseStatus");
  if (!rs || !rs->is_object()) return std::nullopt;
  return readStatus(*rs);
}

nlohmann::json parseAnswer(std::string_view body) { return json::parse(body, nullptr, false); }

Verdict classifyAnswer(int httpStatus, std::string_view retryAfter, std::string_view body, Millis now) {
  Verdict v;
  v.http_status = httpStatus;
  v.excerpt = http::excerpt(body);
  if (httpStatus != 200 && httpStatus != 206) {
    v.disposition = http::classifyStatus(httpStatus);
    if (v.disposition == Disposition::Delivered) v.disposition = Disposition::Retry;  // 2xx other than 200/206
    v.error_type = "http_" + std::to_string(httpStatus);
    v.message = "Kingdee answered HTTP " + std::to_string(httpStatus);
    v.retry_after = http::parseRetryAfter(retryAfter, now);
    return v;
  }
  // The SDKs treat this prefix as the server's own transport-level failure.
  if (body.rfind("response_error:", 0) == 0) {
    v.disposition = Disposition::Retry;
    v.error_type = "server_error";
    v.message = std::string(http::excerpt(body, 200));
    return v;
  }
  const json doc = parseAnswer(body);
  if (doc.is_discarded()) {
    v.disposition = Disposition::Retry;
    v.error_type = "malformed_response";
    v.message = "Kingdee's answer is not JSON";
    return v;
  }
  return classifyDocument(doc, std::move(v));
}

Verdict classifyDocument(const json& doc, Verdict v) {
  if (v.excerpt.empty()) v.excerpt = http::excerpt(doc.dump());
  const auto status = findResponseStatus(doc);
  if (!status || status->is_success) return v;
  if (status->sessionLost()) {
    v.disposition = Disposition::Retry;
    v.error_type = "session_expired";
    v.message = status->describe();
    return v;
  }
  if (status->rateLimited()) {  // whole call: none of it was done
    v.disposition = Disposition::Retry;
    v.error_type = "rate_limited";
    v.message = "rate limited (MsgCode 14): " + status->describe();
    return v;
  }
  if (status->authRefused()) {  // whole call, even when its error carries a DIndex
    v.disposition = Disposition::Permanent;
    v.error_type = "auth";
    v.message = "authentication refused (MsgCode 2): " + status->describe();
    return v;
  }
  bool perRecord = !status->successes.empty();
  for (const auto& e : status->errors) perRecord = perRecord || e.dindex >= 0;
  if (perRecord && !doc.is_array()) return v;  // per-record outcomes: the sink decodes them
  v.disposition = Disposition::Permanent;
  v.error_type = "business";
  v.message = status->describe();
  return v;
}

void throwVerdict(const Verdict& v, std::string_view endpoint) {
  const std::string msg = std::string(endpoint) + ": " + v.message;
  if (v.disposition == Disposition::Retry) {
    RetryableError e(v.error_type, msg, v.http_status);
    e.retry_after_ms = v.retry_after;
    e.response_excerpt = v.excerpt;
    throw e;
  }
  PermanentError e(v.error_type, msg, v.http_status);
  e.response_excerpt = v.excerpt;
  throw e;
}

}  // namespace hub::connector::kingdee
