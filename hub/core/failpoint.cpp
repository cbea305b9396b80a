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

#include "hub/core/numbers.h"

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
      // "kill@3" or "sleep(200)"; an argument that is no number is 0.
      if (const auto mark = action.find_first_of("@("); mark != std::string::npos) {
        std::string_view argument = std::string_view(action).substr(mark + 1);
        if (action[mark] == '(' && argument.ends_with(')')) argument.remove_suffix(1);
        a.argument = static_cast<long>(parseInteger(argument, 0).value_or(0));
        action = action.substr(0, mark);
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
