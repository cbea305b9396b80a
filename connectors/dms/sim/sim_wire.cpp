#include "connectors/dms/sim/sim_wire.h"

namespace hub::connector::dms::sim {

using nlohmann::json;
using hub::sim::SimResponse;

SimResponse jsonAnswer(int status, const json& body) {
  return SimResponse::json(status, body.dump(-1, ' ', false, json::error_handler_t::replace));
}

SimResponse apiError(int status, const std::string& code, const std::string& message, json details) {
  return jsonAnswer(status, {{"error", {{"code", code}, {"message", message}, {"details", std::move(details)}}}});
}

SimResponse unauthorized(const std::string& code, const std::string& message) {
  SimResponse r = apiError(401, code, message);
  r.headers.emplace_back("WWW-Authenticate",
                         "Bearer realm=\"dms\", error=\"" + std::string(code == "unauthorized" ? "invalid_token" : code) + "\"");
  return r;
}

std::string percentDecode(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += text[i] == '+' ? ' ' : text[i];
    }
  }
  return out;
}

std::vector<std::string> pathSegments(const std::string& path) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < path.size()) {
    auto end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    if (end > start) out.push_back(percentDecode(path.substr(start, end - start)));
    start = end + 1;
  }
  return out;
}

std::map<std::string, std::string> queryParams(const std::string& query) {
  std::map<std::string, std::string> out;
  std::size_t start = 0;
  while (start < query.size()) {
    auto end = query.find('&', start);
    if (end == std::string::npos) end = query.size();
    const std::string pair = query.substr(start, end - start);
    const auto eq = pair.find('=');
    out[percentDecode(pair.substr(0, eq))] = eq == std::string::npos ? "" : percentDecode(pair.substr(eq + 1));
    start = end + 1;
  }
  return out;
}

}  // namespace hub::connector::dms::sim
