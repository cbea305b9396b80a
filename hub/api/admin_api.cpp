#include "hub/api/admin_api.h"

#include "hub/api/auth.h"
#include "hub/api/routes.h"
#include "hub/core/failpoint.h"

namespace hub::api {

using http::Request;
using http::Response;

void addAdminRoutes(http::Router& r, ApiContext& ctx) {
  r.add({"GET", "/healthz", "Liveness: the process answers", "", "health"}, [](Request&) {
    HUB_FAILPOINT("healthz");
    return Response::json(200, {{"status", "ok"}});
  });
  r.add({"GET", "/readyz", "Readiness: the store answers and the hub is not stopping", "", "health"},
        [&ctx](Request&) {
          if (ctx.ready && !ctx.ready()) return Response::error(503, "not ready");
          try {
            ctx.store.schemaVersion();
          } catch (const std::exception& e) {
            return Response::error(503, std::string("store unavailable: ") + e.what());
          }
          return Response::json(200, {{"status", "ready"}});
        });
  r.add({"GET", "/metrics", "Prometheus metrics (text exposition format)", "", "health"}, [&ctx](Request&) {
    if (!ctx.metrics) return Response::error(404, "metrics are not enabled");
    std::vector<std::pair<std::string, std::string>> targets;
    const auto scape = ctx.engine.landscape();
    for (const auto& flow : scape->flows())
      for (const auto& target : flow.targets) targets.emplace_back(flow.name(), target.name);
    return Response::text(200, ctx.metrics->scrape(ctx.store, targets), "text/plain; version=0.0.4; charset=utf-8");
  });
  r.add({"GET", "/api/v1/openapi.json", "This API's OpenAPI 3 document", "", "health"},
        [](Request&) { return Response::text(200, openApiDocument(), "application/json"); });
  addFlowRoutes(r, ctx);
  addDeadLetterRoutes(r, ctx);
  addSystemRoutes(r, ctx);
  auto auth = std::make_shared<Authenticator>(ctx.store.tokens(), ctx.clock, ctx.local_token_hash);
  r.setGuard([auth](const http::RouteInfo& route, Request& req) { return auth->check(route, req); });
}

}  // namespace hub::api
