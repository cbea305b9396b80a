// PUT /api/v1/orders/{order_no}/status: the ERP's side of an order written
// back — its bill number, and shipments (one per outbound bill, upserted by
// shipment_no so a repeated shipment never counts twice). Each line's
// shipped_qty is the sum over shipments; the status follows unless given.
#include <cmath>
#include <set>

#include "connectors/dms/sim/dms_store.h"
#include "hub/core/digest.h"

namespace hub::connector::dms::sim {

using nlohmann::json;

namespace {

json problem(const std::string& code, const std::string& message, json errors = json::array()) {
  return {{"error", {{"code", code}, {"message", message}, {"details", {{"errors", std::move(errors)}}}}}};
}

// Index of the order line a shipment line refers to (line_no, else first line with the sku); -1 = none.
int lineOf(const json& order, const json& shipped) {
  const json lines = order.value("lines", json::array());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (shipped.contains("line_no") && lines[i].value("line_no", -1) == shipped["line_no"]) return static_cast<int>(i);
    if (!shipped.contains("line_no") && shipped.contains("sku") && lines[i].value("sku", "") == shipped["sku"])
      return static_cast<int>(i);
  }
  return -1;
}

}  // namespace

json DmsStore::updateStatus(const std::string& orderNo, const std::string& idem, const json& body, int& status,
                            std::vector<Change>& changes) {
  std::lock_guard lock(mutex_);
  const std::string hash = digest::sha256Hex(body.dump());
  if (auto again = replay("order_status", orderNo, idem, hash, status)) {
    if (status == 409) return problem("idempotency_key_reused", again->value("message", ""));
    return *again;
  }
  auto& table = tables_["orders"];
  auto it = table.by_key.find(orderNo);
  if (it == table.by_key.end()) {
    status = 404;
    record("order_status", orderNo, idem, hash, "rejected", status);
    return problem("not_found", "no order " + orderNo);
  }
  json order = it->second.doc;
  json errors = json::array();
  if (!body.is_object()) {
    status = 400;
    record("order_status", orderNo, idem, hash, "rejected", status);
    return problem("invalid_body", "the body must be a JSON object");
  }
  if (body.contains("status")) {
    static const std::set<std::string> known = {"submitted", "approved", "partially_shipped", "shipped", "completed", "cancelled"};
    if (!body["status"].is_string() || !known.count(body["status"].get<std::string>()))
      errors.push_back({{"field", "status"}, {"code", "enum"}, {"message", "unknown order status"}});
  }
  if (body.contains("erp_bill_no")) order["erp_bill_no"] = body["erp_bill_no"];
  json shipments = order.value("shipments", json::array());
  for (const auto& s : body.value("shipments", json::array())) {
    if (!s.is_object() || !s.contains("shipment_no") || !s["shipment_no"].is_string()) {
      errors.push_back({{"field", "shipments[].shipment_no"}, {"code", "required"}, {"message", "shipment_no is required"}});
      continue;
    }
    for (const auto& l : s.value("lines", json::array()))
      if (!l.is_object() || lineOf(order, l) < 0 || !l.contains("qty") || !l["qty"].is_number())
        errors.push_back({{"field", "shipments[" + s["shipment_no"].get<std::string>() + "].lines"},
                          {"code", "unknown_line"},
                          {"message", "each line needs qty and a line_no or sku of the order: " + l.dump()}});
    bool replaced = false;
    for (auto& existing : shipments)
      if (existing.value("shipment_no", "") == s["shipment_no"]) {
        existing = s;
        replaced = true;
      }
    if (!replaced) shipments.push_back(s);
  }
  // Shipped quantity per line, over every shipment; no line may ship more than ordered.
  auto& lines = order["lines"];
  std::vector<double> shipped(lines.size(), 0.0);
  if (errors.empty())
    for (const auto& s : shipments)
      for (const auto& l : s.value("lines", json::array())) shipped[static_cast<std::size_t>(lineOf(order, l))] += l["qty"].get<double>();
  bool all = !lines.empty(), any = false;
  for (std::size_t i = 0; i < lines.size() && errors.empty(); ++i) {
    const double ordered = lines[i].value("qty", 0.0);
    if (shipped[i] > ordered + 1e-9)
      errors.push_back({{"field", "lines[" + std::to_string(i) + "].shipped_qty"}, {"code", "over_shipment"},
                        {"message", "shipped " + json(shipped[i]).dump() + " of " + json(ordered).dump()}});
    lines[i]["shipped_qty"] = std::round(shipped[i] * 1e6) / 1e6;
    all = all && shipped[i] >= ordered - 1e-9;
    any = any || shipped[i] > 0;
  }
  if (!errors.empty()) {
    status = 422;
    record("order_status", orderNo, idem, hash, "rejected", status);
    json answer = problem("validation_failed", "the status update is invalid", errors);
    if (!idem.empty()) idempotency_[idem] = {hash, status, answer};
    return answer;
  }
  order["shipments"] = shipments;
  if (body.contains("status") && body["status"].is_string()) order["status"] = body["status"];
  else if (all) order["status"] = "shipped";
  else if (any) order["status"] = "partially_shipped";

  const bool changed = order != it->second.doc;
  if (changed) {
    bool created = false;
    write(*findEntity("orders"), orderNo, order, clock_(), created);
  }
  const Stored& s = table.by_key.at(orderNo);
  json result = view(s);
  result["result"] = changed ? "updated" : "unchanged";
  status = 200;
  record("order_status", orderNo, idem, hash, changed ? "updated" : "unchanged", status);
  if (changed) changes.push_back({"order.status_updated", view(s)});
  if (!idem.empty()) idempotency_[idem] = {hash, status, result};
  return result;
}

}  // namespace hub::connector::dms::sim
