// The mapping hot path: canonical sales order -> Kingdee SAL_SaleOrder.
// Items per second = orders per second on one thread.
#include <benchmark/benchmark.h>

#include <fstream>
#include <iostream>

#include "mappings/engine/mapping.h"
#include "mappings/jmespath/jmespath.h"

namespace {

using namespace hub::mapping;
using nlohmann::json;

struct Fixture {
  Mapping mapping;
  json order;
  FixtureXrefLookup xref;
  MappingContext ctx;

  static const Fixture& get() {
    static const Fixture f = load();
    return f;
  }

 private:
  static json readJson(const std::string& name) {
    std::ifstream in(std::string(HUB_BENCH_DIR) + "/data/" + name);
    return json::parse(in);
  }
  static Fixture load() {
    auto m = MappingCatalog::loadFile(std::string(HUB_BENCH_DIR) + "/kingdee_sales_order.yaml");
    if (!m) {
      std::cerr << hub::formatAll(m.error());
      std::exit(2);
    }
    Fixture f{*m, readJson("sales_order.json"), *FixtureXrefLookup::fromJson(readJson("xref.json")), {}};
    f.ctx.now = [] { return hub::Millis(1714530600000); };
    return f;
  }
};

// A fresh document per order, as apply() returns it.
void BM_KingdeeSalesOrder_Apply(benchmark::State& state) {
  const Fixture& f = Fixture::get();
  MappingContext ctx = f.ctx;
  ctx.xref = &f.xref;
  for (auto _ : state) {
    MappingResult r = f.mapping.apply(f.order, ctx);
    benchmark::DoNotOptimize(r.document);
    if (!r.ok()) state.SkipWithError("mapping problems");
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_KingdeeSalesOrder_Apply)->UseRealTime();

// A worker loop that consumes each result before the next: applyInto()
// reuses the previous document's nodes.
void BM_KingdeeSalesOrder_ApplyInto(benchmark::State& state) {
  const Fixture& f = Fixture::get();
  MappingContext ctx = f.ctx;
  ctx.xref = &f.xref;
  MappingResult r;
  for (auto _ : state) {
    f.mapping.applyInto(f.order, ctx, r);
    benchmark::DoNotOptimize(r.document);
    if (!r.ok()) state.SkipWithError("mapping problems");
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_KingdeeSalesOrder_ApplyInto)->UseRealTime();

// apply() plus serialising the document, as a sink sends it.
void BM_KingdeeSalesOrder_ApplyAndDump(benchmark::State& state) {
  const Fixture& f = Fixture::get();
  MappingContext ctx = f.ctx;
  ctx.xref = &f.xref;
  MappingResult r;
  for (auto _ : state) {
    f.mapping.applyInto(f.order, ctx, r);
    std::string body = r.document.dump();
    benchmark::DoNotOptimize(body);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_KingdeeSalesOrder_ApplyAndDump)->UseRealTime();

// Floors set by nlohmann::json on this machine, for reading the results above:
// building (and freeing) a document of this size, with no mapping at all...
void BM_Floor_CopyTheKingdeeDocument(benchmark::State& state) {
  const Fixture& f = Fixture::get();
  const json expected = f.mapping.apply(f.order, [&] {
    MappingContext c = f.ctx;
    c.xref = &f.xref;
    return c;
  }()).document;
  for (auto _ : state) {
    json copy = expected;
    benchmark::DoNotOptimize(copy);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Floor_CopyTheKingdeeDocument)->UseRealTime();

// ...and looking up the source members the mapping reads (header, then each line).
void BM_Floor_SourceLookups(benchmark::State& state) {
  const Fixture& f = Fixture::get();
  const std::vector<std::string> header = {"order_no", "order_date", "sales_org", "customer_id", "customer_id",
                                           "sales_dept", "salesperson_id", "remark", "delivery_address", "source_id",
                                           "currency", "exchange_rate", "price_includes_tax", "total_amount",
                                           "total_tax", "lines"};
  const std::vector<std::string> line = {"sku", "unit", "unit", "qty", "unit_price", "unit_price_incl_tax",
                                         "tax_rate", "discount_rate", "amount_incl_tax", "warehouse_code",
                                         "batch_no", "delivery_date", "is_gift", "remark"};
  for (auto _ : state) {
    std::size_t found = 0;
    for (const auto& k : header) found += f.order.find(k) != f.order.end();
    for (const auto& l : f.order["lines"]) {
      for (const auto& k : line) found += l.find(k) != l.end();
      found += f.order.find("warehouse_code") != f.order.end();
      found += f.order.find("delivery_date") != f.order.end();
    }
    benchmark::DoNotOptimize(found);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Floor_SourceLookups)->UseRealTime();

void BM_LoadMapping(benchmark::State& state) {
  for (auto _ : state) {
    auto m = MappingCatalog::loadFile(std::string(HUB_BENCH_DIR) + "/kingdee_sales_order.yaml");
    benchmark::DoNotOptimize(m);
  }
}
BENCHMARK(BM_LoadMapping);

void BM_JmespathFilterProjection(benchmark::State& state) {
  const Fixture& f = Fixture::get();
  auto e = hub::jmes::compile("lines[?tax_rate == `0.13`].{sku: sku, qty: qty}");
  for (auto _ : state) {
    auto r = e->search(f.order);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_JmespathFilterProjection);

}  // namespace

BENCHMARK_MAIN();
