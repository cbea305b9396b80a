#include "connectors/dms/dms_settings.h"

#include "connectors/http/client_settings.h"
#include "connectors/spi/errors.h"
#include "hub/core/time.h"

namespace hub::connector::dms {
namespace {

using nlohmann::json;

std::string text(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return {};
  if (!it->is_string()) throw PermanentError("config", std::string(key) + ": must be a string");
  return it->get<std::string>();
}

Millis duration(const json& j, const char* key, Millis fallback) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return fallback;
  if (it->is_number_integer()) return it->get<Millis>();
  if (it->is_string())
    if (auto d = parseDuration(it->get<std::string>())) return *d;
  throw PermanentError("config", std::string(key) + ": must be a duration like 30s");
}

}  // namespace

SettingsSpec settingsSpec() {
  return {
      Field::string("base_url").require().describe("DMS core root, e.g. https://dms.example.com (API under /api/v1)"),
      Field::string("token").secretValue().describe("static API token (bearer)"),
      Field::string("client_id").describe("client credentials: id (instead of token)"),
      Field::string("client_secret").secretValue().describe("client credentials: secret"),
      http::connectTimeoutField(),
      http::timeoutField(),
      Field::boolean("verify_tls").byDefault(true),
      Field::string("ca_file").describe("CA bundle for a private PKI; empty = the system's"),
      Field::integer("batch_size").byDefault(Settings{}.batch_size).range(1, 100)
          .describe("records per batch upsert (the DMS API's ceiling is 100)"),
  };
}

Settings parseSettings(const json& j) {
  Settings s;
  s.base_url = text(j, "base_url");
  if (s.base_url.empty()) throw PermanentError("config", "base_url: is required");
  s.base_url = http::trimBaseUrl(s.base_url);
  s.token = text(j, "token");
  s.client_id = text(j, "client_id");
  s.client_secret = text(j, "client_secret");
  if (s.token.empty() && (s.client_id.empty() || s.client_secret.empty()))
    throw PermanentError("config", "token: give a token, or client_id and client_secret");
  s.connect_timeout = duration(j, "connect_timeout", s.connect_timeout);
  s.timeout = duration(j, "timeout", s.timeout);
  s.verify_tls = j.value("verify_tls", true);
  s.ca_file = text(j, "ca_file");
  s.batch_size = j.value("batch_size", s.batch_size);  // range checked by the spec
  return s;
}

std::vector<SettingsIssue> validateSettings(const json& j) {
  std::vector<SettingsIssue> issues;
  const bool token = !j.value("token", std::string()).empty();
  const bool id = !j.value("client_id", std::string()).empty();
  const bool secret = !j.value("client_secret", std::string()).empty();
  if (!token && !id && !secret) issues.push_back({"/token", "give a token, or client_id and client_secret"});
  if (id != secret) issues.push_back({id ? "/client_secret" : "/client_id", "client credentials need both id and secret"});
  if (token && id) issues.push_back({"/client_id", "give either a token or client credentials, not both"});
  const std::string url = j.value("base_url", std::string());
  if (const auto problem = http::baseUrlProblem(url)) issues.push_back({"/base_url", *problem});
  return issues;
}

}  // namespace hub::connector::dms
