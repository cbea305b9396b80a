// The DMS simulator's API routes and its /__sim admin endpoints.
#include "connectors/dms/sim/dms_simulator.h"
#include "connectors/dms/sim/sim_wire.h"

namespace hub::connector::dms::sim {

using nlohmann::json;
using hub::sim::SimRequest;
using hub::sim::SimResponse;

namespace {

Fault faultFrom(const json& j) {
  Fault f;
  f.kind = faultKindNamed(j.value("kind", "server_error"));
  f.operation = j.value("operation", "");
  f.entity = j.value("entity", "");
  f.times = j.value("times", 1);
  f.status = j.value("status", f.kind == FaultKind::ServerError ? 500 : 0);
  f.retry_after_s = j.value("retry_after", 1);
  f.delay_ms = j.value("delay_ms", 0LL);
  return f;
}

json statusView(const json& order) {
  json lines = json::array();
  for (const auto& l : order.value("lines", json::array()))
    lines.push_back({{"line_no", l.value("line_no", 0)}, {"sku", l.value("sku", "")}, {"qty", l.value("qty", 0.0)},
                     {"shipped_qty", l.value("shipped_qty", 0.0)}});
  return {{"id", order["id"]}, {"order_no", order["order_no"]}, {"status", order.value("status", "")},
          {"erp_bill_no", order.value("erp_bill_no", json())}, {"lines", lines},
          {"shipments", order.value("shipments", json::array())}, {"updated_at", order["updated_at"]}};
}

}  // namespace

SimResponse DmsSimulator::api(const SimRequest& req, const std::string& operation, const EntityInfo* entity,
                              const std::vector<std::string>& segments) {
  if (operation == "list") {
    if (req.method != "GET") return apiError(405, "method_not_allowed", "use GET");
    const auto q = queryParams(req.query);
    std::size_t limit = 100;
    Millis after = 0;
    try {
      if (q.count("limit")) limit = std::stoul(q.at("limit"));
    } catch (const std::exception&) {
      return apiError(400, "invalid_parameter", "limit must be a number", {{"parameter", "limit"}});
    }
    limit = std::clamp<std::size_t>(limit, 1, options_.max_limit);
    if (q.count("updated_after") && !q.at("updated_after").empty()) {
      auto t = parseIsoInstant(q.at("updated_after"));
      if (!t) return apiError(400, "invalid_parameter", "updated_after must be ISO 8601", {{"parameter", "updated_after"}});
      after = *t;
    }
    try {
      const auto page = store_.list(*entity, after, q.count("cursor") ? q.at("cursor") : "", limit);
      return jsonAnswer(200, {{"data", page.data}, {"next_cursor", page.next_cursor.empty() ? json() : json(page.next_cursor)}});
    } catch (const std::invalid_argument&) {
      return apiError(400, "invalid_cursor", "the cursor is not one this API issued", {{"parameter", "cursor"}});
    }
  }
  if (operation == "get") {
    if (req.method != "GET") return apiError(405, "method_not_allowed", "use GET");
    auto record = store_.get(*entity, segments[3]);
    return record ? jsonAnswer(200, *record) : apiError(404, "not_found", "no " + entity->event + " " + segments[3]);
  }
  if (operation == "status") {
    if (req.method == "GET") {
      auto order = store_.get(*entity, segments[3]);
      return order ? jsonAnswer(200, statusView(*order)) : apiError(404, "not_found", "no order " + segments[3]);
    }
    if (req.method != "PUT") return apiError(405, "method_not_allowed", "use GET or PUT");
    const json body = json::parse(req.body, nullptr, false);
    int status = 0;
    std::vector<Change> changes;
    json answer = store_.updateStatus(segments[3], req.header("Idempotency-Key"), body.is_discarded() ? json() : body,
                                      status, changes);
    publish(changes);
    if (status == 200) {
      json view = statusView(answer);
      view["result"] = answer["result"];
      answer = std::move(view);
    }
    return jsonAnswer(status, answer);
  }
  // batch
  if (req.method != "POST") return apiError(405, "method_not_allowed", "use POST");
  const json body = json::parse(req.body, nullptr, false);
  if (!body.is_object() || !body.contains("records") || !body["records"].is_array())
    return apiError(400, "invalid_body", "expected {\"records\":[{\"idempotency_key\",\"data\"}]}");
  if (body["records"].size() > options_.max_batch)
    return apiError(413, "too_many_records", "at most " + std::to_string(options_.max_batch) + " records per call");
  json results = json::array();
  std::vector<Change> changes;
  for (std::size_t i = 0; i < body["records"].size(); ++i) {
    const json& item = body["records"][i];
    json result;
    if (!item.is_object() || !item.contains("idempotency_key") || !item["idempotency_key"].is_string() ||
        item["idempotency_key"].get<std::string>().empty()) {
      result = {{"result", "rejected"}, {"status", 422}, {"code", "idempotency_key_required"},
                {"message", "every record needs an idempotency_key"}};
    } else {
      result = store_.upsert(*entity, item["idempotency_key"], item.value("data", json()), changes);
    }
    result["index"] = i;
    results.push_back(std::move(result));
  }
  publish(changes);
  return jsonAnswer(200, {{"results", results}});
}

SimResponse DmsSimulator::admin(const SimRequest& req) {
  const std::string what = req.path.substr(7);
  const json body = json::parse(req.body.empty() ? "{}" : req.body, nullptr, false);
  try {
    if (what == "faults" && req.method == "POST") {
      inject(faultFrom(body));
      return jsonAnswer(200, {{"ok", true}});
    }
    if (what == "faults/mix" && req.method == "POST") {
      std::vector<std::pair<double, Fault>> mix;
      for (const auto& f : body.value("faults", json::array())) mix.emplace_back(f.value("probability", 0.0), faultFrom(f));
      setFaultMix(std::move(mix), body.value("seed", 1ULL));
      return jsonAnswer(200, {{"ok", true}});
    }
    if (what == "faults" && req.method == "DELETE") {
      clearFaults();
      return jsonAnswer(200, {{"ok", true}});
    }
    if (what == "reject" && req.method == "POST") {
      rejectKeys(body.value("entity", ""), body.value("keys", std::vector<std::string>{}));
      return jsonAnswer(200, {{"ok", true}});
    }
    if (what == "tokens/expire" && req.method == "POST") {
      expireTokens();
      return jsonAnswer(200, {{"ok", true}});
    }
    if (what == "seed" && req.method == "POST") {
      seed(body);
      return jsonAnswer(200, {{"ok", true}});
    }
    if (what == "orders" && req.method == "POST") return jsonAnswer(200, {{"orders", placeOrders(body.value("count", 1))}});
    if (what == "ledger" && req.method == "GET") {
      json out = json::array();
      for (const auto& e : ledger())
        out.push_back({{"seq", e.seq}, {"at", formatIsoMillis(e.at)}, {"entity", e.entity}, {"key", e.key},
                       {"idempotency_key", e.idempotency_key}, {"payload_sha256", e.payload_sha256},
                       {"effect", e.effect}, {"status", e.status}});
      return jsonAnswer(200, out);
    }
    if (what == "requests" && req.method == "GET") {
      json out = json::array();
      for (const auto& e : requestLog())
        out.push_back({{"seq", e.seq}, {"at", formatIsoMillis(e.at)}, {"method", e.method}, {"operation", e.operation},
                       {"entity", e.entity}, {"status", e.status}, {"fault", e.fault},
                       {"idempotency_keys", e.idempotency_keys}});
      return jsonAnswer(200, out);
    }
    if (what == "webhooks" && req.method == "GET") {
      json out = json::array();
      for (const auto& a : webhookAttempts())
        out.push_back({{"id", a.id}, {"type", a.type}, {"attempt", a.attempt}, {"status", a.status}, {"at", formatIsoMillis(a.at)}});
      return jsonAnswer(200, out);
    }
    if (what == "stats" && req.method == "GET") {
      json counts = json::object();
      for (const auto& e : entities()) counts[e.name] = count(e.name);
      return jsonAnswer(200, {{"records", counts}, {"requests", requests()}, {"faults_applied", faultsApplied()},
                              {"ledger", ledger().size()}, {"webhook_attempts", webhookAttempts().size()},
                              {"webhooks_pending", webhooksPending()}});
    }
  } catch (const std::exception& e) {
    return apiError(400, "invalid_request", e.what());
  }
  return apiError(404, "not_found", "no admin endpoint " + req.method + " " + req.path);
}

}  // namespace hub::connector::dms::sim
