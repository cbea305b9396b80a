#pragma once
// The checks the configuration loader borrows from other components (cron
// syntax and time zones from the scheduler), for the daemon and the CLI alike.
#include "hub/config/hub_config.h"

namespace hub::daemon {

config::LoadHooks configHooks();

}  // namespace hub::daemon
