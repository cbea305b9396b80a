#pragma once
// What `hub-sim` needs from a simulator: start it from command-line options
// and say where it listens. Each simulator library provides one start
// function; simulators.cpp lists them, one line each.
#include <cmath>
#include <cstdint>
#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace hub::sim {

struct SimulatorSpec {
  std::string host = "127.0.0.1";
  int port = 0;
  std::string data_file;              // seed data in the simulator's JSON format
  std::optional<std::uint64_t> seed;  // generate realistic data from this seed
  double scale = 1.0;                 // --scale: multiplies the generated counts (0.1 = a tenth)
  std::string webhook_url;            // systems that send change webhooks POST them here
  std::string webhook_secret;         // and sign them with this (whsec_...)
};

// A generated count times --scale, at least 1.
inline int scaled(int count, double scale) {
  return std::max(1, static_cast<int>(std::lround(count * scale)));
}

class RunningSimulator {
 public:
  virtual ~RunningSimulator() = default;
  virtual std::string url() const = 0;       // printed on stdout
  virtual std::string describe() const = 0;  // credentials and counts, printed on stderr
};

struct SimulatorEntry {
  std::string name;
  std::string summary;
  std::function<std::unique_ptr<RunningSimulator>(const SimulatorSpec&)> start;  // throws on bad options
};

const std::vector<SimulatorEntry>& simulators();

}  // namespace hub::sim
