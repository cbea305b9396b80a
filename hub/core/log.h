#pragma once
// Structured logging: one JSON object per line ({"ts","level","event",...}),
// secrets masked by the Redactor before the line is written anywhere.
#include <functional>
#include <nlohmann/json.hpp>
#include <string_view>

namespace hub::log {

enum class Level { Debug = 0, Info = 1, Warn = 2, Error = 3 };

bool parseLevel(std::string_view name, Level& out);
void setLevel(Level level);
bool enabled(Level level);

// Where finished lines go; default is stderr. Tests capture lines here.
using LineSink = std::function<void(std::string_view line)>;
void setSink(LineSink sink);
void resetSink();

void write(Level level, std::string_view event, const nlohmann::json& fields = nlohmann::json::object());

inline void debug(std::string_view e, const nlohmann::json& f = nlohmann::json::object()) { write(Level::Debug, e, f); }
inline void info(std::string_view e, const nlohmann::json& f = nlohmann::json::object()) { write(Level::Info, e, f); }
inline void warn(std::string_view e, const nlohmann::json& f = nlohmann::json::object()) { write(Level::Warn, e, f); }
inline void error(std::string_view e, const nlohmann::json& f = nlohmann::json::object()) { write(Level::Error, e, f); }

}  // namespace hub::log
