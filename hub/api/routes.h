#pragma once
// The route groups of the admin API (admin_api.cpp mounts them all).
#include "hub/api/admin_api.h"

namespace hub::api {

void addFlowRoutes(http::Router& router, ApiContext& ctx);        // flows, runs, queue
void addDeadLetterRoutes(http::Router& router, ApiContext& ctx);  // dead letters
void addSystemRoutes(http::Router& router, ApiContext& ctx);      // mappings, xref, trace, audit, tokens, reload

}  // namespace hub::api
