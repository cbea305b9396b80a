#pragma once
// Operations on a flow's stored state, shared by the CLI and the admin API.
#include <optional>
#include <string>

#include "hub/store/store.h"

namespace hub::engine {

struct ResetResult {
  std::size_t forgotten_hashes = 0;
};

// Moves the flow's cursor back to `since` (nothing = the beginning); the next
// run still reads one overlap window earlier. With `resend`, content already
// delivered is sent again (a backfill after a target lost data).
ResetResult resetFlow(store::Store& store, const std::string& flow, std::optional<Millis> since, bool resend,
                      const std::string& actor, Millis now);

}  // namespace hub::engine
