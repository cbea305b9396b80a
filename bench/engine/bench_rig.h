#pragma once
// What the engine benchmarks share: the order file, the flow (file source ->
// queue -> REST sink in another process) on a given store, timing helpers.
#include <chrono>
#include <memory>
#include <string>

#include "hub/engine/engine.h"
#include "tests/support/temp_dir.h"

namespace bench {

double peakRssMb();
void writeOrders(const std::string& path, int n);
// The flow "orders" from dir/inbox to sinkUrl; `storeYaml` is the store block's body.
std::shared_ptr<const hub::engine::Landscape> landscape(const hub::test::TempDir& dir, const std::string& sinkUrl,
                                                        const std::string& storeYaml = "");
// Nothing pending or in flight (an index probe, not a count).
bool drained(hub::store::Store& store);
double secondsSince(std::chrono::steady_clock::time_point t);

}  // namespace bench
