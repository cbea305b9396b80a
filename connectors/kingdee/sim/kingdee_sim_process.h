#pragma once
// `hub-sim kingdee`: the simulator as a process, seeded from --data and/or
// generated from --seed.
#include "connectors/sim/running_simulator.h"

namespace hub::connector::kingdee::sim {

std::unique_ptr<hub::sim::RunningSimulator> startForProcess(const hub::sim::SimulatorSpec& spec);

}  // namespace hub::connector::kingdee::sim
