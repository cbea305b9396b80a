#include "connectors/rest/rest_settings.h"

#include "connectors/http/client_settings.h"
#include "connectors/spi/errors.h"
#include "hub/core/digest.h"
#include "hub/core/time.h"

namespace hub::connector::rest {
namespace {

using nlohmann::json;

[[noreturn]] void bad(const std::string& key, const std::string& message) {
  throw PermanentError("config", key + ": " + message);
}

std::string text(const json& j, const char* key, std::string fallback = {}) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return fallback;
  if (!it->is_string()) bad(key, "must be a string");
  return it->get<std::string>();
}

long long integer(const json& j, const char* key, long long fallback) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return fallback;
  if (!it->is_number_integer()) bad(key, "must be an integer");
  return it->get<long long>();
}

// The loader hands durations over as milliseconds; tests may write "30s".
Millis duration(const json& j, const char* key, Millis fallback) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return fallback;
  if (it->is_number_integer()) return it->get<Millis>();
  if (it->is_string())
    if (auto d = parseDuration(it->get<std::string>())) return *d;
  bad(key, "must be a duration like 30s");
}

std::map<std::string, std::string> stringMap(const json& j, const char* key) {
  std::map<std::string, std::string> out;
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return out;
  if (!it->is_object()) bad(key, "must be a mapping");
  for (const auto& [k, v] : it->items()) out[k] = v.is_string() ? v.get<std::string>() : v.dump();
  return out;
}

TimeFormat timeFormat(const json& j, const char* key, TimeFormat fallback) {
  const std::string name = text(j, key);
  if (name.empty()) return fallback;
  auto f = parseTimeFormat(name);
  if (!f) bad(key, "must be iso, epoch_ms or epoch_s");
  return *f;
}

std::string decodeSecret(const std::string& secret, const std::string& encoding) {
  if (encoding.empty() || encoding == "text") return secret;
  std::string out;
  if (encoding == "base64") {
    if (!digest::base64Decode(secret, out)) bad("auth/secret", "is not valid base64");
    return out;
  }
  if (encoding == "hex") {
    if (secret.size() % 2 || secret.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
      bad("auth/secret", "is not valid hex");
    for (std::size_t i = 0; i < secret.size(); i += 2) out += static_cast<char>(std::stoi(secret.substr(i, 2), nullptr, 16));
    return out;
  }
  bad("auth/secret_encoding", "must be text, hex or base64");
}

Field timeFormatField(std::string name) {
  return Field::oneOf(std::move(name), {"iso", "epoch_ms", "epoch_s"});
}

}  // namespace

SettingsSpec settingsSpec() {
  return {
      Field::string("base_url").require().describe("API root, e.g. https://erp.example.com/api"),
      Field::object("auth",
                    {
                        Field::oneOf("type", {"none", "bearer", "basic", "api_key", "hmac"}).byDefault("none"),
                        Field::string("token").secretValue().describe("bearer: the token"),
                        Field::string("username").describe("basic: user name"),
                        Field::string("password").secretValue().describe("basic: password"),
                        Field::string("header").byDefault("X-API-Key").describe("api_key: header carrying the key"),
                        Field::string("value").secretValue().describe("api_key: the key"),
                        Field::string("key_id").describe("hmac: key id, sent in key_id_header"),
                        Field::string("secret").secretValue().describe("hmac: shared secret"),
                        Field::oneOf("secret_encoding", {"text", "hex", "base64"}).byDefault("text"),
                        Field::string("key_id_header").byDefault("X-Key-Id"),
                        Field::string("timestamp_header").byDefault("X-Timestamp"),
                        Field::string("signature_header").byDefault("X-Signature"),
                        Field::string("signature_prefix").describe("prepended to the signature, e.g. sha256="),
                        Field::oneOf("signature_encoding", {"hex", "base64"}).byDefault("hex"),
                        timeFormatField("timestamp_format").byDefault("epoch_s"),
                    })
          .describe("how requests authenticate"),
      http::connectTimeoutField(),
      http::timeoutField(),
      Field::boolean("verify_tls").byDefault(true),
      Field::string("ca_file").describe("CA bundle for a private PKI; empty = the system's"),
      Field::map("headers", Field::string("value")).describe("static headers sent with every call"),
      Field::number("max_pages_per_second").byDefault(Settings{}.max_pages_per_second).range(0, 1000)
          .describe("throttle source paging; 0 = unlimited"),
  };
}

SettingsSpec sourceOptionsSpec() {
  return {
      Field::string("path").require().describe("collection path under base_url, e.g. /customers"),
      Field::string("records").describe("JSON pointer or dotted path to the array; default the body or its `data`"),
      Field::string("key").byDefault("id").describe("field holding the record's business key"),
      Field::string("updated_at").byDefault("updated_at").describe("field holding the change time; empty = none"),
      timeFormatField("updated_at_format").byDefault("iso"),
      Field::string("updated_at_zone").byDefault("UTC").describe("offset for zone-less times, e.g. +08:00"),
      Field::oneOf("paging", {"none", "page", "offset", "cursor"}).byDefault("none"),
      Field::string("page_param").byDefault("page"),
      Field::string("size_param").byDefault("page_size").describe("page size parameter (page and cursor paging)"),
      Field::integer("first_page").byDefault(SourceOptions{}.first_page).range(0, 1000000)
          .describe("number of the first page (page paging)"),
      Field::string("offset_param").byDefault("offset"),
      Field::string("limit_param").byDefault("limit"),
      Field::string("cursor_param").byDefault("cursor"),
      Field::string("next_cursor").byDefault("next_cursor").describe("where the answer carries the next cursor"),
      Field::string("updated_since_param").describe("query parameter for the change filter; empty = none"),
      timeFormatField("updated_since_format").byDefault("iso"),
      Field::map("query", Field::string("value")).describe("extra query parameters"),
  };
}

SettingsSpec sinkOptionsSpec() {
  return {
      Field::string("path").require().describe("path records are written to, e.g. /customers"),
      Field::oneOf("method", {"POST", "PUT", "PATCH"}).byDefault("POST"),
      Field::oneOf("batch", {"single", "array"}).byDefault("single").describe("one record per call, or an array"),
      Field::string("update_path").describe("when the remote id is known, e.g. /customers/{id} (single mode)"),
      Field::oneOf("update_method", {"POST", "PUT", "PATCH"}).byDefault("PUT"),
      Field::string("id_field").byDefault("id").describe("remote id in the answer (or in each result)"),
      Field::string("number_field").describe("business number the target assigned, if any"),
      Field::string("idempotency_header").byDefault("Idempotency-Key"),
      Field::string("idempotency_field").byDefault("idempotency_key").describe("array mode: per-item key field"),
      Field::string("wrap").describe("array mode: member the array goes into; empty = bare array"),
      Field::string("results").byDefault("results").describe("array mode: where per-record results are"),
      Field::string("result_status").byDefault("status").describe("in a result: HTTP code or word"),
      Field::list("ok_values", Field::string("value"))
          .byDefault(json::array({"ok", "created", "updated", "unchanged", "success", "delivered"})),
      Field::string("result_error").byDefault("error").describe("in a result: the error message"),
      Field::integer("max_batch").byDefault(SinkOptions{}.max_batch).range(1, 10000)
          .describe("array mode: most records per call"),
  };
}

Settings parseSettings(const json& j) {
  Settings s;
  s.base_url = text(j, "base_url");
  if (s.base_url.empty()) bad("base_url", "is required");
  s.base_url = http::trimBaseUrl(s.base_url);
  const json auth = j.value("auth", json::object());
  const std::string type = text(auth, "type", "none");
  if (type == "none") s.auth.kind = AuthKind::None;
  else if (type == "bearer") s.auth.kind = AuthKind::Bearer;
  else if (type == "basic") s.auth.kind = AuthKind::Basic;
  else if (type == "api_key") s.auth.kind = AuthKind::ApiKey;
  else if (type == "hmac") s.auth.kind = AuthKind::Hmac;
  else bad("auth/type", "must be none, bearer, basic, api_key or hmac");
  s.auth.token = text(auth, "token");
  s.auth.username = text(auth, "username");
  s.auth.password = text(auth, "password");
  s.auth.header = text(auth, "header", "X-API-Key");
  s.auth.value = text(auth, "value");
  auto& h = s.auth.hmac;
  h.key_id = text(auth, "key_id");
  h.secret = decodeSecret(text(auth, "secret"), text(auth, "secret_encoding", "text"));
  h.key_id_header = text(auth, "key_id_header", h.key_id_header);
  h.timestamp_header = text(auth, "timestamp_header", h.timestamp_header);
  h.signature_header = text(auth, "signature_header", h.signature_header);
  h.signature_prefix = text(auth, "signature_prefix");
  h.base64_signature = text(auth, "signature_encoding", "hex") == "base64";
  h.timestamp_format = timeFormat(auth, "timestamp_format", TimeFormat::EpochSeconds);
  s.connect_timeout = duration(j, "connect_timeout", s.connect_timeout);
  s.timeout = duration(j, "timeout", s.timeout);
  s.verify_tls = j.value("verify_tls", true);
  s.ca_file = text(j, "ca_file");
  s.headers = stringMap(j, "headers");
  s.max_pages_per_second = j.value("max_pages_per_second", 0.0);
  return s;
}

SourceOptions parseSourceOptions(const json& j) {
  SourceOptions o;
  o.path = text(j, "path");
  if (o.path.empty()) bad("path", "is required");
  o.records = text(j, "records");
  o.key = text(j, "key", o.key);
  o.updated_at = text(j, "updated_at", o.updated_at);
  o.updated_at_format = timeFormat(j, "updated_at_format", o.updated_at_format);
  auto zone = parseZoneOffset(text(j, "updated_at_zone", "UTC"));
  if (!zone) bad("updated_at_zone", "must be UTC or an offset like +08:00");
  o.updated_at_zone = *zone;
  const std::string paging = text(j, "paging", "none");
  if (paging == "none") o.paging = Paging::None;
  else if (paging == "page") o.paging = Paging::Page;
  else if (paging == "offset") o.paging = Paging::Offset;
  else if (paging == "cursor") o.paging = Paging::Cursor;
  else bad("paging", "must be none, page, offset or cursor");
  o.page_param = text(j, "page_param", o.page_param);
  o.size_param = text(j, "size_param", o.size_param);
  o.first_page = integer(j, "first_page", o.first_page);
  o.offset_param = text(j, "offset_param", o.offset_param);
  o.limit_param = text(j, "limit_param", o.limit_param);
  o.cursor_param = text(j, "cursor_param", o.cursor_param);
  o.next_cursor = text(j, "next_cursor", o.next_cursor);
  o.updated_since_param = text(j, "updated_since_param");
  o.updated_since_format = timeFormat(j, "updated_since_format", o.updated_since_format);
  o.query = stringMap(j, "query");
  return o;
}

SinkOptions parseSinkOptions(const json& j) {
  SinkOptions o;
  o.path = text(j, "path");
  if (o.path.empty()) bad("path", "is required");
  o.method = text(j, "method", o.method);
  o.batch = text(j, "batch", "single") == "array" ? BatchMode::Array : BatchMode::Single;
  o.update_path = text(j, "update_path");
  o.update_method = text(j, "update_method", o.update_method);
  o.id_field = text(j, "id_field", o.id_field);
  o.number_field = text(j, "number_field");
  o.idempotency_header = text(j, "idempotency_header", o.idempotency_header);
  o.idempotency_field = text(j, "idempotency_field", o.idempotency_field);
  o.wrap = text(j, "wrap");
  o.results = text(j, "results", o.results);
  o.result_status = text(j, "result_status", o.result_status);
  if (auto it = j.find("ok_values"); it != j.end() && it->is_array()) o.ok_values = it->get<std::vector<std::string>>();
  o.result_error = text(j, "result_error", o.result_error);
  o.max_batch = integer(j, "max_batch", o.max_batch);
  if (o.max_batch < 1) bad("max_batch", "must be at least 1");
  if (o.batch == BatchMode::Array && !o.update_path.empty())
    bad("update_path", "is only used with batch: single (an array call has one path)");
  return o;
}

std::vector<SettingsIssue> validateSettings(const json& j) {
  std::vector<SettingsIssue> issues;
  const json auth = j.value("auth", json::object());
  const std::string type = auth.value("type", "none");
  auto need = [&](const char* key, const std::string& why) {
    if (auth.value(key, std::string()).empty()) issues.push_back({std::string("/auth/") + key, why});
  };
  if (type == "bearer") need("token", "auth type bearer needs a token");
  if (type == "basic") need("username", "auth type basic needs a username");
  if (type == "api_key") need("value", "auth type api_key needs the key in 'value'");
  if (type == "hmac") need("secret", "auth type hmac needs a secret");
  const std::string url = j.value("base_url", std::string());
  if (const auto problem = http::baseUrlProblem(url)) issues.push_back({"/base_url", *problem});
  if (j.contains("ca_file") && !j.value("verify_tls", true))
    issues.push_back({"/ca_file", "a CA file has no effect while verify_tls is false"});
  try {
    parseSettings(j);
  } catch (const PermanentError& e) {
    const std::string what = e.what();
    issues.push_back({"/" + what.substr(0, what.find(':')), what.substr(what.find(':') + 2)});
  }
  return issues;
}

}  // namespace hub::connector::rest
