#pragma once
// `hub serve` as a real child process for the reliability scenarios: started on
// a config file (with fail points armed through HUB_FAILPOINT when asked),
// killed with SIGKILL, restarted, stopped, and the store it leaves checked.
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <string>

#include "hub/store/store.h"
#include "tests/support/child_process.h"

namespace hub::test {

std::unique_ptr<ChildProcess> startHubServe(const std::string& config, std::map<std::string, std::string> env = {});

// Stops a hub that may still be starting: once it listens (so it handles
// signals), SIGTERM; it must exit 0.
void stopHubServe(ChildProcess& hub);

// A hub armed to SIGKILL itself at the `hit`-th pass of fail point `name`;
// returns once it died there.
void crashAtFailPoint(const std::string& config, const std::string& name, int hit, const std::string& why);

// `rounds` fresh hubs, each killed with SIGKILL at a moment drawn from `rng`,
// `fromMs` to `toMs` after it was started. `why` names the seed for failures.
void killAtRandomMoments(const std::string& config, int rounds, std::mt19937& rng, int fromMs, int toMs,
                         const std::string& why);

// The store after recovery: `PRAGMA integrity_check` is ok and no record of
// the flow is pending, leased or parked.
void expectStoreSettled(const std::string& dbPath, const std::string& flow);
void expectStoreSettled(store::Store& store, const std::string& flow);

// hub.yaml (in `dir`) of flow "orders": REST source `sourceUrl` /orders,
// paged by offset, delivered in batches of 50 to REST target `sinkUrl`
// /orders/batch, store hub.db in `dir`.
struct OrdersHub {
  int page_size = 500;
  std::string triggers;  // the flow's YAML block ("    triggers:\n      - interval: 1s\n")
  std::string shutdown_deadline = "3s";
  std::string sink_timeout = "2s";
  std::string store;       // the store block's body (indented two spaces); empty: SQLite hub.db in `dir`
  std::string lease_ttl = "30s";
  std::string leader_ttl = "15s";
  int workers = 2;
};
// The defaults with the flow's triggers block.
inline OrdersHub ordersTriggeredBy(std::string triggers) {
  OrdersHub hub;
  hub.triggers = std::move(triggers);
  return hub;
}
std::string ordersHubYaml(const std::string& dir, const std::string& sourceUrl, const std::string& sinkUrl,
                          const OrdersHub& hub);

}  // namespace hub::test
