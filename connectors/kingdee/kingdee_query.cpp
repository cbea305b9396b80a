#include "connectors/kingdee/kingdee_query.h"

#include <algorithm>
#include <strings.h>

#include "connectors/kingdee/kingdee_session.h"
#include "connectors/spi/errors.h"

namespace hub::connector::kingdee {

namespace {

using nlohmann::json;

bool sameKey(const std::string& a, const std::string& b) { return strcasecmp(a.c_str(), b.c_str()) == 0; }

std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

std::string literal(const json& v) {
  if (v.is_number()) return v.dump();
  return quoted(v.is_string() ? v.get<std::string>() : v.dump());
}

std::string text(const json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

std::string filterForm(std::string modify) {
  if (modify.size() > 10 && modify[10] == 'T') modify[10] = ' ';
  return modify;
}

std::size_t indexOf(const std::vector<std::string>& keys, const std::string& key) {
  for (std::size_t i = 0; i < keys.size(); ++i)
    if (sameKey(keys[i], key)) return i;
  return keys.size();
}

}  // namespace

std::string encodeResume(const ScanPosition& p) {
  if (p.empty()) return "";
  return json{{"m", p.modify}, {"id", p.id}}.dump();
}

ScanPosition decodeResume(const std::string& resume) {
  ScanPosition p;
  const json j = json::parse(resume, nullptr, false);
  if (!j.is_object() || !j.contains("m") || !j["m"].is_string()) return p;
  p.modify = j["m"].get<std::string>();
  p.id = j.value("id", json());
  return p;
}

std::vector<std::string> queryFieldKeys(const FormProfile& form) {
  std::vector<std::string> keys;
  auto add = [&](const std::string& k) {
    if (indexOf(keys, k) == keys.size()) keys.push_back(k);
  };
  add(form.id_field);
  for (const auto& k : form.key_fields) add(k);
  add(form.modify_field);
  for (const auto& k : form.header_keys) add(k);
  for (const auto& k : form.entry_keys) add(k);
  return keys;
}

json encodeQuery(const QueryOptions& o, const ServerZone& zone, Millis since, const ScanPosition& after, int limit) {
  const std::string& m = o.form.modify_field;
  std::vector<std::string> clauses;
  if (since > 0) clauses.push_back(m + ">=" + quoted(zone.filterLiteral(since)));
  if (!o.extra_filter.empty()) clauses.push_back("(" + o.extra_filter + ")");
  if (!after.empty()) {
    const std::string at = quoted(filterForm(after.modify));
    clauses.push_back("(" + m + ">" + at + " or (" + m + "=" + at + " and " + o.form.id_field + ">" +
                      literal(after.id) + "))");
  }
  std::string order = m + " ASC, " + o.form.id_field + " ASC";
  if (!o.form.entry_keys.empty()) order += ", " + o.form.entry_keys.front() + " ASC";
  return {{"FormId", o.form.form_id},
          {"FieldKeys", joinKeys(queryFieldKeys(o.form))},
          {"FilterString", joinKeys(clauses, " and ")},
          {"OrderString", order},
          {"TopRowCount", 0},
          {"StartRow", 0},
          {"Limit", limit},
          {"SubSystemId", ""}};
}

DecodedPage decodeRows(const QueryOptions& o, const ServerZone& zone, const json& rows, int limit,
                       const ScanPosition& after) {
  DecodedPage page;
  page.next = after;
  if (!rows.is_array()) throw RetryableError("malformed_response", "ExecuteBillQuery answered no row array");
  const auto keys = queryFieldKeys(o.form);
  const std::size_t idAt = indexOf(keys, o.form.id_field), modAt = indexOf(keys, o.form.modify_field);
  const std::size_t entryFrom = keys.size() - std::count_if(keys.begin(), keys.end(), [&](const std::string& k) {
                                  return indexOf(o.form.entry_keys, k) < o.form.entry_keys.size() &&
                                         indexOf(o.form.header_keys, k) == o.form.header_keys.size();
                                });
  const bool grouped = !o.form.entry_keys.empty();
  struct Group {
    Record record;
    ScanPosition position;
  };
  std::vector<Group> groups;
  for (const auto& row : rows) {
    if (!row.is_array() || row.size() != keys.size())
      throw RetryableError("malformed_response", "ExecuteBillQuery row does not match FieldKeys");
    const json& id = row[idAt];
    if (!grouped || groups.empty() || groups.back().position.id != id) {
      Group g;
      g.position = {text(row[modAt]), id};
      g.record.remote_id = text(id);
      g.record.updated_at = zone.parse(text(row[modAt])).value_or(0);
      std::string key;
      for (std::size_t i = 0; i < o.form.key_fields.size(); ++i)
        key += (i ? "|" : "") + text(row[indexOf(keys, o.form.key_fields[i])]);
      g.record.key = key;
      g.record.payload = json::object();
      for (std::size_t i = 0; i < entryFrom; ++i) g.record.payload[keys[i]] = row[i];
      if (grouped) g.record.payload[o.form.entry_name] = json::array();
      groups.push_back(std::move(g));
    }
    if (grouped) {
      json line = json::object();
      for (std::size_t i = entryFrom; i < keys.size(); ++i) line[keys[i]] = row[i];
      groups.back().record.payload[o.form.entry_name].push_back(std::move(line));
    }
  }
  const bool full = static_cast<int>(rows.size()) >= limit;
  if (full && grouped) {
    if (groups.size() == 1) {
      page.needs_bigger_page = true;
      page.done = false;
      return page;
    }
    groups.pop_back();  // its lines may continue on the next page
  }
  page.done = !full;
  for (auto& g : groups) {
    page.next = g.position;
    page.records.push_back(std::move(g.record));
  }
  return page;
}

BillQuery::BillQuery(std::shared_ptr<KingdeeSession> session, QueryOptions options,
                     std::shared_ptr<const ServerZone> zone)
    : session_(std::move(session)), options_(std::move(options)), zone_(std::move(zone)) {}

std::string BillQuery::keyField() const { return options_.form.key_fields.front(); }

Page BillQuery::pull(const ScanRequest& request) {
  const ScanPosition after = decodeResume(request.resume);
  int limit = std::clamp<int>(static_cast<int>(request.page_size), 1, options_.page_limit);
  for (;;) {
    const json rows =
        session_->call("ExecuteBillQuery", "", encodeQuery(options_, *zone_, request.since, after, limit));
    DecodedPage decoded = decodeRows(options_, *zone_, rows, limit, after);
    if (decoded.needs_bigger_page) {
      // One bill has more lines than a page holds: ask for more rows at once.
      if (limit >= 10000) throw PermanentError("query", "a bill of " + options_.form.form_id + " has over 10000 lines");
      limit = std::min(limit * 2, 10000);
      continue;
    }
    Page page;
    page.records = std::move(decoded.records);
    page.done = decoded.done;
    page.resume = encodeResume(decoded.next);
    return page;
  }
}

}  // namespace hub::connector::kingdee
