#include "hub/daemon/config_hooks.h"

#include "scheduler/cron.h"
#include "scheduler/zone.h"

namespace hub::daemon {

config::LoadHooks configHooks() { return {sched::checkSchedule, sched::knownZone}; }

}  // namespace hub::daemon
