#include "hub/http/router.h"

#include <optional>

namespace hub::http {

std::vector<std::string> Router::split(const std::string& path) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    if (end > start) out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool Router::matches(const Route& r, const std::vector<std::string>& segs, std::map<std::string, std::string>* params) {
  if (r.segments.size() != segs.size()) return false;
  std::map<std::string, std::string> found;
  for (std::size_t i = 0; i < segs.size(); ++i) {
    const std::string& p = r.segments[i];
    if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
      found[p.substr(1, p.size() - 2)] = segs[i];
    } else if (p != segs[i]) {
      return false;
    }
  }
  if (params) *params = std::move(found);
  return true;
}

void Router::add(RouteInfo info, Handler handler) {
  Route r{std::move(info), {}, std::move(handler)};
  r.segments = split(r.info.pattern);
  routes_.push_back(std::move(r));
}

const RouteInfo* Router::match(const std::string& method, const std::string& path,
                               std::map<std::string, std::string>* params) const {
  const auto segs = split(path);
  // Literal segments win over parameters: try routes in order of fewer parameters.
  const Route* best = nullptr;
  int bestParams = 1 << 20;
  for (const auto& r : routes_) {
    if (r.info.method != method) continue;
    std::map<std::string, std::string> p;
    if (!matches(r, segs, &p)) continue;
    const int n = static_cast<int>(p.size());
    if (n < bestParams) {
      best = &r;
      bestParams = n;
      if (params) *params = std::move(p);
    }
  }
  return best ? &best->info : nullptr;
}

Response Router::dispatch(Request& req) const {
  const std::string method = req.method == "HEAD" ? "GET" : req.method;
  const RouteInfo* info = match(method, req.path, &req.params);
  if (!info) {
    const auto segs = split(req.path);
    std::string allow;
    for (const auto& r : routes_) {
      if (matches(r, segs, nullptr) && allow.find(r.info.method) == std::string::npos)
        allow += (allow.empty() ? "" : ", ") + r.info.method;
    }
    if (allow.empty()) return Response::error(404, "no route for " + req.method + " " + req.path);
    Response res = Response::error(405, "method " + req.method + " is not allowed on " + req.path,
                                   {{"allowed", allow}});
    res.headers["Allow"] = allow;
    return res;
  }
  if (guard_) {
    if (auto denied = guard_(*info, req)) return *denied;
  }
  for (const auto& r : routes_)
    if (&r.info == info) return r.handler(req);
  return Response::error(500, "route vanished");
}

std::vector<RouteInfo> Router::routes() const {
  std::vector<RouteInfo> out;
  for (const auto& r : routes_) out.push_back(r.info);
  return out;
}

}  // namespace hub::http
