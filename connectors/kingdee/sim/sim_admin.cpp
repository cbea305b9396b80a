// The simulator's admin endpoints, so a test or a person drives faults and
// seeding from outside the process (curl against `hub-sim kingdee`).
#include "connectors/kingdee/sim/kingdee_simulator.h"
#include "connectors/kingdee/sim/sim_forms.h"
#include "connectors/kingdee/sim/sim_json.h"

namespace hub::connector::kingdee::sim {

using nlohmann::json;
using hub::sim::SimRequest;
using hub::sim::SimResponse;

SimResponse KingdeeSimulator::admin(const SimRequest& req) {
  auto error = [](int status, const std::string& m) { return SimResponse::json(status, json{{"error", m}}.dump()); };
  const json body = req.body.empty() ? json::object() : json::parse(req.body, nullptr, false);
  if (body.is_discarded()) return error(400, "body is not JSON");
  if (req.path == "/__sim/faults" && req.method == "POST") {
    try {
      Fault f;
      f.kind = faultKindNamed(body.value("kind", ""));
      f.operation = body.value("operation", "");
      f.times = body.value("times", 1);
      f.status = body.value("status", 500);
      f.retry_after_s = body.value("retry_after", 1);
      f.delay_ms = body.value("delay_ms", 0);
      inject(f);
      return SimResponse::json(201, json{{"injected", body}}.dump());
    } catch (const std::exception& e) {
      return error(400, e.what());
    }
  }
  if (req.path == "/__sim/faults" && req.method == "DELETE") {
    clearFaults();
    return SimResponse::json(200, R"({"cleared":true})");
  }
  if (req.path == "/__sim/sessions/expire" && req.method == "POST") {
    expireSessions();
    return SimResponse::json(200, R"({"expired":true})");
  }
  if (req.path == "/__sim/seed" && req.method == "POST") {
    try {
      loadSeed(body);
      return SimResponse::json(200, R"({"seeded":true})");
    } catch (const std::exception& e) {
      return error(400, e.what());
    }
  }
  const std::string objectsPrefix = "/__sim/objects/";
  if (req.path.rfind(objectsPrefix, 0) == 0 && req.method == "GET") {
    const std::string form = req.path.substr(objectsPrefix.size());
    if (!simForm(form)) return error(404, "unknown form " + form);
    return SimResponse::json(200, json(book_.objects(form)).dump());
  }
  if (req.path == "/__sim/stats" && req.method == "GET") {
    json stats = {{"logins", logins()}, {"sessions", sessions()}};
    {
      std::lock_guard lock(mutex_);
      stats["calls"] = calls_;
      stats["query_rows"] = query_rows_;
    }
    for (const auto& f : simForms()) stats["objects"][f.form_id] = book_.count(f.form_id);
    return SimResponse::json(200, stats.dump());
  }
  return error(404, "no admin endpoint " + req.method + " " + req.path);
}

}  // namespace hub::connector::kingdee::sim
