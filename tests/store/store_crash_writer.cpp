// Test helper: commits pages of 20 records to the store forever, printing
// "committed N" after each commit returns, until it is killed.
#include <cstdio>
#include <string>

#include "hub/core/digest.h"
#include "hub/store/store.h"

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  auto store = hub::store::openStore(hub::store::sqliteAt(argv[1]));
  long next = argc > 2 ? std::stol(argv[2]) : 0;
  while (true) {
    hub::store::PageCommit page;
    page.flow = "crash";
    page.entity = "order";
    page.source_system = "src";
    page.targets = {"t"};
    page.now = next;
    for (int i = 0; i < 20; ++i, ++next) {
      const std::string key = "K" + std::to_string(next);
      const std::string payload = "{\"n\":" + std::to_string(next) + ",\"pad\":\"" + std::string(200, 'x') + "\"}";
      page.records.push_back({key, 0, "", payload, hub::digest::sha256Hex(payload), ""});
    }
    page.cursor = "{\"next\":" + std::to_string(next) + "}";
    store->queue().commitPage(page);
    std::printf("committed %ld\n", next);
    std::fflush(stdout);
  }
}
