// /api/v1/dead-letters: list, show, replay (one, bulk, dry run), discard.
#include <set>

#include "hub/api/api_support.h"
#include "hub/api/routes.h"
#include "hub/api/views.h"
#include "hub/engine/dead_letter_ops.h"

namespace hub::api {

using http::Request;
using http::Response;
using nlohmann::json;

namespace {

// Filters from the query string (list) or from a bulk body's "filter" object.
std::optional<store::DeadLetterFilter> filterFrom(const std::function<std::string(const std::string&)>& get,
                                                  Response& error) {
  store::DeadLetterFilter f;
  f.flow = get("flow");
  f.entity = get("entity");
  f.key = get("key");
  f.error_text = get("error");
  f.status = get("status").empty() ? "open" : get("status");
  if (f.status != "open" && f.status != "replayed" && f.status != "discarded" && f.status != "all") {
    error = Response::error(400, "'status' must be open, replayed, discarded or all");
    return std::nullopt;
  }
  if (const auto since = get("since"); !since.empty()) {
    const auto t = parseIsoInstant(since, 480);
    if (!t) {
      error = Response::error(400, "'since' must be an ISO 8601 time");
      return std::nullopt;
    }
    f.since = *t;
  }
  return f;
}

// The dead letters a bulk request names: {"ids": [...]} or {"filter": {...}}.
std::optional<std::vector<store::Id>> selection(ApiContext& ctx, const json& body, Response& error) {
  std::vector<store::Id> ids;
  if (body.contains("ids")) {
    if (!body["ids"].is_array()) {
      error = Response::error(400, "'ids' must be an array of dead-letter ids");
      return std::nullopt;
    }
    for (const auto& id : body["ids"]) {
      if (!id.is_number_integer()) {
        error = Response::error(400, "'ids' must be an array of dead-letter ids");
        return std::nullopt;
      }
      ids.push_back(id.get<store::Id>());
    }
    return ids;
  }
  if (!body.contains("filter") || !body["filter"].is_object()) {
    error = Response::error(400, "say which dead letters: {\"ids\": [...]} or {\"filter\": {\"flow\": ...}}");
    return std::nullopt;
  }
  const json& filter = body["filter"];
  auto f = filterFrom([&](const std::string& k) { return filter.value(k, ""); }, error);
  if (!f) return std::nullopt;
  f->status = "open";
  f->limit = 100000;
  for (const auto& d : ctx.store.deadLetters().list(*f)) ids.push_back(d.id);
  return ids;
}

Response replay(ApiContext& ctx, Request& req, const std::vector<store::Id>& ids, const json& body) {
  std::optional<std::string> edited;
  if (body.contains("payload")) {
    if (ids.size() != 1) return Response::error(400, "an edited payload replays exactly one dead letter");
    edited = body["payload"].dump();
  }
  if (body.value("dry_run", false)) {
    auto scape = ctx.engine.landscape();
    json previews = json::array();
    for (store::Id id : ids)
      if (const auto d = ctx.store.deadLetters().get(id))
        previews.push_back(toJson(engine::previewReplay(*scape, ctx.store, *d, edited, ctx.clock)));
    return Response::json(200, {{"dry_run", true}, {"items", previews}});
  }
  json items = json::array();
  std::set<std::string> flows;
  for (const auto& r : engine::replayDeadLetters(ctx.store, ids, req.actor, edited, ctx.clock.now())) {
    json item = {{"dead_letter", r.dead_letter}, {"result", engine::toString(r.result.status)}};
    if (r.result.queue_id) item["queue_id"] = r.result.queue_id;
    if (r.result.newer_queue_id) item["newer_queue_id"] = r.result.newer_queue_id;
    items.push_back(item);
    if (const auto d = ctx.store.deadLetters().get(r.dead_letter)) flows.insert(d->flow);
  }
  for (const auto& f : flows) ctx.engine.wake(f);
  return Response::json(202, {{"items", items}});
}

}  // namespace

void addDeadLetterRoutes(http::Router& r, ApiContext& ctx) {
  r.add({"GET", "/api/v1/dead-letters", "List dead letters (filters: flow, entity, key, error, since, status)", "viewer",
         "dead-letters"},
        [&ctx](Request& req) {
          Response bad;
          auto f = filterFrom([&](const std::string& k) { return req.queryValue(k); }, bad);
          if (!f) return bad;
          const auto page = pageParams(req, bad);
          if (!page) return bad;
          f->limit = page->limit;
          f->offset = page->offset;
          json items = json::array();
          for (const auto& d : ctx.store.deadLetters().list(*f)) items.push_back(toJson(d, false));
          return Response::json(200, {{"items", items},
                                      {"total", ctx.store.deadLetters().count(*f)},
                                      {"limit", f->limit},
                                      {"offset", f->offset}});
        });
  r.add({"GET", "/api/v1/dead-letters/{id}", "Show a dead letter with history and payloads", "viewer",
         "dead-letters"},
        [&ctx](Request& req) {
          Response bad;
          const auto id = idParam(req, "id", bad);
          if (!id) return bad;
          const auto d = ctx.store.deadLetters().get(*id);
          if (!d) return Response::error(404, "no dead letter " + std::to_string(*id));
          return Response::json(200, toJson(*d, true));
        });
  r.add({"POST", "/api/v1/dead-letters/{id}/replay",
         "Replay one dead letter (optionally with a corrected payload, or as a dry run)", "operator", "dead-letters"},
        [&ctx](Request& req) {
          Response bad;
          const auto id = idParam(req, "id", bad);
          if (!id) return bad;
          auto body = jsonBody(req, bad);
          if (!body) return bad;
          if (!ctx.store.deadLetters().get(*id)) return Response::error(404, "no dead letter " + std::to_string(*id));
          return replay(ctx, req, {*id}, *body);
        });
  r.add({"POST", "/api/v1/dead-letters/{id}/discard", "Resolve a dead letter without delivering it", "operator",
         "dead-letters"},
        [&ctx](Request& req) {
          Response bad;
          const auto id = idParam(req, "id", bad);
          if (!id) return bad;
          auto body = jsonBody(req, bad);
          if (!body) return bad;
          const std::string reason = body->value("reason", "");
          if (reason.empty()) return Response::error(400, "'reason' is required: say why");
          if (!ctx.store.deadLetters().discard(*id, req.actor, reason, ctx.clock.now()))
            return Response::error(409, "dead letter " + std::to_string(*id) + " is not open");
          return Response::json(200, {{"dead_letter", *id}, {"result", "discarded"}});
        });
  r.add({"POST", "/api/v1/dead-letters/replay", "Replay many dead letters by ids or filter", "operator",
         "dead-letters"},
        [&ctx](Request& req) {
          Response bad;
          auto body = jsonBody(req, bad);
          if (!body) return bad;
          auto ids = selection(ctx, *body, bad);
          if (!ids) return bad;
          return replay(ctx, req, *ids, *body);
        });
  r.add({"POST", "/api/v1/dead-letters/discard", "Discard many dead letters by ids or filter", "operator",
         "dead-letters"},
        [&ctx](Request& req) {
          Response bad;
          auto body = jsonBody(req, bad);
          if (!body) return bad;
          const std::string reason = body->value("reason", "");
          if (reason.empty()) return Response::error(400, "'reason' is required: say why");
          auto ids = selection(ctx, *body, bad);
          if (!ids) return bad;
          json items = json::array();
          for (store::Id id : *ids)
            items.push_back({{"dead_letter", id},
                             {"result", ctx.store.deadLetters().discard(id, req.actor, reason, ctx.clock.now())
                                            ? "discarded"
                                            : "not_open"}});
          return Response::json(200, {{"items", items}});
        });
}

}  // namespace hub::api
