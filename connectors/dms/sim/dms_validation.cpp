#include "connectors/dms/sim/dms_validation.h"

namespace hub::connector::dms::sim {
namespace {

using nlohmann::json;

class Check {
 public:
  Check(const json& record, json& errors) : record_(record), errors_(errors) {}

  void fail(const std::string& field, const std::string& code, const std::string& message) {
    errors_.push_back({{"field", field}, {"code", code}, {"message", message}});
  }
  const json* at(const json& in, const std::string& field) {
    auto it = in.find(field);
    return it == in.end() || it->is_null() ? nullptr : &*it;
  }
  bool text(const std::string& field, const json* in = nullptr, const std::string& prefix = {}) {
    const json* v = at(in ? *in : record_, field);
    if (!v || !v->is_string() || v->get<std::string>().empty()) {
      fail(prefix + field, "required", field + " is required");
      return false;
    }
    return true;
  }
  void number(const std::string& field, bool required, double min, const json* in = nullptr, const std::string& prefix = {}) {
    const json* v = at(in ? *in : record_, field);
    if (!v) {
      if (required) fail(prefix + field, "required", field + " is required");
      return;
    }
    if (!v->is_number()) return fail(prefix + field, "type", field + " must be a number");
    if (v->get<double>() < min) fail(prefix + field, "range", field + " must be at least " + json(min).dump());
  }
  void oneOf(const std::string& field, std::initializer_list<const char*> values) {
    const json* v = at(record_, field);
    if (!v) return;
    for (const char* ok : values)
      if (v->is_string() && v->get<std::string>() == ok) return;
    std::string list;
    for (const char* ok : values) list += (list.empty() ? "" : ", ") + std::string(ok);
    fail(field, "enum", field + " must be one of " + list);
  }
  void reference(const std::string& field, const std::string& entity, const Exists& exists, const json* in = nullptr,
                 const std::string& prefix = {}) {
    const json* v = at(in ? *in : record_, field);
    if (v && v->is_string() && !exists(entity, v->get<std::string>()))
      fail(prefix + field, "unknown_reference", "no " + entity + " record '" + v->get<std::string>() + "'");
  }
  // Lines: non-empty array of objects, each checked by `line`.
  template <class F>
  void lines(F&& line) {
    const json* v = at(record_, "lines");
    if (!v || !v->is_array() || v->empty()) return fail("lines", "required", "at least one line is required");
    for (std::size_t i = 0; i < v->size(); ++i) {
      const std::string prefix = "lines[" + std::to_string(i) + "].";
      if (!(*v)[i].is_object()) fail(prefix.substr(0, prefix.size() - 1), "type", "a line must be an object");
      else line((*v)[i], prefix);
    }
  }

 private:
  const json& record_;
  json& errors_;
};

}  // namespace

json validateRecord(const EntityInfo& entity, const json& r, const Exists& exists) {
  json errors = json::array();
  if (!r.is_object()) {
    errors.push_back({{"field", "data"}, {"code", "type"}, {"message", "a record must be a JSON object"}});
    return errors;
  }
  Check c(r, errors);
  const std::string& e = entity.name;
  if (e == "customers") {
    c.text("code");
    c.text("name");
    c.oneOf("status", {"active", "disabled"});
    if (const json* tax = c.at(r, "tax_id"); tax && (!tax->is_string() || tax->get<std::string>().size() != 18))
      c.fail("tax_id", "format", "tax_id must be the 18-character unified social credit code");
  } else if (e == "products") {
    c.text("sku");
    c.text("name");
    c.text("base_unit");
    c.number("tax_rate", false, 0);
    c.number("price", false, 0);
    c.oneOf("status", {"active", "disabled"});
    if (const json* units = c.at(r, "units"); units && units->is_array())
      for (std::size_t i = 0; i < units->size(); ++i) {
        const std::string p = "units[" + std::to_string(i) + "].";
        c.text("unit", &(*units)[i], p);
        c.number("factor", true, 1e-9, &(*units)[i], p);
      }
  } else if (e == "orders") {
    c.text("order_no");
    if (c.text("dealer_code")) c.reference("dealer_code", "customers", exists);
    c.oneOf("status", {"submitted", "approved", "partially_shipped", "shipped", "completed", "cancelled"});
    c.lines([&](const json& line, const std::string& p) {
      if (c.text("sku", &line, p)) c.reference("sku", "products", exists, &line, p);
      c.number("qty", true, 1e-9, &line, p);
      c.number("price", false, 0, &line, p);
    });
  } else if (e == "stock") {
    if (c.text("sku")) c.reference("sku", "products", exists);
    c.text("warehouse");
    c.number("on_hand", true, -1e18);
    c.number("reserved", false, 0);
  } else if (e == "invoices") {
    c.text("invoice_no");
    if (c.text("dealer_code")) c.reference("dealer_code", "customers", exists);
    c.oneOf("type", {"vat_special", "vat_ordinary"});
    c.lines([&](const json& line, const std::string& p) {
      c.text("sku", &line, p);
      c.number("qty", true, -1e18, &line, p);
      c.number("tax_rate", false, 0, &line, p);
    });
  }
  return errors;
}

}  // namespace hub::connector::dms::sim
