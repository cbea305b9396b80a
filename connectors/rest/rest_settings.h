#pragma once
// The rest connector's configuration: the instance block (where the API is
// and how to authenticate), a flow source's options (how to page through a
// collection) and a flow target's options (how to write records). Parsing
// applies the same defaults the specs declare, so tests may pass sparse JSON.
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "connectors/rest/record_fields.h"
#include "connectors/spi/settings_spec.h"

namespace hub::connector::rest {

enum class AuthKind { None, Bearer, Basic, ApiKey, Hmac };

// Requests signed with HMAC-SHA256 over canonicalRequest() (rest_auth.h).
struct HmacScheme {
  std::string key_id;            // sent in key_id_header when not empty
  std::string secret;            // raw key bytes (decoded from secret_encoding)
  std::string key_id_header = "X-Key-Id";
  std::string timestamp_header = "X-Timestamp";
  std::string signature_header = "X-Signature";
  std::string signature_prefix;  // e.g. "sha256=" or "v1="
  bool base64_signature = false;  // hex (lowercase) otherwise
  TimeFormat timestamp_format = TimeFormat::EpochSeconds;
};

struct Auth {
  AuthKind kind = AuthKind::None;
  std::string token;              // bearer
  std::string username, password; // basic
  std::string header = "X-API-Key", value;  // api_key
  HmacScheme hmac;
};

struct Settings {
  std::string base_url;           // without a trailing slash
  Auth auth;
  Millis connect_timeout = 5000;
  Millis timeout = 30000;
  bool verify_tls = true;
  std::string ca_file;
  std::map<std::string, std::string> headers;
  double max_pages_per_second = 0;  // 0 = unlimited
};

enum class Paging { None, Page, Offset, Cursor };

struct SourceOptions {
  std::string path;               // "/customers"
  std::string records;            // where the array is; "" = the body, or its `data` member
  std::string key = "id";
  std::string updated_at = "updated_at";  // "" = the API gives no change time
  TimeFormat updated_at_format = TimeFormat::Iso;
  int updated_at_zone = 0;        // minutes east of UTC for zone-less timestamps
  Paging paging = Paging::None;
  std::string page_param = "page", size_param = "page_size";
  long long first_page = 1;
  std::string offset_param = "offset", limit_param = "limit";
  std::string cursor_param = "cursor", next_cursor = "next_cursor";
  std::string updated_since_param;  // "" = no server-side filter (the connector filters)
  TimeFormat updated_since_format = TimeFormat::Iso;
  std::map<std::string, std::string> query;
};

enum class BatchMode { Single, Array };

struct SinkOptions {
  std::string path;               // "/customers"
  std::string method = "POST";
  BatchMode batch = BatchMode::Single;
  std::string update_path;        // "/customers/{id}": used when a remote id is known (single mode)
  std::string update_method = "PUT";
  std::string id_field = "id";    // in the answer (single) or in each result (array)
  std::string number_field;       // business number in the answer, when the target assigns one
  std::string idempotency_header = "Idempotency-Key";
  std::string idempotency_field = "idempotency_key";  // per item in array mode; "" = none
  std::string wrap;               // array mode: "" sends [...], "records" sends {"records":[...]}
  std::string results = "results";  // array mode: where the per-record results are
  std::string result_status = "status";
  std::vector<std::string> ok_values = {"ok", "created", "updated", "unchanged", "success", "delivered"};
  std::string result_error = "error";
  long long max_batch = 100;
};

SettingsSpec settingsSpec();
SettingsSpec sourceOptionsSpec();
SettingsSpec sinkOptionsSpec();

// Throw PermanentError("config", ...) naming the offending key.
Settings parseSettings(const nlohmann::json& settings);
SourceOptions parseSourceOptions(const nlohmann::json& options);
SinkOptions parseSinkOptions(const nlohmann::json& options);

// Cross-field checks of the instance block (ConnectorType::validate).
std::vector<SettingsIssue> validateSettings(const nlohmann::json& settings);

}  // namespace hub::connector::rest
