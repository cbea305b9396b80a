#include "hub/engine/flow_ops.h"

#include <nlohmann/json.hpp>

#include "hub/engine/watermark.h"

namespace hub::engine {

ResetResult resetFlow(store::Store& store, const std::string& flow, std::optional<Millis> since, bool resend,
                      const std::string& actor, Millis now) {
  ResetResult r;
  std::optional<std::string> cursor;
  if (since) {
    Watermark w;
    w.high = *since;
    cursor = w.encode();
  }
  store.flows().setCursor(flow, cursor, now);
  if (resend) {
    store.flows().forgetSeenContent(flow);
    r.forgotten_hashes = store.xref().forgetContentHashes(flow);
  }
  store.audit().append(actor, "flow.reset", "flow/" + flow,
                       nlohmann::json{{"since", since ? formatIsoMillis(*since) : ""}, {"resend", resend}}.dump(), now);
  return r;
}

}  // namespace hub::engine
