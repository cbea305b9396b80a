#include "hub/cli/session.h"

#include <unistd.h>

#include <cstdlib>
#include <ostream>
#include <thread>

#include "hub/core/redaction.h"
#include "scheduler/leader_lease.h"

namespace hub::cli {

std::optional<Session> openSession(const Invocation& inv, Io& io, bool withLandscape, int* exitCode) {
  auto loaded = loadOrReport(configPath(inv), io);
  if (!loaded) {
    *exitCode = kUsage;
    return std::nullopt;
  }
  Session s;
  s.loaded = std::move(*loaded);
  s.store = openStoreOrReport(s.loaded.config, io);
  if (!s.store) {
    *exitCode = kFailure;
    return std::nullopt;
  }
  if (withLandscape) {
    auto built = engine::Landscape::build(s.loaded, connector::builtinConnectors());
    if (!built) {
      for (const auto& p : built.error()) io.err << redact(p.format()) << "\n";
      *exitCode = kUsage;
      return std::nullopt;
    }
    s.landscape = *built;
  }
  return s;
}

void printCluster(Session& s, Millis now, Io& io) {
  const Millis ttl = s.config().cluster.leader_ttl;
  const auto nodes = s.store->cluster().nodes(now - sched::nodeSilenceLimit(ttl));
  const auto leader = s.store->cluster().leader(sched::kScheduleDuty, now);
  io.out << "store: " << s.store->location() << "\n";
  io.out << "nodes: " << nodes.size() << (nodes.empty() ? " (no hub is serving this store)" : "") << "\n";
  for (const auto& n : nodes)
    io.out << "  " << n.node << (leader && leader->node == n.node ? "  [leader: fires schedules]" : "") << "  v"
           << n.version << ", up since " << formatIsoSeconds(n.started_at) << "\n";
  if (!nodes.empty() && !leader) io.out << "  no leader now: schedules wait until a node takes the lease\n";
}

std::string cliActor() {
  const char* user = std::getenv("USER");
  return std::string("cli:") + (user && *user ? user : "unknown");
}

std::optional<Millis> parseWhen(const std::string& text, Millis now) {
  if (auto at = parseIsoInstant(text, 480)) return at;
  if (auto ago = parseDuration(text)) return now - *ago;
  return std::nullopt;
}

std::string pad(const std::string& text, std::size_t width) {
  // Width in display columns: CJK characters take two.
  std::size_t cols = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    cols += len >= 3 ? 2 : 1;
    i += len;
  }
  return cols >= width ? text + " " : text + std::string(width - cols, ' ');
}

std::string when(Millis t) { return t ? formatIsoSeconds(t) : "-"; }

void deliverUntil(Session& s, const std::vector<std::string>& flows, const std::function<bool()>& done,
                  Millis timeout, Io& io, const std::function<std::string()>& progress) {
  engine::EngineOptions options;
  options.workers = s.config().engine.workers;
  options.lease_ttl = s.config().engine.lease_ttl;
  options.poll_interval = 200;
  engine::Engine eng(*s.store, s.landscape, options);
  eng.start();
  const Millis deadline = nowMillis() + timeout;
  Millis lastPrint = 0;
  while (!done() && nowMillis() < deadline) {
    // Stop once everything left waits for a retry well in the future: the
    // daemon delivers it then.
    bool anySoon = false;
    for (const auto& f : flows) {
      const auto* flow = s.landscape->flow(f);
      if (!flow) continue;
      for (const auto& t : flow->targets) {
        const auto due = s.store->queue().nextDue(f, t.name);
        if (due && *due < nowMillis() + 30000) anySoon = true;
      }
    }
    if (!anySoon) break;
    if (progress && io.out_is_terminal && nowMillis() - lastPrint >= 1000) {
      io.out << "\r" << progress() << std::flush;
      lastPrint = nowMillis();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  eng.stop(s.config().server.shutdown_deadline);
  if (progress && io.out_is_terminal) io.out << "\r" << progress() << "\n";
}

}  // namespace hub::cli
