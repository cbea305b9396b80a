#pragma once
// A flow's webhook triggers, read from its `triggers` list in hub.yaml
// (`- webhook: {mode, scheme, secret, secrets, header, prefix, id_header,
// tolerance}`). Read per request, so a reload's new secrets apply at once.
#include <nlohmann/json.hpp>
#include <vector>

#include "hub/webhooks/signature.h"

namespace hub::webhooks {

enum class Mode {
  Payload,  // the body's records are committed to the flow's queue before the 202
  Notify,   // the call starts an incremental pull; the body is not queued
};
const char* toString(Mode m);

struct WebhookTrigger {
  Mode mode = Mode::Payload;
  SignatureSettings signature;
  std::string record_path;  // payload mode: where the record(s) sit in the body ("" = the default shapes)
};

// Every `webhook` trigger in `triggers` (the loader has checked and defaulted
// them; anything unreadable is left out rather than guessed).
std::vector<WebhookTrigger> webhooksOf(const nlohmann::json& triggers);

}  // namespace hub::webhooks
