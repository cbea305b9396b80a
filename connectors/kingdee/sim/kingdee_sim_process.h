#pragma once
// `hub-sim kingdee`: the simulator as a process, seeded from --data and/or
// generated from --seed.
#include <nlohmann/json.hpp>

#include "connectors/sim/running_simulator.h"

namespace hub::connector::kingdee::sim {

// `outbound`, when an array, replaces the generated sales outbound bills
// (SAL_OUTSTOCK models): the example landscape ships the DMS's own orders.
std::unique_ptr<hub::sim::RunningSimulator> startForProcess(const hub::sim::SimulatorSpec& spec,
                                                            const nlohmann::json& outbound = nullptr);

}  // namespace hub::connector::kingdee::sim
