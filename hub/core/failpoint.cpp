#include "hub/core/failpoint.h"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

namespace hub::failpoint {
namespace {
struct Armed {
  std::string action;
  long argument = 0;
  long hits = 0;
};

std::map<std::string, Armed, std::less<>>& armed() {
  static std::map<std::string, Armed, std::less<>> points = [] {
    std::map<std::string, Armed, std::less<>> out;
    const char* env = std::getenv("HUB_FAILPOINT");
    std::string spec = env ? env : "";
    std::size_t start = 0;
    while (start < spec.size()) {
      std::size_t end = spec.find(',', start);
      if (end == std::string::npos) end = spec.size();
      std::string item = spec.substr(start, end - start);
      start = end + 1;
      const auto colon = item.find(':');
      if (colon == std::string::npos) continue;
      Armed a;
      std::string action = item.substr(colon + 1);
      if (auto at = action.find('@'); at != std::string::npos) {
        a.argument = std::atol(action.c_str() + at + 1);
        action = action.substr(0, at);
      } else if (auto paren = action.find('('); paren != std::string::npos) {
        a.argument = std::atol(action.c_str() + paren + 1);
        action = action.substr(0, paren);
      }
      a.action = action;
      out[item.substr(0, colon)] = a;
    }
    return out;
  }();
  return points;
}
std::mutex g_mutex;
}  // namespace

void hit(std::string_view name) {
  std::unique_lock lock(g_mutex);
  auto& points = armed();
  auto it = points.find(name);
  if (it == points.end()) return;
  Armed& a = it->second;
  ++a.hits;
  if (a.action == "crash") {
    if (a.argument == 0 || a.hits == a.argument) ::kill(::getpid(), SIGKILL);
  } else if (a.action == "sleep") {
    lock.unlock();
    std::this_thread::sleep_for(std::chrono::milliseconds(a.argument));
  } else if (a.action == "throw") {
    throw std::runtime_error("fail point " + std::string(name));
  }
}

}  // namespace hub::failpoint
