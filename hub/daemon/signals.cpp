#include "hub/daemon/signals.h"

#include <pthread.h>
#include <signal.h>

namespace hub::daemon {
namespace {
sigset_t daemonSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  return set;
}
}  // namespace

void blockDaemonSignals() {
  sigset_t set = daemonSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);  // a client hanging up must not kill the hub
}

Signal waitForSignal() {
  sigset_t set = daemonSignals();
  int sig = 0;
  while (sigwait(&set, &sig) != 0) {
  }
  return sig == SIGHUP ? Signal::Reload : Signal::Stop;
}

}  // namespace hub::daemon
