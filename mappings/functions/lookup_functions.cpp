// map_value, xref, coalesce, default, uuid5, root, parent, index.
#include "hub/core/digest.h"
#include "mappings/functions/support.h"

namespace hub::mapping::fn {
namespace {

using jmes::ErrorKind;
using namespace jmes;

HubHost& requireHost(Call& c) {
  HubHost* h = host(c);
  if (!h) c.fail(ErrorKind::InvalidValue, "only available inside a mapping (hub map test, or the sync engine)");
  return *h;
}

bool blank(const Value& v) { return v.isNull() || (v.isString() && v.str().empty()); }

Value fnMapValue(Call& c, Args a) {
  HubHost& h = requireHost(c);
  const std::string_view name = a[0].str();
  const ValueTable* table = nullptr;
  const std::size_t slot = (reinterpret_cast<std::uintptr_t>(name.data()) >> 3) % std::size(h.tableHints);
  if (h.tableHints[slot].name == name.data()) {
    table = h.tableHints[slot].table;
  } else if (h.tables) {
    auto it = h.tables->find(name);
    if (it != h.tables->end()) {
      table = &it->second;
      h.tableHints[slot] = {name.data(), table};
    }
  }
  if (!table) c.failArg(0, ErrorKind::InvalidValue, "no value table named '" + std::string(name) + "'", a[0]);
  const bool hasDefault = a.size() > 2;
  if (a[1].isNull()) return hasDefault ? a[2] : Value();
  auto it = a[1].isString() ? table->find(jmes::FastKey{a[1].str()}) : table->find(scalarText(a[1]));
  if (it != table->end()) return Value::fromJson(it->second);
  if (hasDefault) return a[2];
  h.problems.push_back({"unknown_code", "\"" + scalarText(a[1]) + "\" is not in value table '" + std::string(name) + "'",
                        toJson(a[1])});
  return Value();
}

Value fnXref(Call& c, Args a) {
  if (a[2].isNull()) return Value();
  HubHost& h = requireHost(c);
  bool wantNumber = false;
  if (a.size() > 3 && !a[3].isNull()) {
    if (a[3].str() == "number") wantNumber = true;
    else if (a[3].str() != "id")
      c.failArg(3, ErrorKind::InvalidValue, "expected 'id' or 'number', got '" + std::string(a[3].str()) + "'", a[3]);
  }
  const std::string entity(a[0].str()), system(a[1].str()), id = scalarText(a[2]);
  std::optional<XrefHit> hit;
  if (h.xref) hit = h.xref->find(entity, system, id);
  if (!hit) {
    h.problems.push_back({"unresolved_reference",
                          entity + " \"" + id + "\" has no " + system + " counterpart yet (xref)", toJson(a[2])});
    h.missing.push_back({entity, system, id});
    return Value();
  }
  const std::string& out = wantNumber ? hit->remote_number : hit->remote_id;
  if (out.empty())
    c.fail(ErrorKind::InvalidValue, entity + " \"" + id + "\" is linked to " + system + " but has no " +
                                        (wantNumber ? "number" : "id") + " recorded",
           a[2]);
  return c.newString(out);
}

Value fnCoalesce(Call&, Args a) {
  for (const auto& v : a)
    if (!blank(v)) return v;
  return Value();
}

bool parseUuid(std::string_view s, std::string& bytes) {
  static constexpr std::string_view kHex = "0123456789abcdef";
  bytes.clear();
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size();) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (s[i++] != '-') return false;
      continue;
    }
    auto hi = kHex.find(static_cast<char>(std::tolower(static_cast<unsigned char>(s[i]))));
    auto lo = kHex.find(static_cast<char>(std::tolower(static_cast<unsigned char>(s[i + 1]))));
    if (hi == std::string_view::npos || lo == std::string_view::npos) return false;
    bytes.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return bytes.size() == 16;
}

std::optional<std::string> uuidNamespace(std::string_view name) {
  std::string_view text = name;
  if (name == "dns") text = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
  else if (name == "url") text = "6ba7b811-9dad-11d1-80b4-00c04fd430c8";
  else if (name == "oid") text = "6ba7b812-9dad-11d1-80b4-00c04fd430c8";
  else if (name == "x500") text = "6ba7b814-9dad-11d1-80b4-00c04fd430c8";
  std::string bytes;
  if (!parseUuid(text, bytes)) return std::nullopt;
  return bytes;
}

Value fnUuid5(Call& c, Args a) {
  if (a[1].isNull()) return Value();
  auto ns = uuidNamespace(a[0].str());
  if (!ns)
    c.failArg(0, ErrorKind::InvalidValue, "expected a UUID or one of dns, url, oid, x500, got '" + std::string(a[0].str()) + "'", a[0]);
  std::string h = hub::digest::sha1(*ns + scalarText(a[1])).substr(0, 16);
  h[6] = static_cast<char>((h[6] & 0x0F) | 0x50);  // version 5
  h[8] = static_cast<char>((h[8] & 0x3F) | 0x80);  // RFC 4122 variant
  const std::string hex = hub::digest::hex(h);
  return c.newString(hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) +
                     "-" + hex.substr(20));
}

Value fnRoot(Call& c, Args) {
  HubHost& h = requireHost(c);
  return h.scopes.empty() ? Value() : h.scopes.front().item;
}

Value fnParent(Call& c, Args) {
  HubHost& h = requireHost(c);
  return h.scopes.size() < 2 ? Value() : h.scopes[h.scopes.size() - 2].item;
}

Value fnIndex(Call& c, Args) {
  HubHost& h = requireHost(c);
  if (h.scopes.empty() || h.scopes.back().index < 0) return Value();
  return Value::integer(h.scopes.back().index);
}

}  // namespace

std::optional<std::string> checkUuidNamespace(std::string_view name) {
  if (uuidNamespace(name)) return std::nullopt;
  return "expected a UUID or one of dns, url, oid, x500, got '" + std::string(name) + "'";
}

void registerLookupFunctions(jmes::FunctionRegistry& r) {
  const TypeSet scalar = kString | kNumber | kBoolean | kNull;
  r.add(def("map_value", {kString, scalar, kAnyValue}, 2, kAnyValue, fnMapValue));
  r.add(def("xref", {kString, kString, kString | kNumber | kNull, kString | kNull}, 3, kString | kNull, fnXref));
  r.add(def("coalesce", {kAnyValue}, 1, kAnyValue, fnCoalesce, true));
  r.add(def("default", {kAnyValue, kAnyValue}, 2, kAnyValue, fnCoalesce));
  r.add(def("uuid5", {kString, scalar}, 2, kString | kNull, fnUuid5));
  r.add(def("root", {}, 0, kAnyValue, fnRoot));
  r.add(def("parent", {}, 0, kAnyValue, fnParent));
  r.add(def("index", {}, 0, kNumber | kNull, fnIndex));
}

}  // namespace hub::mapping::fn
