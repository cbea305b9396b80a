#include "connectors/dms/sim/dms_sim_process.h"
#include "connectors/kingdee/sim/kingdee_sim_process.h"
#include "connectors/sim/running_simulator.h"

namespace hub::sim {

// One line per simulator.
const std::vector<SimulatorEntry>& simulators() {
  static const std::vector<SimulatorEntry> all = {
      {"kingdee", "Kingdee K/3 Cloud WebAPI (金蝶云星空)", connector::kingdee::sim::startForProcess},
      {"dms", "DMS core open API (dealer data, signed change webhooks)", connector::dms::sim::startForProcess},
  };
  return all;
}

}  // namespace hub::sim
