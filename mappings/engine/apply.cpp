// Applies a compiled mapping to one record. Writes into the result document
// in key order (appending to each object), reusing whatever the document
// already holds, so applyInto() on the previous result allocates little.
#include <algorithm>
#include <optional>

#include "mappings/engine/compiled.h"
#include "mappings/functions/datetime.h"

namespace hub::mapping {
namespace detail {
namespace {

using jmes::Value;
using Json = nlohmann::json;

// Where in the target document a field is; a chain on the C++ stack, turned
// into "FSaleOrderEntry[3].FQty" only when there is a problem to report.
struct PathNode {
  const PathNode* parent;
  const std::string* key;  // null for an array element
  std::size_t index;
};

std::string pathText(const PathNode* p) {
  if (!p) return {};
  std::string out = pathText(p->parent);
  if (p->key) {
    if (!out.empty()) out += '.';
    out += *p->key;
  } else {
    out += '[' + std::to_string(p->index) + ']';
  }
  return out;
}

// Equal keys are the common case when a document is reused; short keys
// compare faster inline than through memcmp.
bool sameKey(const std::string& a, const std::string& b) {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  const char *x = a.data(), *y = b.data();
  for (std::size_t i = 0; i < n; ++i)
    if (x[i] != y[i]) return false;
  return true;
}

// What one mapping run needs besides the result. Each thread keeps one, so
// the arena's block and the host's vectors are reused rather than allocated
// per record.
struct Workspace {
  jmes::Arena arena;
  HubHost host;
  bool busy = false;

  void clear() {
    arena.reset();
    host.scopes.clear();
    host.problems.clear();
    host.missing.clear();
    for (auto& h : host.tableHints) h = {};
  }
};

class Applier {
 public:
  Applier(const CompiledMapping& m, const MappingContext& ctx, MappingResult& result, Workspace& ws)
      : m_(m), ctx_(ctx), result_(result), host_(ws.host), arena_(ws.arena) {
    host_.tables = &m.tables;
    host_.xref = ctx.xref;
    host_.now = &ctx.now;
    zone_ = m.zone;
    if (!zone_) {
      zone_ = ctx.default_timezone == dt::kDefaultZone ? dt::defaultZone() : dt::findZone(ctx.default_timezone);
      if (!zone_) {
        problem("expression", "unknown time zone '" + ctx.default_timezone + "' in the mapping context", nullptr);
        zone_ = dt::defaultZone();
      }
    }
    host_.zone = zone_;
  }

  void run(const Json& record) {
    const Value root = Value::fromJson(record);
    host_.scopes.reserve(4);
    host_.scopes.push_back({root, -1});
    object(m_.fields, root, result_.document, nullptr);
  }

 private:
  void problem(std::string kind, std::string message, Json source) {
    result_.problems.push_back({pathText(at_), std::move(kind), std::move(message), std::move(source)});
  }

  // Moves what functions reported (unknown codes, unresolved xrefs) into the result.
  bool flushHost() {
    if (host_.problems.empty()) return false;
    for (auto& p : host_.problems) problem(std::move(p.kind), std::move(p.message), std::move(p.source_value));
    for (auto& m : host_.missing)
      if (std::find(result_.missing.begin(), result_.missing.end(), m) == result_.missing.end())
        result_.missing.push_back(std::move(m));
    host_.problems.clear();
    host_.missing.clear();
    return true;
  }

  // False when evaluation failed (the problem is recorded).
  bool evaluate(const jmes::Expression& e, Value current, Value& out) {
    try {
      out = e.evaluate(current, arena_, &host_);
    } catch (const jmes::EvalError& err) {
      flushHost();
      problem("expression", err.error.format(), err.error.value);
      return false;
    } catch (const std::exception& err) {
      flushHost();
      problem("expression", err.what(), nullptr);
      return false;
    }
    return !flushHost();
  }

  void object(const std::vector<FieldNode>& fields, Value current, Json& target, const PathNode* parent) {
    if (!target.is_object()) target = Json::object();
    auto& obj = target.get_ref<Json::object_t&>();
    auto it = obj.begin();
    for (const FieldNode& f : fields) {
      if (it == obj.end() || !sameKey(it->first, f.key)) {  // not the previous record's member: make room
        while (it != obj.end() && it->first < f.key) it = obj.erase(it);
        if (it == obj.end() || it->first != f.key) it = obj.emplace_hint(it, f.key, nullptr);
      }
      const PathNode here{parent, &f.key, 0};
      at_ = &here;
      bool keep = false;
      switch (f.kind) {
        case FieldNode::Kind::Value: keep = value(f, current, it->second); break;
        case FieldNode::Kind::Object:
          object(f.children, current, it->second, &here);
          keep = !it->second.empty();
          break;
        case FieldNode::Kind::Array: keep = array(f, current, it->second, &here); break;
      }
      at_ = parent;
      it = keep ? std::next(it) : obj.erase(it);
    }
    obj.erase(it, obj.end());
  }

  bool value(const FieldNode& f, Value current, Json& slot) {
    Value v;
    if (f.expr) {
      if (!evaluate(*f.expr, current, v)) return false;
    } else if (f.constant) {
      v = Value::fromJson(*f.constant);
    }
    if (v.isNull() && f.fallback) v = Value::fromJson(*f.fallback);
    if (v.isNull()) {
      if (f.required)
        problem("missing_required",
                "required field has no value" + (f.expr ? " (" + f.expr->text() + " gave null)" : std::string()),
                nullptr);
      return false;
    }
    std::string why;
    if (!convertInto(v, f.type, zone_, slot, why)) {
      problem("conversion", why, jmes::toJson(v));
      return false;
    }
    return true;
  }

  bool array(const FieldNode& f, Value current, Json& slot, const PathNode* self) {
    Value items;
    if (!evaluate(*f.expr, current, items)) return false;
    if (items.isNull()) {
      if (f.required) problem("missing_required", "required array has no value (" + f.expr->text() + " gave null)", nullptr);
      return false;
    }
    if (!items.isArray()) {
      problem("conversion", "for_each must give an array, got " + std::string(jmes::typeName(items.type())),
              jmes::toJson(items));
      return false;
    }
    if (!slot.is_array()) slot = Json::array();
    auto& arr = slot.get_ref<Json::array_t&>();
    const std::size_t n = items.size();
    arr.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      const Value item = items.at(i);
      const PathNode element{self, nullptr, i};
      host_.scopes.push_back({item, static_cast<std::int64_t>(i)});
      object(f.children, item, arr[i], &element);
      host_.scopes.pop_back();
    }
    at_ = self;
    return true;
  }

  const CompiledMapping& m_;
  const MappingContext& ctx_;
  MappingResult& result_;
  const date::time_zone* zone_ = nullptr;
  HubHost& host_;
  jmes::Arena& arena_;
  const PathNode* at_ = nullptr;  // the field being produced
};

}  // namespace
}  // namespace detail

bool MappingResult::onlyMissingReferences() const {
  return !problems.empty() && std::all_of(problems.begin(), problems.end(), [](const FieldProblem& p) {
    return p.kind == "unresolved_reference";
  });
}

void Mapping::applyInto(const nlohmann::json& record, const MappingContext& ctx, MappingResult& into) const {
  into.problems.clear();
  into.missing.clear();
  thread_local detail::Workspace shared;
  std::optional<detail::Workspace> own;  // when an XrefLookup maps records itself
  detail::Workspace& ws = shared.busy ? own.emplace() : shared;
  ws.clear();
  ws.busy = true;
  try {
    detail::Applier(*impl_, ctx, into, ws).run(record);
  } catch (const std::exception& e) {  // e.g. out of memory: still a result, never an exception
    into.problems.push_back({"", "expression", std::string("mapping failed: ") + e.what(), nullptr});
  }
  ws.busy = false;
}

MappingResult Mapping::apply(const nlohmann::json& record, const MappingContext& ctx) const {
  // Copying a json tree clones std::map nodes without comparisons or
  // rebalancing, which measures about twice as fast as inserting them one by
  // one. So map into a per-thread document that keeps its shape between calls,
  // then copy it out.
  thread_local MappingResult scratch;
  thread_local bool busy = false;
  MappingResult result;
  if (busy) {  // an XrefLookup that maps records itself: build afresh
    applyInto(record, ctx, result);
    return result;
  }
  busy = true;
  applyInto(record, ctx, scratch);
  busy = false;
  result.document = scratch.document;
  result.problems = std::move(scratch.problems);
  result.missing = std::move(scratch.missing);
  return result;
}

}  // namespace hub::mapping
