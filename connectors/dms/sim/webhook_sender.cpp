#include "connectors/dms/sim/webhook_sender.h"

#include <cstdio>

#include "connectors/dms/standard_webhooks.h"
#include "connectors/http/http_client.h"
#include "connectors/spi/errors.h"

namespace hub::connector::dms::sim {

WebhookSender::WebhookSender(WebhookTarget target) : target_(std::move(target)) {
  thread_ = std::thread([this] { run(); });
}

WebhookSender::~WebhookSender() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void WebhookSender::enqueue(const std::string& type, const nlohmann::json& data) {
  std::lock_guard lock(mutex_);
  if (disabled_) return;
  char id[40];
  std::snprintf(id, sizeof id, "msg_dms%012lld", next_++);
  const nlohmann::json event = {{"id", id}, {"type", type}, {"created_at", formatIsoMillis(nowMillis())}, {"data", data}};
  queue_.push_back({id, type, event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)});
  wake_.notify_all();
}

std::vector<WebhookAttempt> WebhookSender::attempts() const {
  std::lock_guard lock(mutex_);
  return attempts_;
}

std::size_t WebhookSender::pending() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

bool WebhookSender::disabled() const {
  std::lock_guard lock(mutex_);
  return disabled_;
}

bool WebhookSender::waitIdle(Millis timeout) {
  std::unique_lock lock(mutex_);
  return wake_.wait_for(lock, std::chrono::milliseconds(timeout), [&] { return queue_.empty() && !busy_; });
}

void WebhookSender::run() {
  http::ClientOptions options;
  options.timeout = target_.timeout;
  options.connect_timeout = std::min<Millis>(target_.timeout, 5000);
  options.user_agent = "dms-core-simulator/1.0 (webhooks)";
  http::HttpClient client(options);
  int attempt = 0;
  Millis backoff = target_.base_backoff;
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (stopping_) break;
    const Event event = queue_.front();
    busy_ = true;
    lock.unlock();
    ++attempt;
    const auto stamp = nowMillis();
    http::HttpRequest req;
    req.method = "POST";
    req.url = target_.url;
    req.body = event.body;
    const std::string timestamp = std::to_string(stamp / 1000);
    const std::string signature = webhookSignature(target_.secret, event.id, stamp / 1000, event.body);
    req.headers = {{"Content-Type", "application/json"},
                   {"webhook-id", event.id},
                   {"webhook-timestamp", timestamp},
                   {"webhook-signature", signature}};
    int status = 0;
    try {
      status = client.send(req, "POST webhook").status;
    } catch (const ConnectorError&) {
      status = 0;  // refused, reset or timed out: retried like a 5xx
    }
    lock.lock();
    attempts_.push_back({event.id, event.type, attempt, status, stamp, event.body, signature, timestamp});
    // 409 is the receiver saying it already has this webhook-id: delivered.
    if ((status >= 200 && status < 300) || status == 409) {
      queue_.pop_front();
      attempt = 0;
      backoff = target_.base_backoff;
    } else if (status == 410) {
      disabled_ = true;
      queue_.clear();
    } else {
      busy_ = false;
      wake_.notify_all();
      wake_.wait_for(lock, std::chrono::milliseconds(backoff), [&] { return stopping_; });
      backoff = std::min(backoff * 2, target_.max_backoff);
    }
    busy_ = false;
    wake_.notify_all();
  }
}

}  // namespace hub::connector::dms::sim
