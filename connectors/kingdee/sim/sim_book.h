#pragma once
// What the simulated Kingdee holds: bills and base data per form, saved,
// submitted, audited, viewed and queried the way DynamicFormService does it,
// answering with Kingdee's own JSON shapes (ResponseStatus with Errors by
// DIndex; ExecuteBillQuery rows, or its errors wrapped in [[{"Result":..}]]).
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "hub/core/time.h"

namespace hub::connector::kingdee::sim {

struct SimForm;

class BillBook {
 public:
  // Dates are kept and rendered in server-local time `offsetMinutes` east of UTC.
  explicit BillBook(int offsetMinutes = 480, std::function<Millis()> now = {});

  nlohmann::json save(const std::string& formId, const nlohmann::json& data, bool batch);
  nlohmann::json submit(const std::string& formId, const nlohmann::json& data);
  nlohmann::json audit(const std::string& formId, const nlohmann::json& data);
  nlohmann::json view(const std::string& formId, const nlohmann::json& data);
  nlohmann::json executeBillQuery(const nlohmann::json& data, int maxLimit) const;

  // Stores one object as if saved (seed data); `modifiedAt` overrides the
  // modify date. Throws std::invalid_argument with Kingdee's message when the
  // object would not pass Save. Returns its number (its id for STK_Inventory).
  std::string insert(const std::string& formId, nlohmann::json model, std::optional<Millis> modifiedAt = {},
                     bool audited = false);
  // Sets the modify date of the object with this number (or id).
  bool touch(const std::string& formId, const std::string& numberOrId, Millis at);

  std::vector<nlohmann::json> objects(const std::string& formId) const;
  std::size_t count(const std::string& formId) const;
  // Objects whose `field` (a header key, case-insensitive) equals `value`.
  std::size_t countWhere(const std::string& formId, const std::string& field, const std::string& value) const;

  std::string renderDate(Millis utc) const;

 private:
  struct SaveError {
    std::string field, message;
  };
  struct Saved {
    std::string id, number;
  };
  Saved saveOne(const SimForm& form, const nlohmann::json& model, bool autoAudit, bool deleteEntry,
                const std::vector<std::string>& needUpdate, std::optional<Millis> modifiedAt);
  // Date fields (also in entry rows) in the server's rendering; SaveError for one that is no date.
  void renderDates(nlohmann::json& obj) const;
  void validate(const SimForm& form, const nlohmann::json& obj, const nlohmann::json* self) const;
  nlohmann::json* findObject(const SimForm& form, const std::string& numberOrId);
  std::optional<std::size_t> position(const std::string& formId, const std::string& numberOrId,
                                      bool numberOnly = false) const;
  const nlohmann::json* referenced(const std::string& formId, const std::string& number) const;  // base data by number
  void reindex(const SimForm& form, std::size_t pos, const std::string& oldNumber);
  nlohmann::json changeStatus(const std::string& formId, const nlohmann::json& data, bool toAudit);
  nlohmann::json resolve(const SimForm& form, const nlohmann::json& obj, const nlohmann::json* entry,
                         const std::string& key) const;

  int offset_minutes_;
  std::function<Millis()> now_;
  mutable std::mutex mutex_;
  std::map<std::string, std::vector<nlohmann::json>> forms_;
  // Per form: "#<id>" and "N<NUMBER>" → position, so saves stay fast at 20 000 bills.
  std::map<std::string, std::map<std::string, std::size_t>> index_;
  std::map<std::string, long long> next_number_;
  long long next_id_ = 100001;
  long long next_entry_id_ = 200001;
};

// {"Result":{"ResponseStatus":{... IsSuccess false, Errors:[{FieldName, Message, DIndex}]}}}
nlohmann::json failure(const std::string& message, const std::string& field = "", int dindex = 0, int msgCode = 0);

}  // namespace hub::connector::kingdee::sim
