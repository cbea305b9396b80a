#pragma once
// The DMS core's change webhooks: every change is queued as an event and
// POSTed to the configured URL, signed in the Standard Webhooks form
// (webhook-id stable across retries, webhook-timestamp per attempt,
// webhook-signature v1). Delivery is in order, one event at a time; a non-2xx
// answer or no answer is retried with doubling backoff up to a cap until it
// succeeds; 410 Gone disables the endpoint, as the spec says.
#include <condition_variable>
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "hub/core/time.h"

namespace hub::connector::dms::sim {

struct WebhookTarget {
  std::string url;
  std::string secret;          // whsec_<base64>
  Millis base_backoff = 500;   // first retry delay; doubles per attempt
  Millis max_backoff = 30000;
  Millis timeout = 5000;
};

struct WebhookAttempt {
  std::string id;      // webhook-id
  std::string type;    // order.created ...
  int attempt = 1;
  int status = 0;      // 0 = no answer
  Millis at = 0;
  std::string body;    // exactly the bytes signed and sent
  std::string signature;
  std::string timestamp;
};

class WebhookSender {
 public:
  explicit WebhookSender(WebhookTarget target);
  ~WebhookSender();  // stops; undelivered events are dropped with the simulator
  WebhookSender(const WebhookSender&) = delete;

  void enqueue(const std::string& type, const nlohmann::json& data);
  std::vector<WebhookAttempt> attempts() const;
  std::size_t pending() const;
  bool disabled() const;
  // Waits until nothing is queued; false on timeout.
  bool waitIdle(Millis timeout);

 private:
  struct Event {
    std::string id;
    std::string type;
    std::string body;
  };
  void run();

  WebhookTarget target_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Event> queue_;
  std::vector<WebhookAttempt> attempts_;
  long long next_ = 1;
  bool stopping_ = false;
  bool disabled_ = false;
  bool busy_ = false;
  std::thread thread_;
};

}  // namespace hub::connector::dms::sim
