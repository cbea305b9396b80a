// End-to-end throughput through the durable queue: a JSON Lines file source,
// the engine with its SQLite queue (WAL, synchronous=FULL), and the REST
// connector pushing batches over loopback to a sink in another process.
#include <benchmark/benchmark.h>
#include <signal.h>

#include <thread>

#include "bench/engine/bench_rig.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace {

using namespace bench;

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
