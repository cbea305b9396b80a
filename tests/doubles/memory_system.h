#pragma once
// An in-memory system for engine tests, reachable as connector type "memory"
// (settings: {system: NAME}). Its source pages records ordered by
// (updated_at, key); its sink keeps a ledger like the reliability oracle:
// every push with its idempotency key and whether it created or was absorbed.
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "connectors/spi/connector.h"
#include "connectors/spi/registry.h"

namespace hub::test {

class MemorySystem {
 public:
  // Named systems live for the whole test binary; tests reset them.
  static std::shared_ptr<MemorySystem> named(const std::string& name);
  void reset();

  // Source side.
  void put(const std::string& key, connector::Millis updatedAt, nlohmann::json payload);
  void putBroken(const std::string& where, const std::string& raw);  // a record the source cannot decode
  std::size_t pulls() const;
  // Called after each page is read, before it is returned (pull 1, 2, ...):
  // lets a test act at a chosen moment of a run, such as locking the store.
  void onPull(std::function<void(std::size_t pull)> hook);

  // Sink side.
  struct Push {
    std::string key, idempotency_key;
    nlohmann::json document;
    int attempt = 0;
    bool ambiguous = false;
    std::string effect;  // created | updated | deduped | failed
  };
  // Called for every record pushed; an outcome overrides the normal answer.
  using Fault = std::function<std::optional<connector::Outcome>(const connector::OutboundRecord&, std::size_t call)>;
  void setFault(Fault fault);
  // Thrown for a whole push call (transport failures).
  void failNextCalls(int n, bool ambiguous = false);
  std::vector<Push> pushes() const;
  std::map<std::string, nlohmann::json> stored() const;  // key -> latest document
  std::size_t created() const;
  std::size_t deduped() const;
  std::size_t calls() const;

  // A target that accepts for later processing: pushes answer Awaiting (id
  // "A-<key>") and the document is stored only once the test settles it;
  // confirm() answers what was settled for the key, else Awaiting.
  void acceptForLater(bool on);
  void settle(const std::string& key, connector::Outcome answer);
  void failConfirms(int n);  // the next n confirm calls throw RetryableError
  std::vector<std::vector<connector::AwaitingRecord>> confirmCalls() const;

 private:
  friend class MemorySource;
  friend class MemorySink;
  mutable std::mutex mutex_;
  std::map<std::pair<connector::Millis, std::string>, connector::Record> rows_;
  std::map<std::string, connector::Millis> rowTime_;
  std::size_t pulls_ = 0;
  std::function<void(std::size_t)> onPull_;
  Fault fault_;
  int failCalls_ = 0;
  bool failAmbiguous_ = false;
  std::vector<Push> pushes_;
  std::map<std::string, nlohmann::json> stored_;
  std::map<std::string, std::string> seenKeys_;  // idempotency key -> remote id
  std::size_t calls_ = 0;
  bool acceptForLater_ = false;
  std::map<std::string, connector::Outcome> settled_;
  std::map<std::string, nlohmann::json> accepted_;  // key -> document awaiting its confirmation
  int failConfirms_ = 0;
  std::vector<std::vector<connector::AwaitingRecord>> confirmCalls_;
};

// A registry holding the memory type (and the built-in types).
const connector::Registry& testRegistry();
connector::ConnectorType memoryConnectorType();

}  // namespace hub::test
