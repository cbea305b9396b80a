#pragma once
// Fail points let crash tests hit narrow windows deterministically. They exist
// only in test builds (-DHUB_FAILPOINTS=ON) and are armed through the
// environment: HUB_FAILPOINT="after_page_commit:crash@3,before_sink_send:sleep(200)".
// Actions: crash (SIGKILL self), crash@N (on the Nth hit), sleep(ms), throw.
#include <string_view>

namespace hub::failpoint {
void hit(std::string_view name);
}

#ifdef HUB_ENABLE_FAILPOINTS
#define HUB_FAILPOINT(name) ::hub::failpoint::hit(name)
#else
#define HUB_FAILPOINT(name) ((void)0)
#endif
