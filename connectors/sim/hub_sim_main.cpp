// hub-sim <system> --port P [--host H] [--data FILE] [--seed N [--scale F]] [--webhook-url URL --webhook-secret S]
// Runs one simulator until SIGTERM or SIGINT; prints its URL on stdout.
#include <signal.h>

#include <cstdlib>
#include <iostream>
#include <string>

#include "connectors/sim/running_simulator.h"

namespace {

int usage(const std::string& problem) {
  if (!problem.empty()) std::cerr << "hub-sim: " << problem << "\n";
  std::cerr << "usage: hub-sim <system> --port P [--host H] [--data FILE] [--seed N [--scale F]]"
               " [--webhook-url URL --webhook-secret S]\nsystems:\n";
  for (const auto& s : hub::sim::simulators()) std::cerr << "  " << s.name << "  " << s.summary << "\n";
  return 64;  // EX_USAGE
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage("");
  const std::string system = argv[1];
  if (system == "--help" || system == "-h") return usage("");
  hub::sim::SimulatorSpec spec;
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    if (i + 1 >= argc) return usage("missing value after " + a);
    const std::string v = argv[++i];
    try {
      if (a == "--port") spec.port = std::stoi(v);
      else if (a == "--host") spec.host = v;
      else if (a == "--data") spec.data_file = v;
      else if (a == "--seed") spec.seed = std::stoull(v);
      else if (a == "--scale") {
        spec.scale = std::stod(v);
        if (!(spec.scale > 0 && spec.scale <= 100)) return usage("--scale takes a factor above 0, at most 100");
      } else if (a == "--webhook-url") spec.webhook_url = v;
      else if (a == "--webhook-secret") spec.webhook_secret = v;
      else return usage("unknown option " + a);
    } catch (const std::exception&) {
      return usage("bad value '" + v + "' for " + a);
    }
  }
  const hub::sim::SimulatorEntry* entry = nullptr;
  for (const auto& s : hub::sim::simulators())
    if (s.name == system) entry = &s;
  if (!entry) return usage("no simulator named '" + system + "'");

  // Block the stop signals before any thread starts, then wait for one.
  sigset_t stopSignals;
  sigemptyset(&stopSignals);
  sigaddset(&stopSignals, SIGTERM);
  sigaddset(&stopSignals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);
  std::unique_ptr<hub::sim::RunningSimulator> sim;
  try {
    sim = entry->start(spec);
  } catch (const std::exception& e) {
    std::cerr << "hub-sim: " << e.what() << "\n";
    return 1;
  }
  std::cout << sim->url() << std::endl;
  std::cerr << sim->describe() << std::endl;
  int sig = 0;
  sigwait(&stopSignals, &sig);
  sim.reset();  // stops the server, finishing requests in progress
  std::cerr << "hub-sim: stopped on signal " << sig << std::endl;
  return 0;
}
