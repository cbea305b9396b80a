#pragma once
// `hub-sim dms`: the DMS simulator as a process, seeded from --data and/or
// generated from --seed, sending signed change webhooks to --webhook-url.
#include "connectors/dms/sim/dms_seed.h"
#include "connectors/sim/running_simulator.h"

namespace hub::connector::dms::sim {

// The generated data's size for --seed and --scale.
SeedSize seedSizeFor(const hub::sim::SimulatorSpec& spec);

std::unique_ptr<hub::sim::RunningSimulator> startForProcess(const hub::sim::SimulatorSpec& spec);

}  // namespace hub::connector::dms::sim
