#include "connectors/kingdee/kingdee_sink.h"

#include <algorithm>
#include <set>

#include "connectors/kingdee/kingdee_errors.h"
#include "connectors/kingdee/kingdee_session.h"
#include "connectors/spi/errors.h"

namespace hub::connector::kingdee {

namespace {

using nlohmann::json;

std::string text(const json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

json idValue(const std::string& id) {
  const bool digits = !id.empty() && std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; });
  return digits ? json(std::stoll(id)) : json(id);
}

std::string numberField(const SinkOptions& o) { return o.form.key_fields.front(); }

}  // namespace

std::string externalNumberOf(const SinkOptions& o, const OutboundRecord& r) {
  if (r.document.is_object()) {
    auto it = r.document.find(o.external_number_field);
    if (it != r.document.end() && !it->is_null() && !text(*it).empty()) return text(*it);
  }
  return r.key;
}

bool savesInBatch(const SinkOptions& o, std::size_t count) { return count > 1 || o.save_mode == SaveMode::Poll; }

json encodeSave(const SinkOptions& o, std::span<const OutboundRecord> records) {
  json models = json::array();
  for (const auto& r : records) {
    json model = r.document.is_object() ? r.document : json::object();
    if (o.fill_external_number && !model.contains(o.external_number_field))
      model[o.external_number_field] = r.key;
    if (!r.known_remote_id.empty()) model[o.form.id_field] = idValue(r.known_remote_id);
    models.push_back(std::move(model));
  }
  json data = {{"NeedUpDateFields", o.need_update_fields},
               {"NeedReturnFields", json::array({o.form.id_field, numberField(o)})},
               {"IsDeleteEntry", o.delete_missing_entries ? "true" : "false"},
               {"IsVerifyBaseDataField", o.verify_base_data ? "true" : "false"},
               {"IsAutoSubmitAndAudit", o.audit == AuditMode::Auto},
               {"InterationFlags", ""},
               {"IgnoreInterationFlag", ""}};
  data["Model"] = savesInBatch(o, models.size()) ? models : models[0];
  return data;
}

std::vector<Outcome> decodeSave(const json& answer, std::size_t count) {
  std::vector<Outcome> out(count, Outcome::retry("unconfirmed", "Kingdee's answer does not mention this record"));
  for (auto& o : out) o.ambiguous = true;  // it may have been saved: look it up before re-creating
  const auto status = findResponseStatus(answer);
  if (!status) {
    for (auto& o : out) o.message = "Kingdee's answer carries no ResponseStatus", o.error_type = "malformed_response";
    return out;
  }
  const std::string excerpt = answer.dump().substr(0, 512);
  std::string general;
  for (const auto& e : status->errors)
    if (e.dindex < 0 || static_cast<std::size_t>(e.dindex) >= count)
      general += (general.empty() ? "" : "; ") + (e.field.empty() ? "" : e.field + ": ") + e.message;
  std::vector<std::string> specific(count);
  for (const auto& e : status->errors)
    if (e.dindex >= 0 && static_cast<std::size_t>(e.dindex) < count)
      specific[e.dindex] += (specific[e.dindex].empty() ? "" : "; ") + (e.field.empty() ? "" : e.field + ": ") + e.message;
  for (std::size_t i = 0; i < count; ++i) {
    if (!specific[i].empty()) {
      out[i] = Outcome::permanent("validation", specific[i]);
    } else if (!general.empty()) {
      out[i] = Outcome::permanent("business", general);
    } else {
      continue;
    }
    out[i].response_excerpt = excerpt;
  }
  for (const auto& s : status->successes) {
    std::size_t i = s.dindex < 0 ? 0 : static_cast<std::size_t>(s.dindex);
    if (s.dindex < 0 && count != 1) continue;
    if (i < count && specific[i].empty()) out[i] = Outcome::delivered(s.id, s.number);
  }
  // A single Save also reports Id/Number beside the ResponseStatus.
  if (count == 1 && status->is_success && out[0].disposition != Disposition::Delivered && answer.contains("Result")) {
    const json& r = answer["Result"];
    if (r.contains("Id") && !text(r["Id"]).empty() && text(r["Id"]) != "0")
      out[0] = Outcome::delivered(text(r["Id"]), text(r.value("Number", json(""))));
  }
  return out;
}

json encodeLookup(const SinkOptions& o, const std::vector<std::string>& numbers) {
  std::string filter;
  for (const auto& n : numbers) filter += (filter.empty() ? "" : " or ") + o.external_number_field + "=" + quoted(n);
  const std::string keys =
      joinKeys({o.form.id_field, numberField(o), o.external_number_field, "FDocumentStatus"});
  return {{"FormId", o.form.form_id}, {"FieldKeys", keys}, {"FilterString", filter},
          {"OrderString", o.form.id_field + " ASC"}, {"TopRowCount", 0}, {"StartRow", 0},
          {"Limit", static_cast<int>(numbers.size()) * 4 + 10}, {"SubSystemId", ""}};
}

std::map<std::string, FoundBill> decodeLookup(const json& rows) {
  std::map<std::string, FoundBill> found;
  if (!rows.is_array()) throw RetryableError("malformed_response", "lookup answered no row array");
  for (const auto& row : rows) {
    if (!row.is_array() || row.size() < 4) throw RetryableError("malformed_response", "lookup row is too short");
    // The oldest bill wins should duplicates exist already (ordered by id).
    found.try_emplace(text(row[2]), FoundBill{text(row[0]), text(row[1]), text(row[3])});
  }
  return found;
}

json encodeNumbers(const std::vector<std::string>& numbers) {
  return {{"CreateOrgId", 0}, {"Numbers", numbers}, {"Ids", ""}, {"UseOrgId", 0}};
}

json viewBill(KingdeeSession& session, const std::string& formId, const std::string& number) {
  const json answer = session.call("View", formId, {{"CreateOrgId", 0}, {"Number", number}, {"Id", ""}});
  const auto status = findResponseStatus(answer);
  if (status && !status->is_success) throw PermanentError("not_found", "Kingdee.View " + number + ": " + status->describe());
  if (!answer.contains("Result") || !answer["Result"].contains("Result"))
    throw RetryableError("malformed_response", "Kingdee.View answered no bill");
  return answer["Result"]["Result"];
}

BillSink::BillSink(std::shared_ptr<KingdeeSession> session, SinkOptions options)
    : session_(std::move(session)), options_(std::move(options)) {}

bool BillSink::mayExist(const OutboundRecord& r) const {
  return r.known_remote_id.empty() && (options_.always_look_up || r.attempt > 1 || r.previous_attempt_ambiguous);
}

std::vector<Outcome> BillSink::push(std::span<const OutboundRecord> batch) {
  std::vector<Outcome> outcomes(batch.size());
  std::map<std::size_t, std::string> status;  // document status of bills found by lookup
  // 1. Creates that may already have happened: find them by external number.
  std::vector<std::string> numbers;
  for (const auto& r : batch)
    if (mayExist(r)) numbers.push_back(externalNumberOf(options_, r));
  std::map<std::string, FoundBill> found;
  if (!numbers.empty()) found = decodeLookup(session_->call("ExecuteBillQuery", "", encodeLookup(options_, numbers)));
  std::vector<std::size_t> send, audit;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const auto& r = batch[i];
    auto it = mayExist(r) ? found.find(externalNumberOf(options_, r)) : found.end();
    if (it != found.end()) {
      outcomes[i] = Outcome::delivered(it->second.id, it->second.number);
      status[i] = it->second.status;
      if (it->second.status != "C") audit.push_back(i);
    } else {
      send.push_back(i);
    }
  }
  // 2. Save the rest in one call.
  if (!send.empty()) {
    std::vector<OutboundRecord> models;
    for (auto i : send) models.push_back(batch[i]);
    const char* op = savesInBatch(options_, models.size()) ? "BatchSave" : "Save";
    const json data = encodeSave(options_, models);
    json answer;
    try {
      answer = options_.save_mode == SaveMode::Poll
                   ? callAsTask(*session_, op, options_.form.form_id, data, options_.polling)
                   : session_->call(op, options_.form.form_id, data);
    } catch (const RetryableError& e) {
      if (send.size() == batch.size()) throw;  // nothing else to report: the whole call retries
      for (auto i : send) {
        outcomes[i] = Outcome::retry(e.error_type, e.what());
        outcomes[i].ambiguous = e.ambiguous;
        outcomes[i].retry_after = e.retry_after_ms;
        outcomes[i].http_status = e.http_status;
      }
      return outcomes;
    }
    const auto saved = decodeSave(answer, models.size());
    for (std::size_t k = 0; k < send.size(); ++k) {
      outcomes[send[k]] = saved[k];
      if (saved[k].disposition == Disposition::Delivered) audit.push_back(send[k]);
    }
  }
  if (options_.audit == AuditMode::Explicit && !audit.empty()) auditSaved(outcomes, audit, status);
  return outcomes;
}

// Submit then Audit what was saved. A failure here leaves the bill saved but
// not audited: the record answers permanent with its id kept, or retryable
// and ambiguous so the next attempt finds the bill and audits it then.
void BillSink::auditSaved(std::vector<Outcome>& outcomes, const std::vector<std::size_t>& which,
                          const std::map<std::size_t, std::string>& status) {
  std::vector<std::size_t> pending = which;
  for (const char* op : {"Submit", "Audit"}) {
    std::vector<std::string> numbers;
    std::vector<std::size_t> sent;
    for (auto i : pending) {
      auto st = status.find(i);
      if (std::string(op) == "Submit" && st != status.end() && st->second == "B") continue;  // already submitted
      numbers.push_back(outcomes[i].remote_number);
      sent.push_back(i);
    }
    if (numbers.empty()) continue;
    try {
      const json answer = session_->call(op, options_.form.form_id, encodeNumbers(numbers));
      const auto results = decodeSave(answer, numbers.size());
      for (std::size_t k = 0; k < sent.size(); ++k) {
        if (results[k].disposition == Disposition::Delivered) continue;
        Outcome failed = results[k];
        failed.error_type = std::string(op) == "Submit" ? "submit_failed" : "audit_failed";
        failed.message = std::string(op) + " of " + outcomes[sent[k]].remote_number + " failed: " + results[k].message;
        failed.remote_id = outcomes[sent[k]].remote_id;
        failed.remote_number = outcomes[sent[k]].remote_number;
        outcomes[sent[k]] = failed;
        pending.erase(std::remove(pending.begin(), pending.end(), sent[k]), pending.end());
      }
    } catch (const ConnectorError& e) {
      const bool retryable = dynamic_cast<const RetryableError*>(&e) != nullptr;
      for (auto i : sent) {
        Outcome failed = retryable ? Outcome::retry(e.error_type, e.what()) : Outcome::permanent(e.error_type, e.what());
        failed.ambiguous = true;  // saved already: the next attempt must look it up
        failed.remote_id = outcomes[i].remote_id;
        failed.remote_number = outcomes[i].remote_number;
        outcomes[i] = failed;
      }
      return;
    }
  }
}

}  // namespace hub::connector::kingdee
