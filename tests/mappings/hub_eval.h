#pragma once
// Evaluates one expression with the hub functions, as a mapping would: value
// tables, a fixture xref lookup, a fixed clock, and what the functions report.
#include <string>

#include <gtest/gtest.h>

#include "mappings/engine/xref.h"
#include "mappings/functions/datetime.h"
#include "mappings/functions/hub_functions.h"

namespace hub::mapping::test {

struct HubEval {
  ValueTables tables;
  FixtureXrefLookup xref;
  std::function<hub::Millis()> now;
  std::string zone = "Asia/Shanghai";
  std::vector<FunctionProblem> problems;
  std::vector<MissingReference> missing;

  tl::expected<nlohmann::json, jmes::Error> operator()(const std::string& expr,
                                                        const nlohmann::json& doc = nlohmann::json::object()) {
    auto e = jmes::compile(expr, hubFunctions());
    if (!e) return tl::unexpected(e.error());
    HubHost host;
    host.tables = &tables;
    host.xref = &xref;
    host.now = &now;
    host.zone = dt::findZone(zone);
    host.scopes.push_back({jmes::Value::fromJson(doc), -1});
    auto r = e->search(doc, &host);
    problems = host.problems;
    missing = host.missing;
    return r;
  }

  // The value, or a failed expectation naming the error.
  nlohmann::json value(const std::string& expr, const nlohmann::json& doc = nlohmann::json::object()) {
    auto r = (*this)(expr, doc);
    EXPECT_TRUE(r.has_value()) << expr << ": " << (r ? "" : r.error().format());
    return r ? *r : nlohmann::json("<error>");
  }

  // The error, or a failed expectation naming the value.
  jmes::Error error(const std::string& expr, const nlohmann::json& doc = nlohmann::json::object()) {
    auto r = (*this)(expr, doc);
    EXPECT_FALSE(r.has_value()) << expr << " gave " << (r ? r->dump() : "");
    return r ? jmes::Error{} : r.error();
  }
};

}  // namespace hub::mapping::test
