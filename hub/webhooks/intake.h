#pragma once
// POST /webhooks/{flow}: a system pushes changes to the hub. The signature
// authenticates the call (the route is public); the sender's delivery id makes
// retries harmless. Payload mode commits the body's records to the flow's
// queue together with the delivery id before answering 202, so nothing
// acknowledged is lost; notify mode records the id, then starts a pull.
// Every refusal is a JSON error and stores nothing.
//
//   404 unknown flow or no webhook trigger   401 missing/malformed/bad signature
//   400 stale or future timestamp, malformed body, unusable delivery id
//   409 delivery id already accepted ({"duplicate": true}: the sender may stop)
//   415 content type the flow's source does not decode   413 (server) body too large
//   503 the store failed (nothing kept; the sender should retry)
#include <functional>
#include <string>
#include <vector>

#include "hub/core/time.h"
#include "hub/engine/engine.h"
#include "hub/http/router.h"
#include "hub/store/store.h"

namespace hub::webhooks {

// Called once per delivery with a label from intakeResults(). Unknown flows are
// reported with flow "" so a prober cannot mint metric label values. Called on
// HTTP threads: must be thread-safe and cheap.
using IntakeObserver = std::function<void(const std::string& flow, const std::string& result)>;

// Every result label, to pre-register metric series:
// accepted, duplicate, unknown_flow, missing_signature, malformed_signature,
// unsupported_signature, bad_signature, stale_timestamp, future_timestamp,
// bad_delivery_id, unsupported_media_type, malformed_body, unavailable.
const std::vector<std::string>& intakeResults();

class WebhookIntake {
 public:
  WebhookIntake(engine::Engine& engine, store::Store& store, IntakeObserver observer = {},
                const Clock& clock = SystemClock::instance());
  WebhookIntake(const WebhookIntake&) = delete;

  // Answers one delivery; `req.params["flow"]` names the flow. Thread-safe.
  http::Response handle(http::Request& req);

 private:
  struct Delivery;
  http::Response finish(const http::Request& req, Delivery& d, http::Response res);
  http::Response refuse(const http::Request& req, Delivery& d, int status, const std::string& result,
                        const std::string& message, nlohmann::json extra = nlohmann::json::object());
  http::Response payload(const http::Request& req, Delivery& d);
  http::Response notify(const http::Request& req, Delivery& d);

  engine::Engine& engine_;
  store::Store& store_;
  IntakeObserver observer_;
  const Clock& clock_;
};

// Mounts POST /webhooks/{flow} (role "": the signature is the authentication).
// `intake` must outlive the router.
void addWebhookRoutes(http::Router& router, WebhookIntake& intake);

}  // namespace hub::webhooks
