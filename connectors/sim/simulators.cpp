#include "connectors/kingdee/sim/kingdee_sim_process.h"
#include "connectors/sim/running_simulator.h"

namespace hub::sim {

// One line per simulator.
const std::vector<SimulatorEntry>& simulators() {
  static const std::vector<SimulatorEntry> all = {
      {"kingdee", "Kingdee K/3 Cloud WebAPI (金蝶云星空)", connector::kingdee::sim::startForProcess},
  };
  return all;
}

}  // namespace hub::sim
