#include "hub/webhooks/webhook_config.h"

namespace hub::webhooks {
namespace {

std::string text(const nlohmann::json& w, const char* key, const std::string& fallback) {
  auto it = w.find(key);
  return it != w.end() && it->is_string() ? it->get<std::string>() : fallback;
}

}  // namespace

const char* toString(Mode m) { return m == Mode::Notify ? "notify" : "payload"; }

std::vector<WebhookTrigger> webhooksOf(const nlohmann::json& triggers) {
  std::vector<WebhookTrigger> out;
  if (!triggers.is_array()) return out;
  for (const auto& t : triggers) {
    if (!t.is_object() || !t.contains("webhook") || !t["webhook"].is_object()) continue;
    const auto& w = t["webhook"];
    WebhookTrigger hook;
    const std::string mode = text(w, "mode", "payload");
    if (mode != "payload" && mode != "notify") continue;
    hook.mode = mode == "notify" ? Mode::Notify : Mode::Payload;
    const auto scheme = parseScheme(text(w, "scheme", "standard"));
    if (!scheme) continue;
    auto& s = hook.signature;
    s.scheme = *scheme;
    // An empty secret would be a key anyone can sign with: never a candidate.
    auto addSecret = [&s](const nlohmann::json& v) {
      if (v.is_string() && !v.get<std::string>().empty()) s.secrets.push_back(v.get<std::string>());
    };
    if (w.contains("secret")) addSecret(w["secret"]);
    if (w.contains("secrets") && w["secrets"].is_array())
      for (const auto& secret : w["secrets"]) addSecret(secret);
    s.header = text(w, "header", s.header);
    s.prefix = text(w, "prefix", s.prefix);
    s.id_header = text(w, "id_header", s.id_header);
    hook.record_path = text(w, "record", "");
    if (w.contains("tolerance") && w["tolerance"].is_number_integer()) s.tolerance = w["tolerance"].get<Millis>();
    out.push_back(std::move(hook));
  }
  return out;
}

}  // namespace hub::webhooks
