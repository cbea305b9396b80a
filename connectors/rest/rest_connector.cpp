#include "connectors/rest/rest_connector.h"

#include <chrono>
#include <mutex>
#include <thread>

#include "connectors/http/http_client.h"
#include "connectors/rest/rest_auth.h"
#include "connectors/rest/rest_paging.h"
#include "connectors/rest/rest_push.h"
#include "connectors/spi/errors.h"
#include "hub/core/time.h"

namespace hub::connector::rest {
namespace {

// What an instance's sources and sinks share: one client (so connections are
// reused across flows) and the page throttle.
struct Endpoint {
  Settings settings;
  ConnectorContext context;
  http::HttpClient client;
  std::mutex throttle;
  std::chrono::steady_clock::time_point last_page{};

  Endpoint(Settings s, const ConnectorContext& ctx)
      : settings(std::move(s)),
        context(ctx),
        client(http::ClientOptions{settings.connect_timeout, settings.timeout, settings.verify_tls, settings.ca_file},
               ctx) {}

  Millis now() const { return context.now ? context.now() : nowMillis(); }

  http::HttpResponse send(http::HttpRequest request, const std::string& endpoint) {
    authorize(settings, request, now());
    return client.send(request, endpoint);
  }

  void pacePage() {
    if (settings.max_pages_per_second <= 0) return;
    std::lock_guard lock(throttle);
    const auto gap = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(1.0 / settings.max_pages_per_second));
    const auto next = last_page + gap;
    if (std::chrono::steady_clock::now() < next) std::this_thread::sleep_until(next);
    last_page = std::chrono::steady_clock::now();
  }
};

class RestSource final : public Source {
 public:
  RestSource(std::shared_ptr<Endpoint> endpoint, SourceOptions options)
      : endpoint_(std::move(endpoint)), options_(std::move(options)) {}

  Page pull(const ScanRequest& request) override {
    endpoint_->pacePage();
    const auto response = endpoint_->send(encodePageRequest(endpoint_->settings, options_, request), "GET " + options_.path);
    return decodePage(options_, request, response, endpoint_->now());
  }

  std::string keyField() const override { return options_.key; }

 private:
  std::shared_ptr<Endpoint> endpoint_;
  SourceOptions options_;
};

bool overloaded(int status) { return status == 429 || status == 502 || status == 503 || status == 504; }

class RestSink final : public Sink {
 public:
  RestSink(std::shared_ptr<Endpoint> endpoint, SinkOptions options)
      : endpoint_(std::move(endpoint)), options_(std::move(options)) {}

  std::vector<Outcome> push(std::span<const OutboundRecord> batch) override {
    if (options_.batch == BatchMode::Array) {
      const auto response = endpoint_->send(encodeBatch(endpoint_->settings, options_, batch), label(false));
      return decodeBatch(options_, batch, response, endpoint_->now());
    }
    std::vector<Outcome> out;
    out.reserve(batch.size());
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const auto& record = batch[i];
      const bool update = !record.known_remote_id.empty() && !options_.update_path.empty();
      try {
        const auto response = endpoint_->send(encodeRecord(endpoint_->settings, options_, record), label(update));
        out.push_back(decodeRecord(options_, record, response, endpoint_->now()));
        if (overloaded(response.status)) {  // the rest would only add load; they wait with this one
          const Outcome first = out.back();
          for (++i; i < batch.size(); ++i) {
            out.push_back(Outcome::retry(first.error_type, "not sent: the target is overloaded"));
            out.back().retry_after = first.retry_after;
          }
        }
      } catch (const RetryableError& e) {
        // The target is unreachable or stalled: this record may have reached
        // it (e.ambiguous), the rest were never sent; all retry later.
        Outcome o = Outcome::retry(e.error_type, e.what());
        o.ambiguous = e.ambiguous;
        o.retry_after = e.retry_after_ms;
        out.push_back(o);
        for (++i; i < batch.size(); ++i) out.push_back(Outcome::retry(e.error_type, "not sent: an earlier record failed"));
      } catch (const PermanentError& e) {
        Outcome o = Outcome::permanent(e.error_type, e.what());
        out.push_back(o);
      }
    }
    return out;
  }

  std::size_t maxBatch() const override { return static_cast<std::size_t>(options_.max_batch); }

 private:
  std::string label(bool update) const {
    return update ? options_.update_method + " " + options_.update_path : options_.method + " " + options_.path;
  }
  std::shared_ptr<Endpoint> endpoint_;
  SinkOptions options_;
};

class RestConnector final : public Connector {
 public:
  RestConnector(const ConnectorContext& context, Settings settings)
      : endpoint_(std::make_shared<Endpoint>(std::move(settings), context)) {}

  std::unique_ptr<Source> openSource(const std::string&, const nlohmann::json& options) override {
    return std::make_unique<RestSource>(endpoint_, parseSourceOptions(options));
  }
  std::unique_ptr<Sink> openSink(const std::string&, const nlohmann::json& options) override {
    return std::make_unique<RestSink>(endpoint_, parseSinkOptions(options));
  }

 private:
  std::shared_ptr<Endpoint> endpoint_;
};

}  // namespace

ConnectorType connectorType() {
  ConnectorType t;
  t.name = "rest";
  t.summary = "Any JSON-over-HTTP API: page, offset or cursor paging; bearer, basic, API-key or HMAC auth";
  t.settings = settingsSpec();
  t.source_options = sourceOptionsSpec();
  t.sink_options = sinkOptionsSpec();
  t.validate = validateSettings;
  t.create = [](const ConnectorContext& context, const nlohmann::json& settings) -> std::unique_ptr<Connector> {
    return std::make_unique<RestConnector>(context, parseSettings(settings));
  };
  return t;
}

}  // namespace hub::connector::rest
