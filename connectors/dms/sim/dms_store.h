#pragma once
// The simulated DMS core's data: records per entity ordered by (updated_at,
// id) for keyset paging, idempotency keys with the payload hash and first
// answer, and a ledger of every write attempt — the oracle reliability tests
// judge "nothing lost, nothing doubled" by.
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "connectors/dms/dms_entities.h"
#include "hub/core/time.h"

namespace hub::connector::dms::sim {

struct LedgerEntry {
  long long seq = 0;
  Millis at = 0;
  std::string entity;           // customers ... invoices, or order_status
  std::string key;              // business key ("" when the record had none)
  std::string idempotency_key;
  std::string payload_sha256;   // hex, over the record's data as sent (re-serialised canonically)
  std::string effect;           // created | updated | unchanged | deduped | rejected | conflict
  int status = 0;               // the per-record status answered
};

// A change the store made, for webhooks: "order.created" and the record.
struct Change {
  std::string type;
  nlohmann::json record;
};

class DmsStore {
 public:
  explicit DmsStore(std::function<Millis()> clock);

  struct ListPage {
    nlohmann::json data = nlohmann::json::array();
    std::string next_cursor;  // "" at the end
  };
  // Records with updated_at >= updatedAfter (inclusive), after `cursor`.
  // Throws std::invalid_argument for a cursor this store did not issue.
  ListPage list(const EntityInfo& entity, Millis updatedAfter, const std::string& cursor, std::size_t limit) const;
  std::optional<nlohmann::json> get(const EntityInfo& entity, const std::string& key) const;
  std::size_t count(const std::string& entity) const;

  // One record of a batch upsert (shallow merge onto what is stored). Returns
  // the per-record result; `changes` gets what was written.
  nlohmann::json upsert(const EntityInfo& entity, const std::string& idempotencyKey, const nlohmann::json& data,
                        std::vector<Change>& changes);
  // PUT /orders/{no}/status. `status` gets the HTTP status to answer.
  nlohmann::json updateStatus(const std::string& orderNo, const std::string& idempotencyKey,
                              const nlohmann::json& body, int& status, std::vector<Change>& changes);

  // These business keys are refused with a 422 business error on every write
  // (reliability scenario R4: permanent errors that must dead-letter after one attempt).
  void rejectKeys(const std::string& entity, const std::vector<std::string>& keys);

  // Seeding and tests: write without validation or ledger, at a chosen time.
  nlohmann::json put(const EntityInfo& entity, nlohmann::json record, Millis updatedAt);
  bool touch(const EntityInfo& entity, const std::string& key, Millis updatedAt);

  std::vector<LedgerEntry> ledger() const;
  // Ledger entries with effect "created" for this key: more than 1 is a duplicate.
  std::size_t created(const std::string& entity, const std::string& key) const;

 private:
  struct Stored {
    std::string id;
    Millis created_at = 0;
    Millis updated_at = 0;
    long long version = 0;
    nlohmann::json doc;  // fields as written, without the system fields
  };
  struct Table {
    std::map<std::string, Stored> by_key;
    std::set<std::pair<Millis, std::string>> order;  // (updated_at, id)
    std::map<std::string, std::string> key_of_id;
    long long next_id = 1;
  };
  struct Remembered {
    std::string hash;
    int status = 0;
    nlohmann::json result;
  };

  nlohmann::json view(const Stored& s) const;
  Stored& write(const EntityInfo& entity, const std::string& key, nlohmann::json doc, Millis at, bool& created);
  void record(const std::string& entity, const std::string& key, const std::string& idem, const std::string& hash,
              const std::string& effect, int status);
  std::optional<nlohmann::json> replay(const std::string& entity, const std::string& key, const std::string& idem,
                                       const std::string& hash, int& status);
  bool exists(const std::string& entity, const std::string& key) const;

  std::function<Millis()> clock_;
  mutable std::mutex mutex_;
  std::map<std::string, Table> tables_;
  std::map<std::string, Remembered> idempotency_;
  std::set<std::string> refused_;  // "entity/key"
  std::vector<LedgerEntry> ledger_;
};

// Opaque keyset cursors: base64url of "v1|updated_at|id".
std::string encodeCursor(Millis updatedAt, const std::string& id);
bool decodeCursor(const std::string& cursor, Millis& updatedAt, std::string& id);

}  // namespace hub::connector::dms::sim
