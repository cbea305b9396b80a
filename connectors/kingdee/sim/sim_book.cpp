#include "connectors/kingdee/sim/sim_book.h"

#include <strings.h>

#include <algorithm>
#include <cstdio>
#include <set>
#include <stdexcept>

#include "connectors/kingdee/sim/sim_dates.h"
#include "connectors/kingdee/sim/sim_forms.h"
#include "connectors/kingdee/sim/sim_json.h"

namespace hub::connector::kingdee::sim {

using nlohmann::json;

json failure(const std::string& message, const std::string& field, int dindex, int msgCode) {
  return {{"Result",
           {{"ResponseStatus",
             {{"ErrorCode", 500},
              {"IsSuccess", false},
              {"Errors", json::array({{{"FieldName", field.empty() ? json() : json(field)},
                                       {"Message", message},
                                       {"DIndex", dindex}}})},
              {"SuccessEntitys", json::array()},
              {"SuccessMessages", json::array()},
              {"MsgCode", msgCode}}}}}};
}

namespace {

bool blank(const json* v) {
  if (!v || v->is_null()) return true;
  if (v->is_string()) return v->get<std::string>().empty();
  if (v->is_object()) {
    const json* n = member(*v, "FNumber");
    return v->empty() || (n && n->is_string() && n->get<std::string>().empty());
  }
  return false;
}

json statusAnswer(const json& successes, const json& errors) {
  return {{"Result",
           {{"ResponseStatus",
             {{"ErrorCode", errors.empty() ? 0 : 500},
              {"IsSuccess", errors.empty()},
              {"Errors", errors},
              {"SuccessEntitys", successes},
              {"SuccessMessages", json::array()},
              {"MsgCode", 0}}}}}};
}

}  // namespace

BillBook::BillBook(int offsetMinutes, std::function<Millis()> now)
    : offset_minutes_(offsetMinutes), now_(now ? std::move(now) : std::function<Millis()>([] { return nowMillis(); })) {}

std::string BillBook::renderDate(Millis utc) const { return renderServerDate(utc, offset_minutes_); }

void BillBook::renderDates(json& obj) const {
  if (!obj.is_object()) return;
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    if (it->is_array()) {
      for (auto& row : *it) renderDates(row);  // entry rows
      continue;
    }
    if (!isDateField(it.key()) || it->is_null() || (it->is_string() && it->get_ref<const std::string&>().empty()))
      continue;
    const auto rendered = it->is_string() ? renderSavedDate(it->get_ref<const std::string&>(), offset_minutes_)
                                          : std::nullopt;
    if (!rendered) throw SaveError{it.key(), "字段“" + it.key() + "”的值“" + text(*it) + "”不是有效的日期"};
    *it = *rendered;
  }
}

namespace {
std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}
}  // namespace

std::optional<std::size_t> BillBook::position(const std::string& formId, const std::string& key, bool numberOnly) const {
  const auto idx = index_.find(formId);
  if (idx == index_.end()) return std::nullopt;
  if (auto it = idx->second.find("N" + upper(key)); numberOnly && it != idx->second.end()) return it->second;
  if (numberOnly) return std::nullopt;
  if (auto it = idx->second.find("#" + key); it != idx->second.end()) return it->second;
  if (auto it = idx->second.find("N" + upper(key)); it != idx->second.end()) return it->second;
  return std::nullopt;
}

void BillBook::reindex(const SimForm& form, std::size_t pos, const std::string& oldNumber) {
  auto& idx = index_[form.form_id];
  const json& o = forms_[form.form_id][pos];
  if (!oldNumber.empty()) idx.erase("N" + upper(oldNumber));
  idx["#" + textOf(o, form.id_field)] = pos;
  if (!form.number_field.empty()) idx["N" + upper(textOf(o, form.number_field))] = pos;
}

json* BillBook::findObject(const SimForm& form, const std::string& key) {
  const auto pos = position(form.form_id, key);
  return pos ? &forms_[form.form_id][*pos] : nullptr;
}

void BillBook::validate(const SimForm& form, const json& obj, const json* self) const {
  for (const auto& f : form.required_header)
    if (blank(member(obj, f))) throw SaveError{f, "字段“" + f + "”是必填项"};
  auto checkRefs = [&](const json& o, const std::string& where) {
    for (auto it = o.begin(); it != o.end(); ++it) {
      const std::string target = referencedForm(it.key());
      if (target.empty() || !it->is_object()) continue;
      const json* n = member(*it, "FNumber");
      if (!n) continue;
      if (!position(target, text(*n), true)) throw SaveError{it.key(), where + "字段“" + it.key() + "”的值“" + text(*n) + "”在基础资料中不存在"};
    }
  };
  checkRefs(obj, "");
  if (!form.entry_name.empty()) {
    const json* entries = member(obj, form.entry_name);
    if (!form.required_entry.empty() && (!entries || !entries->is_array() || entries->empty()))
      throw SaveError{form.entry_name, "单据体“" + form.entry_name + "”至少需要一行分录"};
    if (entries && entries->is_array())
      for (std::size_t i = 0; i < entries->size(); ++i) {
        const std::string row = "第" + std::to_string(i + 1) + "行分录";
        for (const auto& f : form.required_entry)
          if (blank(member((*entries)[i], f))) throw SaveError{f, row + "字段“" + f + "”是必填项"};
        if ((*entries)[i].is_object()) checkRefs((*entries)[i], row);
      }
  }
  if (!form.number_field.empty())
    if (const json* n = member(obj, form.number_field); !blank(n)) {
      const auto idx = index_.find(form.form_id);
      const auto it = idx == index_.end() ? std::map<std::string, std::size_t>::const_iterator() : idx->second.find("N" + upper(text(*n)));
      if (idx != index_.end() && it != idx->second.end() && &forms_.at(form.form_id)[it->second] != self)
        throw SaveError{form.number_field, (form.base_data ? "编码“" : "单据编号“") + text(*n) + "”已存在，不允许重复"};
    }
}

BillBook::Saved BillBook::saveOne(const SimForm& form, const json& model, bool autoAudit, bool deleteEntry,
                                  const std::vector<std::string>& needUpdate, std::optional<Millis> modifiedAt) {
  if (!form.writable) throw SaveError{"", "业务对象“" + form.form_id + "”不支持保存操作"};
  if (!model.is_object()) throw SaveError{"Model", "Model 必须是对象"};
  const Millis now = modifiedAt.value_or(now_());
  auto& list = forms_[form.form_id];
  const json* idv = member(model, form.id_field);
  const bool update = idv && !blank(idv) && text(*idv) != "0";
  json obj;
  json* existing = nullptr;
  if (update) {
    existing = findObject(form, text(*idv));
    if (!existing || textOf(*existing, form.id_field) != text(*idv))
      throw SaveError{form.id_field, "指定的数据不存在或已被删除（" + form.id_field + "=" + text(*idv) + "）"};
    if (textOf(*existing, "FDocumentStatus") == "C")
      throw SaveError{"FDocumentStatus", "单据“" + textOf(*existing, form.number_field.empty() ? form.id_field : form.number_field) +
                                             "”已审核，不允许修改"};
    obj = *existing;
  } else {
    obj = json::object();
  }
  auto allowed = [&](const std::string& k) {
    if (!update || needUpdate.empty()) return true;
    return std::any_of(needUpdate.begin(), needUpdate.end(),
                       [&](const std::string& n) { return strcasecmp(n.c_str(), k.c_str()) == 0; });
  };
  for (auto it = model.begin(); it != model.end(); ++it) {
    const std::string& k = it.key();
    if (strcasecmp(k.c_str(), form.id_field.c_str()) == 0 || !allowed(k)) continue;
    const bool isEntry = !form.entry_name.empty() && strcasecmp(k.c_str(), form.entry_name.c_str()) == 0;
    if (!isEntry || !it->is_array() || !update) {
      erase(obj, k);
      obj[k] = *it;
      continue;
    }
    // Entry rows listing an FEntryID are kept and changed; new rows are added;
    // with IsDeleteEntry the rows not listed go away.
    json before = member(obj, k) ? *member(obj, k) : json::array();
    json rows = deleteEntry ? json::array() : before;
    for (const auto& row : *it) {
      const json* eid = member(row, "FEntryID");
      json* match = nullptr;
      for (auto& r : rows)
        if (eid && !blank(eid) && textOf(r, "FEntryID") == text(*eid)) match = &r;
      json base;
      for (const auto& r : before)
        if (eid && !blank(eid) && textOf(r, "FEntryID") == text(*eid)) base = r;
      json merged = base.is_object() ? base : json::object();
      for (auto f = row.begin(); f != row.end(); ++f) erase(merged, f.key()), merged[f.key()] = *f;
      if (match) *match = merged;
      else rows.push_back(merged);
    }
    erase(obj, k);
    obj[form.entry_name] = rows;
  }
  renderDates(obj);
  validate(form, obj, existing);
  // Valid: assign ids, numbers and system fields.
  if (!update) {
    if (form.form_id == "STK_Inventory") {
      // Stock rows have GUID ids; fixed-width hex keeps their text order = creation order.
      char guid[40];
      std::snprintf(guid, sizeof guid, "%08llx-5a1e-4c0d-9e2b-%012llx", next_id_ >> 4, next_id_);
      ++next_id_;
      obj[form.id_field] = guid;
    } else {
      obj[form.id_field] = next_id_++;
    }
    if (!form.number_field.empty() && blank(member(obj, form.number_field))) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%s%06lld", form.number_prefix.c_str(), ++next_number_[form.form_id]);
      erase(obj, form.number_field);
      obj[form.number_field] = buf;
    }
    erase(obj, "FDocumentStatus");
    obj["FDocumentStatus"] = "A";
    obj["FCreateDate"] = renderDate(now);
    if (form.base_data) obj["FForbidStatus"] = "A";
  }
  if (!form.entry_name.empty())
    if (json* entries = member(obj, form.entry_name); entries && entries->is_array())
      for (auto& row : *entries)
        if (blank(member(row, "FEntryID")) || textOf(row, "FEntryID") == "0") {
          erase(row, "FEntryID");
          row["FEntryID"] = next_entry_id_++;
        }
  erase(obj, form.modify_field);
  obj[form.modify_field] = renderDate(now);
  if (autoAudit) obj["FDocumentStatus"] = "C", obj["FApproveDate"] = renderDate(now);
  Saved saved{text(obj[form.id_field]), form.number_field.empty() ? "" : textOf(obj, form.number_field)};
  if (existing) {
    const std::string oldNumber = form.number_field.empty() ? "" : textOf(*existing, form.number_field);
    *existing = std::move(obj);
    reindex(form, static_cast<std::size_t>(existing - list.data()), oldNumber);
  } else {
    list.push_back(std::move(obj));
    reindex(form, list.size() - 1, "");
  }
  return saved;
}

json BillBook::save(const std::string& formId, const json& data, bool batch) {
  const SimForm* form = simForm(formId);
  if (!form) return failure("业务对象不存在（" + formId + "）");
  std::lock_guard lock(mutex_);
  const json* modelNode = member(data, "Model");
  if (!modelNode) return failure("缺少参数 Model", "Model");
  const json models = modelNode->is_array() ? *modelNode : json::array({*modelNode});
  if (!batch && models.size() != 1) return failure("Save 只接受一个 Model，多个请用 BatchSave", "Model");
  const json* auto_ = member(data, "IsAutoSubmitAndAudit");
  const bool autoAudit = auto_ && (auto_->is_boolean() ? auto_->get<bool>() : text(*auto_) == "true");
  const json* del = member(data, "IsDeleteEntry");
  const bool deleteEntry = !del || (del->is_boolean() ? del->get<bool>() : text(*del) != "false");
  std::vector<std::string> needUpdate;
  if (const json* n = member(data, "NeedUpDateFields"); n && n->is_array())
    for (const auto& f : *n) needUpdate.push_back(text(f));
  json successes = json::array(), errors = json::array();
  for (std::size_t i = 0; i < models.size(); ++i) {
    try {
      const Saved s = saveOne(*form, models[i], autoAudit, deleteEntry, needUpdate, std::nullopt);
      successes.push_back({{"Id", s.id}, {"Number", s.number}, {"DIndex", i}});
    } catch (const SaveError& e) {
      errors.push_back({{"FieldName", e.field}, {"Message", e.message}, {"DIndex", i}});
    }
  }
  json answer = statusAnswer(successes, errors);
  if (!batch) {
    const bool ok = !successes.empty();
    answer["Result"]["Id"] = ok ? successes[0]["Id"] : json("");
    answer["Result"]["Number"] = ok ? successes[0]["Number"] : json("");
  }
  answer["Result"]["NeedReturnData"] = json::array({json::object()});
  return answer;
}

json BillBook::changeStatus(const std::string& formId, const json& data, bool toAudit) {
  const SimForm* form = simForm(formId);
  if (!form) return failure("业务对象不存在（" + formId + "）");
  std::lock_guard lock(mutex_);
  std::vector<std::string> keys;
  if (const json* n = member(data, "Numbers"); n && n->is_array())
    for (const auto& v : *n) keys.push_back(text(v));
  if (const json* ids = member(data, "Ids"); ids && !text(*ids).empty()) {
    const std::string all = text(*ids);
    for (std::size_t p = 0; p <= all.size();) {
      const auto c = std::min(all.find(',', p), all.size());
      if (c > p) keys.push_back(all.substr(p, c - p));
      p = c + 1;
    }
  }
  if (keys.empty()) return failure("Numbers 和 Ids 不能同时为空", "Numbers");
  json successes = json::array(), errors = json::array();
  for (std::size_t i = 0; i < keys.size(); ++i) {
    json* obj = findObject(*form, keys[i]);
    auto fail = [&](const std::string& m) { errors.push_back({{"FieldName", ""}, {"Message", m}, {"DIndex", i}}); };
    if (!obj) {
      fail("编号或内码为“" + keys[i] + "”的数据不存在");
      continue;
    }
    const std::string status = textOf(*obj, "FDocumentStatus");
    const std::string number = form->number_field.empty() ? keys[i] : textOf(*obj, form->number_field);
    if (!toAudit && status != "A" && status != "D" && status != "Z") {
      fail("单据“" + number + "”当前状态不允许提交（" + status + "）");
      continue;
    }
    if (toAudit && status != "B") {
      fail(status == "C" ? "单据“" + number + "”已审核，不能重复审核" : "单据“" + number + "”未提交，不能审核");
      continue;
    }
    (*obj)["FDocumentStatus"] = toAudit ? "C" : "B";
    if (toAudit) (*obj)["FApproveDate"] = renderDate(now_());
    successes.push_back({{"Id", textOf(*obj, form->id_field)}, {"Number", number}, {"DIndex", i}});
  }
  return statusAnswer(successes, errors);
}

json BillBook::submit(const std::string& formId, const json& data) { return changeStatus(formId, data, false); }
json BillBook::audit(const std::string& formId, const json& data) { return changeStatus(formId, data, true); }

json BillBook::view(const std::string& formId, const json& data) {
  const SimForm* form = simForm(formId);
  if (!form) return failure("业务对象不存在（" + formId + "）");
  std::lock_guard lock(mutex_);
  std::string key;
  if (const json* n = member(data, "Number"); n && !text(*n).empty()) key = text(*n);
  if (const json* id = member(data, "Id"); key.empty() && id && !text(*id).empty()) key = text(*id);
  const json* obj = key.empty() ? nullptr : findObject(*form, key);
  if (!obj) return failure("未找到编号或内码为“" + key + "”的数据", "Number");
  json answer = statusAnswer(json::array(), json::array());
  answer["Result"]["Result"] = *obj;
  return answer;
}

std::string BillBook::insert(const std::string& formId, json model, std::optional<Millis> modifiedAt, bool audited) {
  const SimForm* form = simForm(formId);
  if (!form) throw std::invalid_argument("业务对象不存在（" + formId + "）");
  std::lock_guard lock(mutex_);
  SimForm writable = *form;
  writable.writable = true;  // seeding may fill read-only forms such as STK_Inventory
  try {
    const Saved s = saveOne(writable, model, audited, true, {}, modifiedAt);
    return s.number.empty() ? s.id : s.number;
  } catch (const SaveError& e) {
    throw std::invalid_argument(formId + ": " + e.message);
  }
}

bool BillBook::touch(const std::string& formId, const std::string& key, Millis at) {
  const SimForm* form = simForm(formId);
  if (!form) return false;
  std::lock_guard lock(mutex_);
  json* obj = findObject(*form, key);
  if (!obj) return false;
  erase(*obj, form->modify_field);
  (*obj)[form->modify_field] = renderDate(at);
  return true;
}

std::vector<json> BillBook::objects(const std::string& formId) const {
  const SimForm* form = simForm(formId);
  std::lock_guard lock(mutex_);
  auto it = form ? forms_.find(form->form_id) : forms_.end();
  return it == forms_.end() ? std::vector<json>{} : it->second;
}

std::size_t BillBook::count(const std::string& formId) const { return objects(formId).size(); }

std::size_t BillBook::countWhere(const std::string& formId, const std::string& field, const std::string& value) const {
  std::size_t n = 0;
  for (const auto& o : objects(formId))
    if (const json* v = member(o, field); v && text(*v) == value) ++n;
  return n;
}

}  // namespace hub::connector::kingdee::sim
