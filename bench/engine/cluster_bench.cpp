// Several nodes on one PostgreSQL store against one node on SQLite, in the
// same run, on the same 100 000 orders: file source -> queue -> REST sink in
// another process. A node is an Engine with its own store handle (its own
// connection pool) and connectors, as `hub serve` on another host would be;
// they compete for the queue through FOR UPDATE SKIP LOCKED. The benchmark
// starts a throw-away cluster (deploy/pg_cluster.sh) unless
// HUB_BENCH_PG_URL names a server (its postgres database; a database
// per run is created there).
#include <benchmark/benchmark.h>
#include <libpq-fe.h>
#include <signal.h>

#include <cstdlib>
#include <fstream>
#include <thread>

#include "bench/engine/bench_rig.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace {

using namespace bench;

void execute(const std::string& url, const std::string& sql) {
  PGconn* c = PQconnectdb(url.c_str());
  PQclear(PQexec(c, sql.c_str()));
  PQfinish(c);
}

// The server for the whole run.
struct Server {
  Server() {
    if (const char* env = std::getenv("HUB_BENCH_PG_URL")) {
      url = env;
      return;
    }
    state = std::make_unique<hub::test::TempDir>();
    const std::string cmd = std::string(HUB_SOURCE_DIR) + "/deploy/pg_cluster.sh start " + state->path().string() +
                            " >/dev/null";
    if (std::system(cmd.c_str()) != 0) throw std::runtime_error("could not start a PostgreSQL cluster");
    std::ifstream in(state->file("url"));
    std::getline(in, url);
    if (url.empty()) throw std::runtime_error("no PostgreSQL server binaries on this machine");
  }
  ~Server() {
    if (state) std::system((std::string(HUB_SOURCE_DIR) + "/deploy/pg_cluster.sh stop " + state->path().string() +
                            " >/dev/null").c_str());
  }
  std::string url;  // .../postgres
  std::unique_ptr<hub::test::TempDir> state;
};

Server& server() {
  static Server s;
  return s;
}

struct Node {
  std::unique_ptr<hub::store::Store> store;
  std::unique_ptr<hub::engine::Engine> engine;
};

// n orders, the sink, and `nodes` engines on one store (PostgreSQL unless nodes == 0: one on SQLite).
struct ClusterRig {
  ClusterRig(int n, int nodes) {
    std::filesystem::create_directories(dir.path() / "inbox");
    writeOrders(dir.file("inbox/orders-0001.jsonl"), n);
    const std::string sinkUrl = *sink.waitForLine("http://");
    std::string storeYaml;
    hub::store::StoreOptions options = hub::store::sqliteAt(dir.file("hub.db"));
    if (nodes > 0) {
      static int run = 0;
      database = "bench_" + std::to_string(::getpid()) + "_" + std::to_string(run++);
      execute(server().url, "CREATE DATABASE " + database);
      const std::string url = server().url.substr(0, server().url.rfind('/') + 1) + database;
      storeYaml = "  driver: postgresql\n  url: '" + url + "'\n";
      options = {};
      options.driver = "postgresql";
      options.url = url;
    }
    for (int i = 0; i < std::max(1, nodes); ++i) {
      Node node;
      node.store = hub::store::openStore(options);
      hub::engine::EngineOptions o;
      o.workers = 2;
      o.poll_interval = 20;
      o.owner = "bench-node-" + std::to_string(i);
      node.engine = std::make_unique<hub::engine::Engine>(*node.store, landscape(dir, sinkUrl, storeYaml), o);
      this->nodes.push_back(std::move(node));
    }
  }
  ~ClusterRig() {
    for (auto& n : nodes) n.engine->stop(5000);
    nodes.clear();
    sink.signal(SIGTERM);
    sink.wait(std::chrono::seconds(60));
    if (!database.empty()) execute(server().url, "DROP DATABASE " + database + " WITH (FORCE)");
  }

  hub::test::TempDir dir;
  hub::test::ChildProcess sink{{BENCH_SINK}};
  std::string database;
  std::vector<Node> nodes;
};

// range(0): nodes on PostgreSQL; 0 = the SQLite peer (one node).
void BM_EndToEndByNodes(benchmark::State& state) {
  const int n = 100000;
  const int nodes = static_cast<int>(state.range(0));
  for (auto _ : state) {
    state.PauseTiming();
    auto rig = std::make_unique<ClusterRig>(n, nodes);
    state.ResumeTiming();
    const auto started = std::chrono::steady_clock::now();
    for (auto& node : rig->nodes) node.engine->start();
    rig->nodes[0].engine->runNow("orders", "bench");  // one node pulls (the run claim); all deliver
    const double pulled = secondsSince(started);
    while (!drained(*rig->nodes[0].store)) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    const double secs = secondsSince(started);
    state.PauseTiming();
    state.counters["records_per_s"] = n / secs;
    state.counters["queued_per_s"] = n / pulled;
    state.SetLabel(nodes == 0 ? "sqlite, 1 node" : "postgresql, " + std::to_string(nodes) + " node(s)");
    rig.reset();
    state.ResumeTiming();
  }
}
BENCHMARK(BM_EndToEndByNodes)->Arg(0)->Arg(1)->Arg(2)->Arg(4)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
