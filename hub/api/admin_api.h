#pragma once
// The admin REST API under /api/v1: flows, runs, queue, dead letters,
// mappings, cross-references, traces, audit log, tokens and configuration
// reload. Every route declares the least role that may call it; the router's
// guard enforces it, and every change is written to the audit log.
#include <functional>
#include <string>

#include "hub/api/metrics.h"
#include "hub/core/problem.h"
#include "hub/engine/engine.h"
#include "hub/http/router.h"
#include "hub/store/store.h"

namespace hub::api {

struct ReloadOutcome {
  bool ok = false;
  Problems problems;
  std::size_t flows = 0;
};

struct ApiContext {
  store::Store& store;
  engine::Engine& engine;
  const Clock& clock;
  std::function<ReloadOutcome()> reload;
  HubMetrics* metrics = nullptr;
  std::function<bool()> ready;  // /readyz
  std::string local_token_hash;  // the daemon's credential for local commands (auth.h)
};

// Health, readiness, metrics, the OpenAPI document and every /api/v1 route,
// with authentication installed as the router's guard.
void addAdminRoutes(http::Router& router, ApiContext& ctx);

// The OpenAPI 3 description of the admin API (hub/api/openapi.json).
const std::string& openApiDocument();

}  // namespace hub::api
