#include "connectors/dms/dms_connector.h"

#include <mutex>

#include "connectors/dms/dms_settings.h"
#include "connectors/dms/dms_wire.h"
#include "connectors/spi/errors.h"
#include "hub/core/time.h"

namespace hub::connector::dms {
namespace {

using nlohmann::json;

// The instance's HTTP client and bearer token, shared by its sources and
// sinks. With client credentials a 401 fetches a fresh token and the call is
// sent once more.
class Api {
 public:
  Api(Settings settings, const ConnectorContext& ctx)
      : settings_(std::move(settings)),
        context_(ctx),
        client_(http::ClientOptions{settings_.connect_timeout, settings_.timeout, settings_.verify_tls, settings_.ca_file},
                ctx) {}

  const Settings& settings() const { return settings_; }
  Millis now() const { return context_.now ? context_.now() : nowMillis(); }

  http::HttpResponse call(const http::HttpRequest& request, const std::string& endpoint) {
    const bool renewable = settings_.token.empty();
    std::string token = currentToken(false);
    http::HttpResponse res = send(request, endpoint, token);
    if (res.status == 401 && renewable) {
      token = currentToken(true, token);
      res = send(request, endpoint, token);
    }
    return res;
  }

 private:
  http::HttpResponse send(http::HttpRequest request, const std::string& endpoint, const std::string& token) {
    request.headers.emplace_back("Authorization", "Bearer " + token);
    return client_.send(request, endpoint);
  }

  // The token to use; `renew` replaces `stale` unless another call already did.
  std::string currentToken(bool renew, const std::string& stale = {}) {
    if (!settings_.token.empty()) return settings_.token;
    std::lock_guard lock(mutex_);
    if (!token_.empty() && !(renew && token_ == stale)) return token_;
    http::HttpRequest req;
    req.method = "POST";
    req.url = settings_.base_url + "/api/v1/auth/token";
    req.body = json{{"client_id", settings_.client_id}, {"client_secret", settings_.client_secret}}.dump();
    req.headers.emplace_back("Content-Type", "application/json");
    const auto res = client_.send(req, "POST /api/v1/auth/token");
    if (http::classifyStatus(res.status) != Disposition::Delivered) throwForStatus(res, "token request", now());
    const json body = json::parse(res.body, nullptr, false);
    if (!body.is_object() || !body.contains("access_token") || !body["access_token"].is_string())
      throw RetryableError("malformed_body", "token request answered without an access_token", res.status);
    token_ = body["access_token"].get<std::string>();
    if (context_.log) context_.log("dms_token_issued", {{"instance", context_.instance}});
    return token_;
  }

  Settings settings_;
  ConnectorContext context_;
  http::HttpClient client_;
  std::mutex mutex_;
  std::string token_;
};

class DmsSource final : public Source {
 public:
  DmsSource(std::shared_ptr<Api> api, const EntityInfo& entity) : api_(std::move(api)), entity_(entity) {}

  Page pull(const ScanRequest& request) override {
    const auto res = api_->call(listRequest(api_->settings().base_url, entity_, request), "GET /api/v1/" + entity_.name);
    return decodeList(entity_, request, res, api_->now());
  }
  std::vector<Record> decodePushed(const PushedBody& pushed) override {
    return decodeWebhook(entity_, pushed.body);
  }
  std::string keyField() const override { return entity_.key_fields.front(); }

 private:
  std::shared_ptr<Api> api_;
  const EntityInfo& entity_;
};

class DmsSink final : public Sink {
 public:
  DmsSink(std::shared_ptr<Api> api, const EntityInfo& entity) : api_(std::move(api)), entity_(entity) {}

  std::vector<Outcome> push(std::span<const OutboundRecord> batch) override {
    if (batch.empty()) return {};
    const auto res = api_->call(batchRequest(api_->settings().base_url, entity_, batch),
                                "POST /api/v1/" + entity_.name + "/batch");
    return decodeBatch(batch, res, api_->now());
  }
  std::size_t maxBatch() const override { return static_cast<std::size_t>(api_->settings().batch_size); }

 private:
  std::shared_ptr<Api> api_;
  const EntityInfo& entity_;
};

// One PUT per order; a transport failure stops the batch (the rest were not sent).
class OrderStatusSink final : public Sink {
 public:
  explicit OrderStatusSink(std::shared_ptr<Api> api) : api_(std::move(api)) {}

  std::vector<Outcome> push(std::span<const OutboundRecord> batch) override {
    std::vector<Outcome> out;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      try {
        const auto res = api_->call(statusRequest(api_->settings().base_url, batch[i]), "PUT /api/v1/orders/{order_no}/status");
        out.push_back(decodeStatus(res, api_->now()));
      } catch (const RetryableError& e) {
        Outcome o = Outcome::retry(e.error_type, e.what());
        o.ambiguous = e.ambiguous;
        o.retry_after = e.retry_after_ms;
        out.push_back(o);
        for (++i; i < batch.size(); ++i) out.push_back(Outcome::retry(e.error_type, "not sent: an earlier update failed"));
      } catch (const PermanentError& e) {
        out.push_back(Outcome::permanent(e.error_type, e.what()));
      }
    }
    return out;
  }
  std::size_t maxBatch() const override { return 50; }

 private:
  std::shared_ptr<Api> api_;
};

const EntityInfo& entityOrThrow(const std::string& name) {
  const EntityInfo* e = findEntity(name);
  if (!e) throw PermanentError("config", "the DMS has no entity '" + name + "'");
  return *e;
}

class DmsConnector final : public Connector {
 public:
  DmsConnector(const ConnectorContext& ctx, Settings settings) : api_(std::make_shared<Api>(std::move(settings), ctx)) {}

  std::unique_ptr<Source> openSource(const std::string& entity, const json&) override {
    return std::make_unique<DmsSource>(api_, entityOrThrow(entity));
  }
  std::unique_ptr<Sink> openSink(const std::string& entity, const json&) override {
    if (entity == "order_status") return std::make_unique<OrderStatusSink>(api_);
    return std::make_unique<DmsSink>(api_, entityOrThrow(entity));
  }

 private:
  std::shared_ptr<Api> api_;
};

}  // namespace

ConnectorType connectorType() {
  ConnectorType t;
  t.name = "dms";
  t.summary = "The DMS core's open API: customers, products, orders, stock, invoices and order status";
  t.settings = settingsSpec();
  t.source_entities = entityNames();
  t.sink_entities = entityNames();
  t.sink_entities.push_back("order_status");
  t.validate = validateSettings;
  t.create = [](const ConnectorContext& ctx, const json& settings) -> std::unique_ptr<Connector> {
    return std::make_unique<DmsConnector>(ctx, parseSettings(settings));
  };
  return t;
}

}  // namespace hub::connector::dms
