#include "connectors/dms/sim/dms_seed.h"
#include "connectors/dms/sim/dms_sim_process.h"
#include "connectors/kingdee/sim/kingdee_sim_process.h"
#include "connectors/sim/landscape_seed.h"
#include "connectors/sim/running_simulator.h"

namespace hub::sim {

namespace {

// Kingdee seeded from --seed ships the orders `hub-sim dms` generates from the same seed and scale.
std::unique_ptr<RunningSimulator> startKingdee(const SimulatorSpec& spec) {
  if (!spec.seed) return connector::kingdee::sim::startForProcess(spec);
  const auto dms = connector::dms::sim::generateDealerData(connector::dms::sim::seedSizeFor(spec));
  return connector::kingdee::sim::startForProcess(spec, outboundBillsFor(dms["orders"], scaled(400, spec.scale)));
}

}  // namespace

// One line per simulator.
const std::vector<SimulatorEntry>& simulators() {
  static const std::vector<SimulatorEntry> all = {
      {"kingdee", "Kingdee K/3 Cloud WebAPI (金蝶云星空)", startKingdee},
      {"dms", "DMS core open API (dealer data, signed change webhooks)", connector::dms::sim::startForProcess},
  };
  return all;
}

}  // namespace hub::sim
