#pragma once
// Pushes through Save (one record) or BatchSave, then optionally Submit and
// Audit. Kingdee has no idempotency keys, so a create that may already have
// happened (a later attempt, or an earlier one that went unanswered) is first
// looked up by its external number — the DMS number carried in a bill field —
// and a bill found there is answered as delivered instead of created twice.
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "connectors/kingdee/kingdee_forms.h"
#include "connectors/kingdee/kingdee_task.h"
#include "connectors/spi/sink.h"

namespace hub::connector::kingdee {

class KingdeeSession;

enum class AuditMode { None, Auto, Explicit };  // Auto = IsAutoSubmitAndAudit; Explicit = Submit, Audit calls
// Direct: Save/BatchSave answer at once. Poll: BatchSave runs as a server
// task and its answer is polled for (kingdee_task.h), as the SDKs' BatchSaveQuery.
enum class SaveMode { Direct, Poll };

struct SinkOptions {
  FormProfile form;
  AuditMode audit = AuditMode::None;
  std::string external_number_field = "FBillNo";  // where the DMS number lives in the bill
  bool fill_external_number = true;               // set it from the record key when the document lacks it
  bool delete_missing_entries = true;             // IsDeleteEntry
  bool verify_base_data = false;                  // IsVerifyBaseDataField
  std::vector<std::string> need_update_fields;    // NeedUpDateFields for updates; empty = all sent
  std::size_t max_batch = 100;
  bool always_look_up = false;  // look up every create, not only retries (for engines that lose attempt counts)
  SaveMode save_mode = SaveMode::Direct;
  TaskPolling polling;  // SaveMode::Poll
};

// BatchSave (Model an array) for several records, and for any in poll mode; else Save.
bool savesInBatch(const SinkOptions& o, std::size_t count);

// The number a record is known by in Kingdee before Kingdee assigned one.
std::string externalNumberOf(const SinkOptions& o, const OutboundRecord& r);

// Pure: the Save/BatchSave `data` for these records (creates, or updates when
// known_remote_id is set).
nlohmann::json encodeSave(const SinkOptions& o, std::span<const OutboundRecord> records);

// Pure: one outcome per sent model from a Save/BatchSave answer, by DIndex.
std::vector<Outcome> decodeSave(const nlohmann::json& answer, std::size_t count);

struct FoundBill {
  std::string id;
  std::string number;
  std::string status;  // FDocumentStatus: A created, B submitted, C audited, D re-audit, Z draft
};
// Pure: the ExecuteBillQuery that finds bills by external number, and its rows.
nlohmann::json encodeLookup(const SinkOptions& o, const std::vector<std::string>& externalNumbers);
std::map<std::string, FoundBill> decodeLookup(const nlohmann::json& rows);

// Pure: Submit/Audit `data` for bill numbers.
nlohmann::json encodeNumbers(const std::vector<std::string>& numbers);

// View: the whole bill (Kingdee's Result.Result) by number; PermanentError
// "not_found" when Kingdee has none.
nlohmann::json viewBill(KingdeeSession& session, const std::string& formId, const std::string& number);

class BillSink final : public Sink {
 public:
  BillSink(std::shared_ptr<KingdeeSession> session, SinkOptions options);
  std::vector<Outcome> push(std::span<const OutboundRecord> batch) override;
  std::size_t maxBatch() const override { return options_.max_batch; }

 private:
  bool mayExist(const OutboundRecord& r) const;  // a create that may already have happened
  void auditSaved(std::vector<Outcome>& outcomes, const std::vector<std::size_t>& which,
                  const std::map<std::size_t, std::string>& status);
  std::shared_ptr<KingdeeSession> session_;
  SinkOptions options_;
};

}  // namespace hub::connector::kingdee
