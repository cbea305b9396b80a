// ExecuteBillQuery over the simulator's objects: FieldKeys projection with
// dotted references, FilterString, OrderString, TopRowCount, StartRow/Limit.
#include <strings.h>

#include <algorithm>

#include "connectors/kingdee/sim/sim_book.h"
#include "connectors/kingdee/sim/sim_filter.h"
#include "connectors/kingdee/sim/sim_forms.h"
#include "connectors/kingdee/sim/sim_json.h"
#include "hub/core/time.h"

namespace hub::connector::kingdee::sim {

using nlohmann::json;

namespace {

// Query errors come back wrapped: [[{"Result":{"ResponseStatus":...}}]].
json queryFailure(const std::string& message) { return json::array({json::array({failure(message)})}); }

std::vector<std::string> splitList(const std::string& s) {
  std::vector<std::string> out;
  std::size_t p = 0;
  while (p <= s.size()) {
    const auto c = std::min(s.find(',', p), s.size());
    std::string part = s.substr(p, c - p);
    part.erase(0, part.find_first_not_of(' '));
    part.erase(part.find_last_not_of(' ') + 1);
    if (!part.empty()) out.push_back(part);
    p = c + 1;
  }
  return out;
}

std::string baseOf(const std::string& key) { return key.substr(0, key.find('.')); }

bool entryIdKey(const SimForm& form, const std::string& key) {
  const std::string k = form.entry_name + "_FEntryID";
  return !form.entry_name.empty() && strcasecmp(key.c_str(), k.c_str()) == 0;
}

// Header fields of base data may sit in sub-heads (SubHeadEntity.FBaseUnitId).
const json* headerValue(const json& obj, const std::string& name) {
  if (const json* v = member(obj, name)) return v;
  for (auto it = obj.begin(); it != obj.end(); ++it)
    if (it->is_object() && it.key().rfind("SubHeadEntity", 0) == 0)
      if (const json* v = member(*it, name)) return v;
  return nullptr;
}

enum class Level { Unknown, Header, Entry };

Level levelOf(const SimForm& form, const std::string& key) {
  if (entryIdKey(form, key)) return Level::Entry;
  const std::string base = baseOf(key);
  if (form.header_fields.count(base) || base.rfind("F_", 0) == 0) return Level::Header;
  if (form.entry_fields.count(base)) return Level::Entry;
  return Level::Unknown;
}

}  // namespace

const json* BillBook::referenced(const std::string& formId, const std::string& number) const {
  if (formId.empty() || number.empty()) return nullptr;
  const auto pos = position(formId, number, true);
  return pos ? &forms_.at(formId)[*pos] : nullptr;
}

json BillBook::resolve(const SimForm& form, const json& obj, const json* entry, const std::string& key) const {
  if (entryIdKey(form, key)) return entry ? json(member(*entry, "FEntryID") ? *member(*entry, "FEntryID") : json()) : json();
  const std::string base = baseOf(key);
  const auto dot = key.find('.');
  const json* v = levelOf(form, key) == Level::Entry ? (entry ? member(*entry, base) : nullptr) : headerValue(obj, base);
  if (!v || v->is_null()) return nullptr;
  const std::string target = referencedForm(base);
  if (dot == std::string::npos) {
    if (!v->is_object()) return *v;
    // A bare reference field answers the referenced object's internal id.
    const std::string number = textOf(*v, "FNumber");
    if (const json* b = referenced(target, number)) return *member(*b, simForm(target)->id_field);
    return number;
  }
  const std::string rest = key.substr(dot + 1);
  if (!v->is_object()) return strcasecmp(rest.c_str(), "FNumber") == 0 ? *v : json();
  if (const json* m = member(*v, rest)) return *m;
  // FCustId.FName: read it from the referenced base data.
  if (const json* b = referenced(target, textOf(*v, "FNumber"))) return member(*b, rest) ? *member(*b, rest) : json();
  return nullptr;
}

json BillBook::executeBillQuery(const json& data, int maxLimit) const {
  if (!data.is_object()) return queryFailure("查询参数必须是对象");
  const std::string formId = textOf(data, "FormId");
  const SimForm* form = simForm(formId);
  if (!form) return queryFailure("业务对象不存在（" + formId + "）");
  const auto keys = splitList(textOf(data, "FieldKeys"));
  if (keys.empty()) return queryFailure("FieldKeys 不能为空");
  Filter filter;
  try {
    filter = Filter::parse(textOf(data, "FilterString"));
  } catch (const FilterError& e) {
    return queryFailure(std::string("过滤条件 FilterString 语法错误：") + e.what());
  }
  struct Order {
    std::string key;
    bool desc = false;
  };
  std::vector<Order> order;
  for (const auto& part : splitList(textOf(data, "OrderString"))) {
    Order o;
    const auto sp = part.find(' ');
    o.key = part.substr(0, sp);
    if (sp != std::string::npos) o.desc = strcasecmp(part.substr(part.find_last_of(' ') + 1).c_str(), "DESC") == 0;
    order.push_back(o);
  }
  bool entryLevel = false;
  std::vector<std::string> mentioned = keys;
  for (const auto& f : filter.fields()) mentioned.push_back(f);
  for (const auto& o : order) mentioned.push_back(o.key);
  for (const auto& k : mentioned) {
    const Level l = levelOf(*form, k);
    if (l == Level::Unknown) return queryFailure("字段“" + k + "”在业务对象“" + form->form_id + "”中不存在");
    entryLevel = entryLevel || l == Level::Entry;
  }
  auto num = [&](const char* name, long long fallback) {
    const json* v = member(data, name);
    if (!v || v->is_null()) return fallback;
    if (v->is_number()) return v->get<long long>();
    try {
      return std::stoll(text(*v));
    } catch (const std::exception&) {
      return fallback;
    }
  };
  const long long top = num("TopRowCount", 0), start = std::max(0LL, num("StartRow", 0));
  long long limit = num("Limit", 0);
  if (limit <= 0 || limit > maxLimit) limit = maxLimit;  // the server's configured ceiling

  std::lock_guard lock(mutex_);
  struct Candidate {
    const json* obj;
    const json* entry;
    std::vector<json> sort;  // the OrderString values, resolved once
  };
  std::vector<Candidate> rows;
  auto it = forms_.find(form->form_id);
  if (it != forms_.end())
    for (const auto& obj : it->second) {
      const json* entries = entryLevel ? member(obj, form->entry_name) : nullptr;
      std::vector<const json*> lines;
      if (entries && entries->is_array())
        for (const auto& e : *entries) lines.push_back(&e);
      if (lines.empty()) lines.push_back(nullptr);  // a bill without lines still shows (left join)
      for (const json* e : lines) {
        auto field = [&](const std::string& k) { return resolve(*form, obj, e, k); };
        if (filter.matches(field)) rows.push_back({&obj, e, {}});
      }
    }
  if (order.empty()) order.push_back({form->id_field, false});
  for (auto& r : rows)
    for (const auto& o : order) {
      json v = resolve(*form, *r.obj, r.entry, o.key);
      // Dates sort as instants; parse them once, not at every comparison.
      if (v.is_string())
        if (const auto& t = v.get_ref<const std::string&>(); t.size() >= 10 && t[4] == '-' && t[7] == '-')
          if (auto at = parseIsoInstant(t, 0)) v = *at;
      r.sort.push_back(std::move(v));
    }
  std::stable_sort(rows.begin(), rows.end(), [&](const Candidate& a, const Candidate& b) {
    for (std::size_t k = 0; k < order.size(); ++k) {
      const auto& o = order[k];
      const json& va = a.sort[k];
      const json& vb = b.sort[k];
      // NULL sorts first ascending, as in SQL Server.
      int c = va.is_null() ? (vb.is_null() ? 0 : -1) : vb.is_null() ? 1 : compareValues(va, vb).value_or(0);
      if (o.desc) c = -c;
      if (c != 0) return c < 0;
    }
    return false;
  });
  if (top > 0 && static_cast<long long>(rows.size()) > top) rows.resize(static_cast<std::size_t>(top));
  json out = json::array();
  for (long long i = start; i < static_cast<long long>(rows.size()) && i < start + limit; ++i) {
    json row = json::array();
    for (const auto& k : keys) row.push_back(resolve(*form, *rows[i].obj, rows[i].entry, k));
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace hub::connector::kingdee::sim
