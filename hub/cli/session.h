#pragma once
// What an operational command works with: the loaded configuration, the
// store it names, and (when the command runs flows) the live landscape.
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>

#include "hub/cli/command.h"
#include "hub/cli/context.h"
#include "hub/engine/engine.h"
#include "hub/engine/landscape.h"

namespace hub::cli {

struct Session {
  config::LoadedConfig loaded;
  std::unique_ptr<store::Store> store;
  std::shared_ptr<const engine::Landscape> landscape;  // set when asked for

  const config::HubConfig& config() const { return loaded.config; }
};

// Prints problems and returns nothing when the config, store or landscape cannot be had.
std::optional<Session> openSession(const Invocation& inv, Io& io, bool withLandscape, int* exitCode);

// The nodes sharing the store and which fires the schedules (one line each).
void printCluster(Session& s, Millis now, Io& io);

// "cli:<user>" for the audit log.
std::string cliActor();

// Parses an ISO time or a duration ago ("2h" = two hours before now).
std::optional<Millis> parseWhen(const std::string& text, Millis now);

// Delivers queued records of `flows` in this process until `done()` or until
// nothing is due within `horizon`; prints progress on a terminal.
void deliverUntil(Session& s, const std::vector<std::string>& flows, const std::function<bool()>& done,
                  Millis timeout, Io& io, const std::function<std::string()>& progress = {});

// The most rows one list command prints (--limit), and the largest store id.
constexpr std::int64_t kMostListed = 100000;
constexpr std::int64_t kLargestId = std::numeric_limits<std::int64_t>::max();

std::string pad(const std::string& text, std::size_t width);
std::string when(Millis t);  // ISO seconds, "-" for 0

}  // namespace hub::cli
