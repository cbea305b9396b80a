#include "hub/core/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>

#include "hub/core/redaction.h"
#include "hub/core/time.h"

namespace hub::log {
namespace {
std::atomic<int> g_level{static_cast<int>(Level::Info)};
std::mutex g_mutex;
LineSink g_sink;

const char* name(Level l) {
  switch (l) {
    case Level::Debug: return "debug";
    case Level::Info: return "info";
    case Level::Warn: return "warn";
    case Level::Error: return "error";
  }
  return "info";
}
}  // namespace

bool parseLevel(std::string_view n, Level& out) {
  for (Level l : {Level::Debug, Level::Info, Level::Warn, Level::Error}) {
    if (n == name(l)) {
      out = l;
      return true;
    }
  }
  return false;
}

void setLevel(Level level) { g_level = static_cast<int>(level); }
bool enabled(Level level) { return static_cast<int>(level) >= g_level.load(); }

void setSink(LineSink sink) {
  std::lock_guard lock(g_mutex);
  g_sink = std::move(sink);
}
void resetSink() { setSink(nullptr); }

void write(Level level, std::string_view event, const nlohmann::json& fields) {
  if (!enabled(level)) return;
  nlohmann::json line = nlohmann::json::object();
  line["ts"] = formatIsoMillis(nowMillis());
  line["level"] = name(level);
  line["event"] = event;
  if (fields.is_object()) {
    for (auto it = fields.begin(); it != fields.end(); ++it) line[it.key()] = it.value();
  }
  std::string text = redact(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  std::lock_guard lock(g_mutex);
  if (g_sink) {
    g_sink(text);
  } else {
    text += '\n';
    std::fwrite(text.data(), 1, text.size(), stderr);
  }
}

}  // namespace hub::log
