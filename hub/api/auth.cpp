#include "hub/api/auth.h"

#include "hub/core/digest.h"

namespace hub::api {

std::optional<Role> parseRole(std::string_view name) {
  if (name == "viewer") return Role::Viewer;
  if (name == "operator") return Role::Operator;
  if (name == "admin") return Role::Admin;
  return std::nullopt;
}

const char* toString(Role role) {
  switch (role) {
    case Role::Viewer: return "viewer";
    case Role::Operator: return "operator";
    case Role::Admin: return "admin";
  }
  return "viewer";
}

std::string newToken() {
  std::string b64 = digest::base64(digest::randomBytes(32));
  std::string out = "hubtok_";
  for (char c : b64) {
    if (c == '=') continue;
    out += c == '+' ? '-' : c == '/' ? '_' : c;
  }
  return out;
}

std::string tokenHash(std::string_view token) { return digest::sha256Hex(token); }

std::optional<http::Response> Authenticator::check(const http::RouteInfo& route, http::Request& req) {
  if (route.role.empty()) return std::nullopt;
  const std::string header = req.header("Authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (header.size() <= kBearer.size() || header.compare(0, kBearer.size(), kBearer) != 0) {
    auto res = http::Response::error(401, "this endpoint needs 'Authorization: Bearer <token>' (hub token create)");
    res.headers["WWW-Authenticate"] = "Bearer realm=\"hub\"";
    return res;
  }
  const std::string hash = tokenHash(std::string_view(header).substr(kBearer.size()));
  if (!localTokenHash_.empty() && hash == localTokenHash_) {
    if (parseRole(route.role).value_or(Role::Admin) > Role::Operator)
      return http::Response::error(403, "the local credential may not do this; it needs '" + route.role + "'");
    req.actor = "local:cli";
    req.role = "operator";
    return std::nullopt;
  }
  const auto token = tokens_.findActive(hash);
  if (!token) {
    auto res = http::Response::error(401, "the token is unknown or revoked");
    res.headers["WWW-Authenticate"] = "Bearer realm=\"hub\", error=\"invalid_token\"";
    return res;
  }
  const auto have = parseRole(token->role).value_or(Role::Viewer);
  const auto need = parseRole(route.role).value_or(Role::Admin);
  if (static_cast<int>(have) < static_cast<int>(need))
    return http::Response::error(403, "role '" + token->role + "' may not do this; it needs '" + route.role + "'");
  req.actor = "token:" + token->name;
  req.role = token->role;
  // Recording use on every call would make every read a write.
  const Millis now = clock_.now();
  if (now - token->last_used_at > 60000) tokens_.touch(token->id, now);
  return std::nullopt;
}

}  // namespace hub::api
