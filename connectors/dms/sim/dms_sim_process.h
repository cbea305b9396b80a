#pragma once
// `hub-sim dms`: the DMS simulator as a process, seeded from --data and/or
// generated from --seed, sending signed change webhooks to --webhook-url.
#include "connectors/sim/running_simulator.h"

namespace hub::connector::dms::sim {

std::unique_ptr<hub::sim::RunningSimulator> startForProcess(const hub::sim::SimulatorSpec& spec);

}  // namespace hub::connector::dms::sim
