#pragma once
// Bearer tokens with roles. A token is shown once when created and stored
// only as its SHA-256 hash. viewer reads; operator also runs flows, replays
// and discards; admin also changes configuration (reload, tokens, audit).
#include <optional>
#include <string>
#include <string_view>

#include "hub/core/time.h"
#include "hub/http/router.h"
#include "hub/store/store.h"

namespace hub::api {

enum class Role { Viewer = 1, Operator = 2, Admin = 3 };
std::optional<Role> parseRole(std::string_view name);
const char* toString(Role role);

std::string newToken();                         // "hubtok_" + 43 url-safe characters
std::string tokenHash(std::string_view token);  // lowercase hex SHA-256

class Authenticator {
 public:
  // `localTokenHash`: the hash of the credential this daemon wrote for commands
  // on its own machine (hub/daemon/local_endpoint.h); it acts as an operator.
  Authenticator(store::ApiTokens& tokens, const Clock& clock, std::string localTokenHash = {})
      : tokens_(tokens), clock_(clock), localTokenHash_(std::move(localTokenHash)) {}
  // Nothing when the caller may use the route (req.actor and req.role are set);
  // otherwise the 401/403 answer.
  std::optional<http::Response> check(const http::RouteInfo& route, http::Request& req);

 private:
  store::ApiTokens& tokens_;
  const Clock& clock_;
  std::string localTokenHash_;
};

}  // namespace hub::api
