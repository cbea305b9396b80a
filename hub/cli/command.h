#pragma once
// A small subcommand tree: `hub <group> <command> [options] [args]`, with
// --help at every level. Exit codes: 0 success, 1 runtime failure, 2 usage or
// configuration error.
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "hub/core/time.h"

namespace hub::cli {

enum ExitCode { kOk = 0, kFailure = 1, kUsage = 2 };

struct Option {
  std::string name;         // without dashes: "config"
  std::string value_name;   // "FILE"; empty = a flag
  std::string help;
  bool repeatable = false;
};

struct Invocation {
  std::vector<std::string> args;                             // positional
  std::map<std::string, std::vector<std::string>> options;   // name -> values ("" for flags)

  bool has(const std::string& name) const { return options.count(name) > 0; }
  std::string value(const std::string& name, const std::string& fallback = {}) const;
  std::vector<std::string> values(const std::string& name) const;
  // Option --name as a whole number in [min, max], or `fallback` when it is
  // not given; anything else is a UsageError naming the option and the range.
  std::int64_t number(const std::string& name, std::int64_t fallback, std::int64_t min, std::int64_t max) const;
  // Option --name as a duration (30s, 5m) in [min, max] milliseconds, likewise.
  Millis duration(const std::string& name, Millis fallback, Millis min, Millis max) const;
};

struct Io {
  std::ostream& out;
  std::ostream& err;
  std::istream& in;
  bool out_is_terminal = false;
};

struct Command {
  std::string name;
  std::string summary;
  std::string usage;   // "NAME [--since TIME]"
  std::string details;
  std::vector<Option> options;
  std::size_t min_args = 0, max_args = 0;
  std::function<int(const Invocation&, Io&)> run;
  std::vector<Command> subcommands;
};

// A command without subcommands, built argument by argument.
inline Command leaf(std::string name, std::string summary, std::string usage, std::string details,
                    std::vector<Option> options, std::size_t minArgs, std::size_t maxArgs,
                    std::function<int(const Invocation&, Io&)> run) {
  Command c;
  c.name = std::move(name);
  c.summary = std::move(summary);
  c.usage = std::move(usage);
  c.details = std::move(details);
  c.options = std::move(options);
  c.min_args = minArgs;
  c.max_args = maxArgs;
  c.run = std::move(run);
  return c;
}

// Thrown by handlers for bad usage found after parsing; prints and exits 2.
struct UsageError {
  std::string message;
};

// A whole number from the command line; `what` names it in the UsageError
// ("--limit", "run id"), which also gives the accepted range.
std::int64_t wholeNumber(const std::string& text, const std::string& what, std::int64_t min, std::int64_t max);

int dispatch(const Command& root, const std::vector<std::string>& argv, Io& io);

}  // namespace hub::cli
