// /api/v1/mappings, /xref, /trace, /audit, /tokens, /config/reload
#include "hub/api/api_support.h"
#include "hub/api/auth.h"
#include "hub/api/routes.h"
#include "hub/api/views.h"
#include "hub/engine/store_xref_lookup.h"

namespace hub::api {

using http::Request;
using http::Response;
using nlohmann::json;

namespace {

json mappingJson(const mapping::Mapping& m) {
  return {{"name", m.name()},
          {"version", m.version()},
          {"source", {{"system", m.source().system}, {"entity", m.source().entity}}},
          {"target", {{"system", m.target().system}, {"entity", m.target().entity}}},
          {"file", m.file()}};
}

json problemsJson(const Problems& problems) {
  json out = json::array();
  for (const auto& p : problems)
    out.push_back({{"file", p.where.file}, {"line", p.where.line}, {"column", p.where.column}, {"message", p.message},
                   {"text", p.format()}});
  return out;
}

}  // namespace

void addSystemRoutes(http::Router& r, ApiContext& ctx) {
  r.add({"GET", "/api/v1/mappings", "List the loaded mappings", "viewer", "mappings"}, [&ctx](Request&) {
    auto scape = ctx.engine.landscape();
    json items = json::array();
    for (const auto& name : scape->mappings().names()) items.push_back(mappingJson(*scape->mappings().find(name)));
    return Response::json(200, {{"items", items}});
  });
  r.add({"POST", "/api/v1/mappings/validate", "Validate a mapping document (YAML body) without loading it",
         "operator", "mappings"},
        [](Request& req) {
          auto m = mapping::MappingCatalog::loadString(req.body, req.queryValue("file", "posted.yaml"));
          if (!m) return Response::json(422, {{"valid", false}, {"problems", problemsJson(m.error())}});
          return Response::json(200, {{"valid", true}, {"mapping", mappingJson(*m)}});
        });
  r.add({"POST", "/api/v1/mappings/{name}/test", "Map a posted record with a loaded mapping", "operator",
         "mappings"},
        [&ctx](Request& req) {
          Response bad;
          auto body = jsonBody(req, bad);
          if (!body) return bad;
          auto scape = ctx.engine.landscape();
          const auto* m = scape->mappings().find(req.params.at("name"));
          if (!m) return Response::error(404, "no mapping named '" + req.params.at("name") + "'");
          if (!body->contains("record")) return Response::error(400, "post {\"record\": {...}} to map");
          // References resolve against the live cross-reference unless fixtures are given.
          std::optional<mapping::FixtureXrefLookup> fixtures;
          engine::StoreXrefLookup live(ctx.store.xref());
          if (body->contains("xref")) {
            auto f = mapping::FixtureXrefLookup::fromJson((*body)["xref"]);
            if (!f) return Response::error(400, "xref fixtures: " + f.error());
            fixtures = std::move(*f);
          }
          mapping::MappingContext mctx;
          mctx.xref = fixtures ? static_cast<const mapping::XrefLookup*>(&*fixtures) : &live;
          mctx.default_timezone = scape->config().timezone;
          const auto result = m->apply((*body)["record"], mctx);
          json missing = json::array();
          for (const auto& x : result.missing) missing.push_back({{"entity", x.entity}, {"system", x.system}, {"id", x.id}});
          return Response::json(result.ok() ? 200 : 422, {{"ok", result.ok()},
                                                           {"document", result.document},
                                                           {"problems", toJson(result.problems)},
                                                           {"missing_references", missing}});
        });
  r.add({"GET", "/api/v1/xref", "Look up cross-references (entity with local_id, or entity+system+remote_id)",
         "viewer", "xref"},
        [&ctx](Request& req) {
          const std::string entity = req.queryValue("entity"), system = req.queryValue("system");
          if (entity.empty()) return Response::error(400, "'entity' is required");
          json items = json::array();
          if (const auto remote = req.queryValue("remote_id"); !remote.empty()) {
            if (system.empty()) return Response::error(400, "'system' is required with 'remote_id'");
            if (auto x = ctx.store.xref().findByRemote(entity, system, remote)) items.push_back(toJson(*x));
          } else if (const auto local = req.queryValue("local_id"); !local.empty()) {
            for (const auto& x : ctx.store.xref().forKey(entity, local))
              if (system.empty() || x.system == system) items.push_back(toJson(x));
          } else {
            return Response::error(400, "give 'local_id', or 'system' and 'remote_id'");
          }
          return Response::json(200, {{"items", items}});
        });
  r.add({"GET", "/api/v1/trace/{entity}/{key}", "Everything that happened to one record, in time order", "viewer",
         "xref"},
        [&ctx](Request& req) {
          json items = json::array();
          for (const auto& e : engine::traceKey(ctx.store, req.params.at("entity"), req.params.at("key")))
            items.push_back(toJson(e));
          return Response::json(200, {{"entity", req.params.at("entity")}, {"key", req.params.at("key")}, {"events", items}});
        });
  r.add({"GET", "/api/v1/audit", "The audit log, newest first (filter by subject prefix)", "admin", "audit"},
        [&ctx](Request& req) {
          Response bad;
          const auto page = pageParams(req, bad);
          if (!page) return bad;
          json items = json::array();
          for (const auto& a : ctx.store.audit().list(req.queryValue("subject"), page->limit, page->offset))
            items.push_back(toJson(a));
          return Response::json(200, {{"items", items}, {"limit", page->limit}, {"offset", page->offset}});
        });
  r.add({"GET", "/api/v1/tokens", "List API tokens (never their values)", "admin", "tokens"}, [&ctx](Request&) {
    json items = json::array();
    for (const auto& t : ctx.store.tokens().list())
      items.push_back({{"id", t.id}, {"name", t.name}, {"role", t.role}, {"created_at", iso(t.created_at)},
                       {"last_used_at", iso(t.last_used_at)}, {"revoked_at", iso(t.revoked_at)}});
    return Response::json(200, {{"items", items}});
  });
  r.add({"DELETE", "/api/v1/tokens/{id}", "Revoke an API token", "admin", "tokens"}, [&ctx](Request& req) {
    Response bad;
    const auto id = idParam(req, "id", bad);
    if (!id) return bad;
    if (!ctx.store.tokens().revoke(*id, ctx.clock.now())) return Response::error(404, "no active token " + std::to_string(*id));
    ctx.store.audit().append(req.actor, "token.revoke", "token/" + std::to_string(*id), "{}", ctx.clock.now());
    return Response::json(200, {{"token", *id}, {"revoked", true}});
  });
  r.add({"POST", "/api/v1/config/reload", "Re-read hub.yaml and the mappings; an invalid one is refused", "admin",
         "config"},
        [&ctx](Request& req) {
          const auto outcome = ctx.reload();
          ctx.store.audit().append(req.actor, outcome.ok ? "config.reload" : "config.reload_rejected", "config",
                                   json{{"problems", outcome.problems.size()}}.dump(), ctx.clock.now());
          if (!outcome.ok)
            return Response::json(422, {{"error", "the new configuration has problems; the running one stays"},
                                        {"status", 422},
                                        {"problems", problemsJson(outcome.problems)}});
          return Response::json(200, {{"reloaded", true}, {"flows", outcome.flows}});
        });
}

}  // namespace hub::api
