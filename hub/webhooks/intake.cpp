#include "hub/webhooks/intake.h"

#include <algorithm>
#include <cctype>

#include "connectors/spi/errors.h"
#include "hub/core/failpoint.h"
#include "hub/core/log.h"
#include "hub/core/redaction.h"
#include "hub/webhooks/webhook_config.h"

namespace hub::webhooks {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxDeliveryId = 256;

// Sender-controlled text echoed in answers and logs: bounded, printable ASCII.
std::string clip(std::string_view s, std::size_t max = 128) {
  std::string out;
  for (char c : s.substr(0, max)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (s.size() > max) out += "...";
  return out;
}

// "Application/JSON; charset=utf-8" -> "application/json"
std::string mediaType(const std::string& contentType) {
  std::string m = contentType.substr(0, contentType.find(';'));
  m.erase(std::remove_if(m.begin(), m.end(), [](unsigned char c) { return std::isspace(c); }), m.end());
  std::transform(m.begin(), m.end(), m.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return m;
}

bool isJson(const std::string& m) {
  return m == "application/json" || (m.starts_with("application/") && m.ends_with("+json"));
}
bool isXml(const std::string& m) {
  return m == "application/xml" || m == "text/xml" || (m.starts_with("application/") && m.ends_with("+xml"));
}

// A structured-syntax suffix (+json, +xml) or text/xml is the family the source names.
bool accepts(const std::vector<std::string>& types, const std::string& m) {
  for (const auto& t : types) {
    if (t == m) return true;
    if (t == "application/json" && isJson(m)) return true;
    if (t == "application/xml" && isXml(m)) return true;
  }
  return false;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

// When several webhook triggers refuse, answer with the one that got furthest:
// "stale" means some secret did sign it, which is worth more than "missing".
int rank(Verdict v) {
  switch (v) {
    case Verdict::Ok:
      return 9;
    case Verdict::StaleTimestamp:
    case Verdict::FutureTimestamp:
      return 5;
    case Verdict::BadSignature:
      return 4;
    case Verdict::UnsupportedSignature:
      return 3;
    case Verdict::MalformedSignature:
      return 2;
    case Verdict::MissingSignature:
      return 1;
  }
  return 0;
}

// The id a refused sender claims, for the log line only (it is unverified).
std::string claimedId(const SignatureSettings& s, const http::Request& req) {
  switch (s.scheme) {
    case Scheme::Standard: {
      std::string id = req.header("webhook-id");
      return id.empty() ? req.header("svix-id") : id;
    }
    case Scheme::Hmac:
      return req.header(s.id_header);
    case Scheme::Stripe:
    case Scheme::Basic:
      return {};
  }
  return {};
}

}  // namespace

const std::vector<std::string>& intakeResults() {
  static const std::vector<std::string> all = {"accepted",
                                               "duplicate",
                                               "unknown_flow",
                                               "missing_signature",
                                               "malformed_signature",
                                               "unsupported_signature",
                                               "bad_signature",
                                               "stale_timestamp",
                                               "future_timestamp",
                                               "bad_delivery_id",
                                               "unsupported_media_type",
                                               "malformed_body",
                                               "unavailable"};
  return all;
}

struct WebhookIntake::Delivery {
  std::string flow;  // "" until the flow is known to have a webhook
  std::string requested;
  std::string id;
  std::string result;
  const WebhookTrigger* hook = nullptr;
  const engine::Flow* target = nullptr;
  json fields = json::object();
};

WebhookIntake::WebhookIntake(engine::Engine& engine, store::Store& store, IntakeObserver observer, const Clock& clock)
    : engine_(engine), store_(store), observer_(std::move(observer)), clock_(clock) {}

http::Response WebhookIntake::finish(const http::Request& req, Delivery& d, http::Response res) {
  json line = {{"flow", clip(d.flow.empty() ? d.requested : d.flow)},
               {"delivery_id", clip(d.id)},
               {"result", d.result},
               {"status", res.status},
               {"request_id", req.request_id}};
  if (d.hook) {
    line["mode"] = toString(d.hook->mode);
    line["scheme"] = toString(d.hook->signature.scheme);
  }
  for (const auto& [k, v] : d.fields.items()) line[k] = v;
  if (res.status < 300 || d.result == "duplicate")
    log::info("webhook_delivery", line);
  else if (res.status >= 500)
    log::error("webhook_delivery", line);
  else
    log::warn("webhook_delivery", line);
  if (observer_) {
    try {
      observer_(d.flow, d.result);
    } catch (const std::exception& e) {
      // The answer must not change because counting failed: the delivery may be committed.
      log::error("webhook_observer_failed", {{"error", e.what()}});
    }
  }
  return res;
}

http::Response WebhookIntake::refuse(const http::Request& req, Delivery& d, int status, const std::string& result,
                                     const std::string& message, nlohmann::json extra) {
  d.result = result;
  extra["result"] = result;
  return finish(req, d, http::Response::error(status, message, std::move(extra)));
}

http::Response WebhookIntake::handle(http::Request& req) {
  Delivery d;
  auto param = req.params.find("flow");
  d.requested = param == req.params.end() ? std::string() : param->second;
  const auto scape = engine_.landscape();
  const engine::Flow* flow = scape ? scape->flow(d.requested) : nullptr;
  const auto hooks = flow ? webhooksOf(flow->config.triggers) : std::vector<WebhookTrigger>{};
  if (hooks.empty())
    return refuse(req, d, 404, "unknown_flow", "no webhook is configured for flow '" + clip(d.requested) + "'");
  d.flow = d.requested;
  d.target = flow;

  const Millis now = clock_.now();
  std::optional<Verification> verdict;
  for (const auto& hook : hooks) {
    auto v = verify(hook.signature, req.headers, req.body, now);
    if (!verdict || rank(v.verdict) > rank(verdict->verdict)) {
      verdict = std::move(v);
      d.hook = &hook;
    }
    if (verdict->ok()) break;
  }
  if (!verdict->ok()) {
    d.id = claimedId(d.hook->signature, req);
    d.fields["reason"] = verdict->reason;
    return refuse(req, d, httpStatus(verdict->verdict), toString(verdict->verdict), verdict->reason);
  }
  d.id = verdict->delivery_id;
  if (d.id.size() > kMaxDeliveryId)
    return refuse(req, d, 400, "bad_delivery_id",
                  "delivery id is longer than " + std::to_string(kMaxDeliveryId) + " characters");

  try {
    return d.hook->mode == Mode::Payload ? payload(req, d) : notify(req, d);
  } catch (const std::exception& e) {
    // A failed transaction kept nothing: the sender's retry is the recovery.
    d.fields["error"] = redact(e.what());
    auto res = refuse(req, d, 503, "unavailable", "the delivery could not be stored; nothing was kept, please retry");
    res.headers["Retry-After"] = "1";
    return res;
  }
}

http::Response WebhookIntake::payload(const http::Request& req, Delivery& d) {
  const std::string contentType = req.header("Content-Type");
  const std::string media = mediaType(contentType);
  if (!d.target->source)
    return refuse(req, d, 503, "unavailable", "the source connector of flow '" + clip(d.flow) + "' is not available");
  const auto types =
      d.target->source->openSource(d.target->config.source.entity, d.target->config.source.options)->pushedMediaTypes();
  if (!accepts(types, media))
    return refuse(req, d, 415, "unsupported_media_type",
                  "Content-Type '" + clip(media, 64) + "' is not accepted here; send " + joined(types));
  const auto accepted = engine_.acceptPushed(d.flow, {req.body, contentType, d.hook->record_path}, d.id);
  if (!accepted) {
    using Reason = engine::PushRefused::Reason;
    switch (accepted.error().reason) {
      case Reason::MalformedBody:
        return refuse(req, d, 400, "malformed_body", "malformed body: " + accepted.error().message);
      case Reason::UnknownFlow:  // the flow went away in a reload
        return refuse(req, d, 404, "unknown_flow", "no webhook is configured for flow '" + clip(d.flow) + "'");
      case Reason::SourceUnavailable: {
        auto res = refuse(req, d, 503, "unavailable", accepted.error().message + "; nothing was kept, please retry");
        res.headers["Retry-After"] = "1";
        return res;
      }
      case Reason::DecoderFailed:
        return refuse(req, d, 500, "internal_error",
                      "the source connector could not read this body; nothing was kept (the hub's log has why)");
    }
  }
  const store::IntakeResult& result = *accepted;
  if (result.duplicate_delivery)
    return refuse(req, d, 409, "duplicate",
                  "delivery '" + clip(d.id) + "' was already accepted; nothing was stored again",
                  {{"duplicate", true}, {"delivery_id", d.id}});
  HUB_FAILPOINT("after_webhook_commit_before_202");
  d.result = "accepted";
  d.fields.update({{"records", result.received}, {"queued", result.queued}, {"unchanged", result.unchanged}});
  return finish(req, d,
                http::Response::json(202, {{"accepted", result.received},
                                           {"queued", result.queued},
                                           {"unchanged", result.unchanged},
                                           {"delivery_id", d.id}}));
}

http::Response WebhookIntake::notify(const http::Request& req, Delivery& d) {
  // The body is only a doorbell here, but one that claims to be JSON must be JSON.
  const std::string media = mediaType(req.header("Content-Type"));
  if (!req.body.empty() && !isJson(media) && !isXml(media))
    return refuse(
        req, d, 415, "unsupported_media_type",
        "Content-Type '" + clip(media, 64) + "' is not accepted here; send application/json or application/xml");
  if (!req.body.empty() && isJson(media) && !json::accept(req.body))
    return refuse(req, d, 400, "malformed_body", "malformed body: body is not valid JSON");

  store::PageCommit mark;  // no records: only the delivery id, so a retry does not pull twice
  mark.flow = d.flow;
  mark.entity = d.target->config.entity;
  mark.source_system = d.target->config.source.connector;
  mark.origin = "webhook";
  mark.delivery_id = d.id;
  mark.now = clock_.now();
  if (store_.queue().commitPage(mark).duplicate_delivery)
    return refuse(req, d, 409, "duplicate",
                  "delivery '" + clip(d.id) + "' was already accepted; nothing was started again",
                  {{"duplicate", true}, {"delivery_id", d.id}});
  HUB_FAILPOINT("after_webhook_commit_before_202");
  const auto started = engine_.trigger(d.flow, "webhook").result;
  d.result = "accepted";
  d.fields["trigger"] = engine::toString(started);
  return finish(req, d, http::Response::json(202, {{"trigger", engine::toString(started)}, {"delivery_id", d.id}}));
}

void addWebhookRoutes(http::Router& router, WebhookIntake& intake) {
  router.add(
      {"POST", "/webhooks/{flow}",
       "Signed webhook from a source system: queue its records (payload) or start a pull (notify)", "", "webhooks"},
      [&intake](http::Request& req) { return intake.handle(req); });
}

}  // namespace hub::webhooks
