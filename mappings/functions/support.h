#pragma once
// Helpers shared by the hub function implementations (internal).
#include <optional>
#include <string>

#include "mappings/functions/hub_host.h"
#include "mappings/jmespath/functions.h"

namespace hub::mapping::fn {

using jmes::Call;
using jmes::Value;
using Args = std::span<const Value>;

inline HubHost* host(Call& c) { return static_cast<HubHost*>(c.host()); }

// A number, or a string holding one ("12.50"); fails naming the argument.
hub::Decimal decimalArg(Call& c, Args a, std::size_t i);
std::int64_t intArg(Call& c, Args a, std::size_t i);  // a whole number
// Text of a string, number or boolean (numbers exactly as written).
std::string scalarText(const Value& v);

jmes::FunctionDef def(std::string name, std::vector<jmes::TypeSet> params, std::size_t required, jmes::TypeSet result,
                      jmes::FunctionImpl impl, bool variadic = false);

// An error message when `name` is neither a UUID nor dns/url/oid/x500.
std::optional<std::string> checkUuidNamespace(std::string_view name);

void registerDecimalFunctions(jmes::FunctionRegistry& r);
void registerStringFunctions(jmes::FunctionRegistry& r);
void registerDateFunctions(jmes::FunctionRegistry& r);
void registerLookupFunctions(jmes::FunctionRegistry& r);

}  // namespace hub::mapping::fn
