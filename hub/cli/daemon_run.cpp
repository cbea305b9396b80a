#include "hub/cli/daemon_run.h"

#include <cstdlib>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>
#include <thread>

#include "connectors/http/http_client.h"
#include "connectors/spi/errors.h"
#include "hub/core/redaction.h"

namespace hub::cli {
namespace {

using nlohmann::json;

class DaemonApi {
 public:
  explicit DaemonApi(const daemon::LocalEndpoint& endpoint) : base_(endpoint.url), client_(options()) {
    const char* env = std::getenv("HUB_TOKEN");
    token_ = env && *env ? env : endpoint.token;
  }

  // The body of a 2xx answer; otherwise the daemon's error message, thrown.
  json call(const std::string& method, const std::string& path) {
    connector::http::HttpRequest req;
    req.method = method;
    req.url = base_ + path;
    req.headers = {{"Authorization", "Bearer " + token_}, {"Accept", "application/json"}};
    if (method == "POST") req.headers.emplace_back("Content-Type", "application/json"), req.body = "{}";
    const auto res = client_.send(req, path);
    auto body = json::parse(res.body, nullptr, false);
    if (res.status / 100 != 2) {
      std::string message = body.is_object() ? body.value("message", body.value("error", res.body)) : res.body;
      throw std::runtime_error("the hub at " + base_ + " answered " + std::to_string(res.status) + ": " + message);
    }
    return body;
  }

 private:
  static connector::http::ClientOptions options() {
    connector::http::ClientOptions o;
    o.connect_timeout = 2000;
    o.timeout = 30000;
    return o;
  }
  std::string base_;
  connector::http::HttpClient client_;
  std::string token_;
};

std::int64_t count(const json& run, const char* name) { return run["counts"].value(name, std::int64_t{0}); }

std::string progressLine(const json& run, Millis started) {
  const double secs = std::max<double>(0.001, static_cast<double>(nowMillis() - started) / 1000.0);
  std::ostringstream out;
  out << std::fixed << std::setprecision(0) << "pulled " << count(run, "pulled") << " ("
      << static_cast<double>(count(run, "pulled")) / secs << "/s), queued " << count(run, "queued") << ", delivered "
      << count(run, "delivered") << " (" << static_cast<double>(count(run, "delivered")) / secs << "/s), retried "
      << count(run, "retried") << ", dead " << count(run, "dead_lettered") << "   ";
  return out.str();
}

// Every record the run queued has an outcome (or was replaced by a newer version).
bool settled(const json& run) {
  return count(run, "delivered") + count(run, "skipped_unchanged") + count(run, "parked") +
             count(run, "dead_lettered") + count(run, "superseded") >=
         count(run, "queued");
}

}  // namespace

std::string runLine(const json& r) {
  std::ostringstream out;
  out << "run " << r.value("id", 0) << " [" << r.value("status", "") << "] pulled " << count(r, "pulled")
      << ", unchanged " << count(r, "unchanged") << ", queued " << count(r, "queued") << ", delivered "
      << count(r, "delivered") << ", skipped " << count(r, "skipped_unchanged") << ", retried " << count(r, "retried")
      << ", parked " << count(r, "parked") << ", dead-lettered " << count(r, "dead_lettered");
  return out.str();
}

std::optional<int> runInDaemon(const daemon::LocalEndpoint& endpoint, const std::string& flow,
                               const DaemonRunOptions& options, Io& io) {
  try {
    DaemonApi api(endpoint);
    json begun;
    try {
      begun = api.call("POST", "/api/v1/flows/" + flow + "/run");
    } catch (const connector::RetryableError& e) {
      if (e.ambiguous) throw;  // it may have started the run
      io.err << "the hub at " << endpoint.url << " does not answer (" << redact(e.what()) << "); running the flow here\n";
      return std::nullopt;
    }
    const std::string result = begun.value("result", "");
    io.out << "flow " << flow << ": run by the hub serving this store (" << endpoint.url << ", pid " << endpoint.pid
           << ")\n";
    if (result == "queued") {
      io.out << "a pull of this flow is running; the hub runs it again when that one ends\n";
      return kOk;
    }
    if (!begun.contains("run")) {
      io.err << "flow '" << flow << "' was not run: " << result
             << (begun.contains("held_by") ? " (held by " + begun.value("held_by", "") + ")" : "") << "\n";
      return kFailure;
    }
    const std::string runPath = "/api/v1/runs/" + std::to_string(begun["run"].get<std::int64_t>());
    const Millis started = nowMillis();
    const Millis deadline = started + options.timeout;
    json run = api.call("GET", runPath);
    while (nowMillis() < deadline) {
      const bool pulling = run.value("status", "") == "running";
      if (!pulling && (!options.wait_for_delivery || settled(run))) break;
      if (io.out_is_terminal) io.out << "\r" << progressLine(run, started) << std::flush;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      run = api.call("GET", runPath);
    }
    if (io.out_is_terminal) io.out << "\r";
    io.out << runLine(run) << "\n";
    if (!run.value("error", "").empty()) {
      io.err << "pull failed: " << run.value("error", "") << "\n";
      return kFailure;
    }
    if (run.value("status", "") == "running") {
      io.err << "the pull has not ended after " << formatDuration(options.timeout) << "; the hub goes on (hub runs show "
             << begun["run"] << ")\n";
      return kFailure;
    }
    if (options.wait_for_delivery && !settled(run))
      io.out << "still delivering after " << formatDuration(options.timeout)
             << "; the hub goes on (hub runs show " << begun["run"] << ")\n";
    return kOk;
  } catch (const std::exception& e) {
    io.err << redact(e.what()) << "\n";
    return kFailure;
  }
}

}  // namespace hub::cli
