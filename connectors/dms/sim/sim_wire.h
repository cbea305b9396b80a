#pragma once
// HTTP details of the simulated DMS API: its JSON error shape
// {"error":{"code","message","details"}}, path segments and query parameters.
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "connectors/sim/sim_http_server.h"

namespace hub::connector::dms::sim {

hub::sim::SimResponse apiError(int status, const std::string& code, const std::string& message,
                               nlohmann::json details = nlohmann::json::object());
// 401 with WWW-Authenticate, code unauthorized | token_expired | invalid_client.
hub::sim::SimResponse unauthorized(const std::string& code, const std::string& message);
hub::sim::SimResponse jsonAnswer(int status, const nlohmann::json& body);

std::vector<std::string> pathSegments(const std::string& path);  // percent-decoded
std::map<std::string, std::string> queryParams(const std::string& query);
std::string percentDecode(const std::string& text);

}  // namespace hub::connector::dms::sim
