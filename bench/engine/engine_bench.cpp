// End-to-end throughput through the durable queue: a JSON Lines file source,
// the engine with its SQLite queue (WAL, synchronous=FULL), and the REST
// connector pushing batches over loopback to a sink in another process.
#include <benchmark/benchmark.h>
#include <signal.h>
#include <sys/resource.h>

#include <fstream>
#include <thread>

#include "hub/config/hub_config.h"
#include "hub/core/digest.h"
#include "hub/engine/engine.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace {

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

std::shared_ptr<const hub::engine::Landscape> landscape(const hub::test::TempDir& dir, const std::string& sinkUrl) {
  const std::string yaml = "store:\n  path: " + dir.file("hub.db") +
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

// Nothing pending or in flight (an index probe, not a count).
bool drained(hub::store::Store& store) { return !store.queue().nextDue("orders", "erp.orders").has_value(); }

double secondsSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// n orders in the inbox, the sink process, the store and an engine (not started).
struct Rig {
  explicit Rig(int n) {
    std::filesystem::create_directories(dir.path() / "inbox");
    writeOrders(dir.file("inbox/orders-0001.jsonl"), n);
    store = hub::store::openStore(hub::store::sqliteAt(dir.file("hub.db")));
    hub::engine::EngineOptions o;
    o.workers = 2;
    o.poll_interval = 20;
    engine = std::make_unique<hub::engine::Engine>(*store, landscape(dir, *sink.waitForLine("http://")), o);
  }
  ~Rig() {
    engine->stop(5000);
    sink.signal(SIGTERM);
    sink.wait(std::chrono::seconds(60));
  }
  void waitDrained() const {
    while (!drained(*store)) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }

  hub::test::TempDir dir;
  hub::test::ChildProcess sink{{BENCH_SINK}};
  std::unique_ptr<hub::store::Store> store;
  std::unique_ptr<hub::engine::Engine> engine;
};

void BM_FileToRestThroughTheQueue(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  for (auto _ : state) {
    state.PauseTiming();
    auto rig = std::make_unique<Rig>(n);
    state.ResumeTiming();
    const auto started = std::chrono::steady_clock::now();
    rig->engine->start();
    rig->engine->runNow("orders", "bench");
    rig->waitDrained();
    const double secs = secondsSince(started);
    state.PauseTiming();
    state.counters["records_per_s"] = n / secs;
    state.counters["peak_rss_MB"] = peakRssMb();
    rig.reset();
    state.ResumeTiming();
  }
}
BENCHMARK(BM_FileToRestThroughTheQueue)->Arg(100000)->Arg(10000)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

// A backlog of a million queued records (the target is down, then comes back):
// memory stays bounded because the queue lives in SQLite and pages stream.
void BM_MillionRecordBacklog(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  for (auto _ : state) {
    state.PauseTiming();
    auto rig = std::make_unique<Rig>(n);
    state.ResumeTiming();
    // Queue everything first (no workers yet): the backlog.
    const auto started = std::chrono::steady_clock::now();
    rig->engine->runNow("orders", "bench");
    const double queueSecs = secondsSince(started);
    const double rssQueued = peakRssMb();
    rig->engine->start();
    rig->waitDrained();
    const double totalSecs = secondsSince(started);
    state.PauseTiming();
    state.counters["queued_per_s"] = n / queueSecs;
    state.counters["delivered_per_s"] = n / (totalSecs - queueSecs);
    state.counters["peak_rss_MB_after_queueing"] = rssQueued;
    state.counters["peak_rss_MB"] = peakRssMb();
    rig.reset();
    state.ResumeTiming();
  }
}
BENCHMARK(BM_MillionRecordBacklog)->Arg(1000000)->Arg(100000)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
