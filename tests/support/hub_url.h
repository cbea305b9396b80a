#pragma once
// The address `hub serve` prints on stdout once it listens:
//   hub listening on http://127.0.0.1:41234  (health …/healthz, admin API …)
#include <optional>
#include <string>

#include "tests/support/child_process.h"

namespace hub::test {

// Waits for that line and returns its URL; nullopt when the hub never got there.
inline std::optional<std::string> waitForHubUrl(ChildProcess& hub) {
  const auto line = hub.waitForLine("hub listening on");
  if (!line) return std::nullopt;
  const auto start = line->find("http://");
  return line->substr(start, line->find_first_of(" \t", start) - start);
}

}  // namespace hub::test
