// /api/v1/flows, /api/v1/runs, /api/v1/queue
#include "hub/api/api_support.h"
#include "hub/api/routes.h"
#include "hub/api/views.h"
#include "hub/engine/flow_ops.h"

namespace hub::api {

using http::Request;
using http::Response;
using nlohmann::json;

namespace {
const engine::Flow* flowOf(ApiContext& ctx, const Request& req, std::shared_ptr<const engine::Landscape>& keep) {
  keep = ctx.engine.landscape();
  return keep->flow(req.params.at("name"));
}

Response noFlow(const Request& req) { return Response::error(404, "no flow named '" + req.params.at("name") + "'"); }
}  // namespace

void addFlowRoutes(http::Router& r, ApiContext& ctx) {
  r.add({"GET", "/api/v1/flows", "List flows with triggers, queue and last run", "viewer", "flows"},
        [&ctx](Request&) {
          auto scape = ctx.engine.landscape();
          json items = json::array();
          for (const auto& f : scape->flows()) items.push_back(flowJson(f, ctx.store, scape->config().timezone, false));
          return Response::json(200, {{"items", items}});
        });
  r.add({"GET", "/api/v1/flows/{name}", "Show one flow in detail", "viewer", "flows"}, [&ctx](Request& req) {
    std::shared_ptr<const engine::Landscape> scape;
    const auto* f = flowOf(ctx, req, scape);
    if (!f) return noFlow(req);
    return Response::json(200, flowJson(*f, ctx.store, scape->config().timezone, true));
  });
  r.add({"POST", "/api/v1/flows/{name}/run", "Run a flow now", "operator", "flows"}, [&ctx](Request& req) {
    const std::string name = req.params.at("name");
    const auto begun = ctx.engine.trigger(name, "api");
    switch (begun.result) {
      case engine::TriggerResult::UnknownFlow: return noFlow(req);
      case engine::TriggerResult::Paused: return Response::error(409, "flow '" + name + "' is paused");
      case engine::TriggerResult::Failed:
        return Response::error(503, "flow '" + name + "' could not start: " + begun.detail, {{"retryable", true}});
      default: break;
    }
    json answer{{"flow", name}, {"result", engine::toString(begun.result)}};
    if (begun.run) answer["run"] = begun.run;
    if (begun.result == engine::TriggerResult::RunningElsewhere) answer["held_by"] = begun.detail;
    ctx.store.audit().append(req.actor, "flow.run", "flow/" + name, answer.dump(), ctx.clock.now());
    return Response::json(202, answer);
  });
  for (const bool pause : {true, false}) {
    r.add({"POST", std::string("/api/v1/flows/{name}/") + (pause ? "pause" : "resume"),
           pause ? "Pause a flow: no runs, no deliveries" : "Resume a paused flow", "operator", "flows"},
          [&ctx, pause](Request& req) {
            std::shared_ptr<const engine::Landscape> scape;
            if (!flowOf(ctx, req, scape)) return noFlow(req);
            const std::string name = req.params.at("name");
            ctx.engine.setPaused(name, pause);
            ctx.store.audit().append(req.actor, pause ? "flow.pause" : "flow.resume", "flow/" + name, "{}",
                                     ctx.clock.now());
            return Response::json(200, {{"flow", name}, {"paused", pause}});
          });
  }
  r.add({"POST", "/api/v1/flows/{name}/reset", "Move a flow's cursor back for a backfill", "operator", "flows"},
        [&ctx](Request& req) {
          std::shared_ptr<const engine::Landscape> scape;
          if (!flowOf(ctx, req, scape)) return noFlow(req);
          Response bad;
          auto body = jsonBody(req, bad);
          if (!body) return bad;
          std::optional<Millis> since;
          if (body->contains("since") && !(*body)["since"].is_null()) {
            since = (*body)["since"].is_string() ? parseIsoInstant((*body)["since"].get<std::string>(), 480)
                                                  : std::nullopt;
            if (!since) return Response::error(400, "'since' must be an ISO 8601 time");
          }
          const bool resend = body->value("resend", false);
          const auto result =
              engine::resetFlow(ctx.store, req.params.at("name"), since, resend, req.actor, ctx.clock.now());
          return Response::json(200, {{"flow", req.params.at("name")},
                                      {"since", since ? iso(*since) : ""},
                                      {"resend", resend},
                                      {"forgotten_hashes", result.forgotten_hashes}});
        });
  r.add({"GET", "/api/v1/runs", "List runs, newest first (filter by flow)", "viewer", "runs"}, [&ctx](Request& req) {
    Response bad;
    const auto page = pageParams(req, bad);
    if (!page) return bad;
    json items = json::array();
    for (const auto& run : ctx.store.runs().list(req.queryValue("flow"), page->limit, page->offset))
      items.push_back(toJson(run));
    return Response::json(200, {{"items", items}, {"limit", page->limit}, {"offset", page->offset}});
  });
  r.add({"GET", "/api/v1/runs/{id}", "Show one run", "viewer", "runs"}, [&ctx](Request& req) {
    Response bad;
    const auto id = idParam(req, "id", bad);
    if (!id) return bad;
    const auto run = ctx.store.runs().get(*id);
    if (!run) return Response::error(404, "no run " + std::to_string(*id));
    return Response::json(200, toJson(*run));
  });
  r.add({"GET", "/api/v1/queue", "Records on their way per flow target", "viewer", "queue"}, [&ctx](Request& req) {
    json items = json::array();
    for (const auto& c : ctx.store.queue().counts(req.queryValue("flow"))) items.push_back(toJson(c));
    json open = json::object();
    for (const auto& [flow, n] : ctx.store.deadLetters().openByFlow()) open[flow] = n;
    return Response::json(200, {{"items", items}, {"dead_letters_open", open}});
  });
}

}  // namespace hub::api
