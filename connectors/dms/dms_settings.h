#pragma once
// The dms connector's instance block: where the DMS core is and how the hub
// authenticates (a static API token, or client credentials exchanged for
// short-lived tokens that are renewed transparently).
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "connectors/spi/record.h"
#include "connectors/spi/settings_spec.h"

namespace hub::connector::dms {

struct Settings {
  std::string base_url;  // without trailing slash; the API lives under /api/v1
  std::string token;     // static bearer token, or:
  std::string client_id, client_secret;  // POST /api/v1/auth/token
  Millis connect_timeout = 5000;
  Millis timeout = 30000;
  bool verify_tls = true;
  std::string ca_file;
  long long batch_size = 100;  // records per batch upsert (the API's ceiling is 100)
};

SettingsSpec settingsSpec();
Settings parseSettings(const nlohmann::json& settings);  // throws PermanentError("config")
std::vector<SettingsIssue> validateSettings(const nlohmann::json& settings);

}  // namespace hub::connector::dms
