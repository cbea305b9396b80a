#pragma once
// Routes by method and path pattern ("/api/v1/flows/{name}/run"). Unknown
// paths answer 404 and known paths with another method 405 with Allow, both
// as JSON errors. Each route carries what the admin API needs to know about
// it: a summary for the OpenAPI document and the least role that may call it.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "hub/http/message.h"

namespace hub::http {

using Handler = std::function<Response(Request&)>;

struct RouteInfo {
  std::string method;
  std::string pattern;
  std::string summary;
  std::string role;  // "" = public; otherwise viewer | operator | admin
  std::string tag;
};

class Router {
 public:
  void add(RouteInfo info, Handler handler);
  // Runs the matching route (after filling req.params) or answers 404/405.
  Response dispatch(Request& req) const;
  // The route a request would reach, or null; path parameters go into `params`.
  const RouteInfo* match(const std::string& method, const std::string& path,
                         std::map<std::string, std::string>* params = nullptr) const;
  std::vector<RouteInfo> routes() const;

  // Runs before every matched handler (authentication); a returned response ends the request.
  using Guard = std::function<std::optional<Response>(const RouteInfo&, Request&)>;
  void setGuard(Guard guard) { guard_ = std::move(guard); }

 private:
  struct Route {
    RouteInfo info;
    std::vector<std::string> segments;
    Handler handler;
  };
  static std::vector<std::string> split(const std::string& path);
  static bool matches(const Route& r, const std::vector<std::string>& segs, std::map<std::string, std::string>* params);
  std::vector<Route> routes_;
  Guard guard_;
};

}  // namespace hub::http
