#include "bench/engine/bench_rig.h"

#include <sys/resource.h>

#include <fstream>

#include "hub/config/hub_config.h"

namespace bench {

double peakRssMb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

void writeOrders(const std::string& path, int n) {
  std::ofstream out(path);
  for (int i = 0; i < n; ++i) {
    nlohmann::json order = {{"id", "SO-" + std::to_string(1000000 + i)},
                            {"dealer", "D-" + std::to_string(i % 500)},
                            {"order_date", "2026-11-23"},
                            {"currency", "CNY"},
                            {"lines", nlohmann::json::array()}};
    for (int l = 0; l < 3; ++l)
      order["lines"].push_back({{"sku", "MAT" + std::to_string(10000 + (i + l) % 800)}, {"qty", 1 + l}, {"price", "128.50"}});
    out << order.dump() << "\n";
  }
}

std::shared_ptr<const hub::engine::Landscape> landscape(const hub::test::TempDir& dir, const std::string& sinkUrl,
                                                        const std::string& storeYaml) {
  const std::string yaml = "store:\n" + (storeYaml.empty() ? "  path: " + dir.file("hub.db") : storeYaml) +
                           "\nconnectors:\n"
                           "  - {name: files, type: file, directory: '" + dir.path().string() + "'}\n"
                           "  - {name: erp, type: rest, base_url: '" + sinkUrl + "'}\n"
                           "flows:\n"
                           "  - name: orders\n"
                           "    entity: order\n"
                           "    source: {connector: files, entity: orders, page_size: 1000, options: {inbox: inbox}}\n"
                           "    targets:\n"
                           "      - {connector: erp, entity: orders, options: {path: /orders/batch, batch: array, wrap: records, max_batch: 200}}\n"
                           "    batch_size: 200\n";
  auto loaded = hub::config::parseConfig(yaml, "bench.yaml", dir.path().string(), hub::connector::builtinConnectors());
  if (!loaded) throw std::runtime_error(hub::formatAll(loaded.error()));
  auto built = hub::engine::Landscape::build(*loaded, hub::connector::builtinConnectors());
  if (!built) throw std::runtime_error(hub::formatAll(built.error()));
  return *built;
}

bool drained(hub::store::Store& store) { return !store.queue().nextDue("orders", "erp.orders").has_value(); }

double secondsSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace bench
