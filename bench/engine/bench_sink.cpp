// A REST sink in its own process, so the benchmark's peak RSS is the hub's alone.
#include <csignal>
#include <cstdio>
#include <thread>

#include "tests/doubles/rest_system.h"

int main() {
  hub::test::RestSystem sink(1);
  std::printf("%s\n", sink.baseUrl().c_str());
  std::fflush(stdout);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  int sig = 0;
  sigwait(&set, &sig);
  std::fprintf(stderr, "sink: %zu stored, %zu created, %zu absorbed\n", sink.storedCount(), sink.created(),
               sink.absorbed());
  return 0;
}
