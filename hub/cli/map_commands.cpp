// hub map eval | test | check: try expressions, preview a mapping on a sample
// record, validate a mapping directory.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "hub/cli/commands.h"
#include "mappings/engine/mapping.h"
#include "mappings/functions/datetime.h"
#include "mappings/functions/hub_functions.h"

namespace hub::cli {
namespace {

using nlohmann::json;

std::optional<std::string> readText(const std::string& path, std::istream& stdinStream) {
  if (path.empty() || path == "-") {
    std::stringstream s;
    s << stdinStream.rdbuf();
    return s.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Reads a JSON document or says why not on stderr.
std::optional<json> readJson(const std::string& path, const std::string& what, Io& io) {
  auto text = readText(path, io.in);
  const std::string name = path.empty() || path == "-" ? "standard input" : path;
  if (!text) {
    io.err << "error: cannot read " << what << " " << name << "\n";
    return std::nullopt;
  }
  try {
    return json::parse(*text);
  } catch (const json::parse_error& e) {
    io.err << "error: " << what << " " << name << " is not JSON: " << e.what() << "\n";
    return std::nullopt;
  }
}

void printJson(const json& j, const Invocation& inv, Io& io) {
  io.out << j.dump(inv.has("compact") ? -1 : 2, ' ', false, json::error_handler_t::replace) << "\n";
}

// "syntax: message" with the expression and a caret under the column.
void printExpressionError(const std::string& expr, const jmes::Error& e, Io& io) {
  io.err << jmes::errorKindName(e.kind) << ": " << e.message << "\n";
  if (e.column > 0 && expr.find('\n') == std::string::npos) {
    io.err << "  " << expr << "\n  " << std::string(e.column - 1, ' ') << "^\n";
  }
}

Command evalCommand() {
  Command c;
  c.name = "eval";
  c.summary = "evaluate a JMESPath expression (with the hub functions) against a JSON document";
  c.usage = "EXPRESSION [--input FILE]";
  c.details =
      "Reads the document from --input, or from standard input. Prints the result as JSON.\n"
      "On failure prints the error kind (syntax, invalid-type, invalid-arity, unknown-function,\n"
      "invalid-value) and the message on standard error and exits 1. map_value() and xref() need\n"
      "a mapping: use 'hub map test'.";
  c.options = {{"input", "FILE", "JSON document to evaluate against (default: standard input)"},
               {"compact", "", "print the result on one line"},
               {"timezone", "ZONE", "zone for dates without one (default Asia/Shanghai)"}};
  c.min_args = c.max_args = 1;
  c.run = [](const Invocation& inv, Io& io) {
    const std::string& expr = inv.args[0];
    auto compiled = jmes::compile(expr, mapping::hubFunctions());
    if (!compiled) {
      printExpressionError(expr, compiled.error(), io);
      return static_cast<int>(kFailure);
    }
    auto doc = readJson(inv.value("input"), "input", io);
    if (!doc) return static_cast<int>(kFailure);
    mapping::HubHost host;
    const std::string zone = inv.value("timezone", mapping::dt::kDefaultZone);
    host.zone = mapping::dt::findZone(zone);
    if (!host.zone) throw UsageError{"unknown time zone '" + zone + "'"};
    host.scopes.push_back({jmes::Value::fromJson(*doc), -1});
    auto result = compiled->search(*doc, &host);
    if (!result) {
      printExpressionError(expr, result.error(), io);
      return static_cast<int>(kFailure);
    }
    for (const auto& p : host.problems) io.err << "note: " << p.message << "\n";
    printJson(*result, inv, io);
    return static_cast<int>(kOk);
  };
  return c;
}

std::optional<Millis> parseNow(const std::string& text) {
  return mapping::dt::parseIso(text, mapping::dt::defaultZone());
}

Command testCommand() {
  Command c;
  c.name = "test";
  c.summary = "map one record with a mapping file and print the document or the problems";
  c.usage = "--mapping FILE --input FILE [--xref FILE]";
  c.details =
      "Exit codes: 0 mapped cleanly, 1 field problems (printed, with the partial document under\n"
      "--json), 2 the mapping file itself has problems.\n"
      "--xref takes fixtures: {\"product\": {\"kingdee\": {\"SKU-1\": {\"id\": \"100231\", \"number\": \"MAT-0001\"}}}}.";
  c.options = {{"mapping", "FILE", "the mapping document (YAML)"},
               {"input", "FILE", "the source record (JSON; default: standard input)"},
               {"xref", "FILE", "cross-reference fixtures (JSON); without it every xref() is unresolved"},
               {"now", "TIME", "fixed time for now(), ISO-8601"},
               {"timezone", "ZONE", "default zone when the mapping names none (default Asia/Shanghai)"},
               {"json", "", "print {document, problems, missing} as JSON"},
               {"compact", "", "print JSON on one line"}};
  c.run = [](const Invocation& inv, Io& io) {
    if (!inv.has("mapping")) throw UsageError{"--mapping FILE is required"};
    auto m = mapping::MappingCatalog::loadFile(inv.value("mapping"));
    if (!m) {
      io.err << formatAll(m.error());
      return static_cast<int>(kUsage);
    }
    auto record = readJson(inv.value("input"), "input", io);
    if (!record) return static_cast<int>(kFailure);
    std::optional<mapping::FixtureXrefLookup> xref;
    if (inv.has("xref")) {
      auto fixtures = readJson(inv.value("xref"), "xref fixtures", io);
      if (!fixtures) return static_cast<int>(kFailure);
      auto parsed = mapping::FixtureXrefLookup::fromJson(*fixtures);
      if (!parsed) {
        io.err << "error: " << parsed.error() << "\n";
        return static_cast<int>(kFailure);
      }
      xref = std::move(*parsed);
    }
    mapping::MappingContext ctx;
    if (xref) ctx.xref = &*xref;
    ctx.default_timezone = inv.value("timezone", mapping::dt::kDefaultZone);
    if (inv.has("now")) {
      auto t = parseNow(inv.value("now"));
      if (!t) throw UsageError{"--now must be an ISO-8601 time, got '" + inv.value("now") + "'"};
      ctx.now = [t] { return *t; };
    }
    const auto result = m->apply(*record, ctx);
    if (inv.has("json")) {
      json problems = json::array(), missing = json::array();
      for (const auto& p : result.problems)
        problems.push_back({{"path", p.path}, {"kind", p.kind}, {"message", p.message}, {"source_value", p.source_value}});
      for (const auto& r : result.missing) missing.push_back({{"entity", r.entity}, {"system", r.system}, {"id", r.id}});
      printJson({{"document", result.document}, {"problems", problems}, {"missing", missing}}, inv, io);
    } else if (result.ok()) {
      printJson(result.document, inv, io);
    } else {
      for (const auto& p : result.problems) {
        io.out << (p.path.empty() ? "(record)" : p.path) << ": " << p.kind << ": " << p.message;
        if (!p.source_value.is_null()) io.out << " (source value " << p.source_value.dump() << ")";
        io.out << "\n";
      }
      io.out << result.problems.size() << (result.problems.size() == 1 ? " problem" : " problems") << "; the sync engine would "
             << (result.onlyMissingReferences() ? "park the record until the references are synchronised"
                                                : "dead-letter the record")
             << "\n";
    }
    return static_cast<int>(result.ok() ? kOk : kFailure);
  };
  return c;
}

Command checkCommand() {
  Command c;
  c.name = "check";
  c.summary = "validate every mapping in a directory (or one file) and report problems with file:line:column";
  c.usage = "DIR|FILE";
  c.min_args = c.max_args = 1;
  c.run = [](const Invocation& inv, Io& io) {
    const std::string& target = inv.args[0];
    std::error_code ec;
    if (std::filesystem::is_regular_file(target, ec)) {
      auto m = mapping::MappingCatalog::loadFile(target);
      if (!m) {
        io.err << formatAll(m.error());
        return static_cast<int>(kUsage);
      }
      io.out << target << ": OK — mapping '" << m->name() << "' version " << m->version() << " (" << m->source().system
             << " " << m->source().entity << " → " << m->target().system << " " << m->target().entity << ")\n";
      return static_cast<int>(kOk);
    }
    auto catalog = mapping::MappingCatalog::loadDirectory(target);
    if (!catalog) {
      io.err << formatAll(catalog.error());
      const auto n = catalog.error().size();
      io.err << n << (n == 1 ? " problem\n" : " problems\n");
      return static_cast<int>(kUsage);
    }
    const auto names = catalog->names();
    io.out << target << ": OK — " << names.size() << (names.size() == 1 ? " mapping" : " mappings");
    for (std::size_t i = 0; i < names.size(); ++i) io.out << (i == 0 ? ": " : ", ") << names[i];
    io.out << "\n";
    return static_cast<int>(kOk);
  };
  return c;
}

}  // namespace

Command mapCommand() {
  Command c;
  c.name = "map";
  c.summary = "try JMESPath expressions, preview and validate mappings";
  c.subcommands = {evalCommand(), testCommand(), checkCommand()};
  return c;
}

}  // namespace hub::cli
