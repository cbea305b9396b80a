#include "hub/cli/command.h"

#include <limits>
#include <ostream>

#include "hub/core/numbers.h"
#include "hub/core/suggest.h"

namespace hub::cli {

std::string Invocation::value(const std::string& name, const std::string& fallback) const {
  auto it = options.find(name);
  if (it == options.end() || it->second.empty()) return fallback;
  return it->second.back();
}

std::vector<std::string> Invocation::values(const std::string& name) const {
  auto it = options.find(name);
  return it == options.end() ? std::vector<std::string>{} : it->second;
}

std::int64_t Invocation::number(const std::string& name, std::int64_t fallback, std::int64_t min,
                               std::int64_t max) const {
  return has(name) ? wholeNumber(value(name), "--" + name, min, max) : fallback;
}

Millis Invocation::duration(const std::string& name, Millis fallback, Millis min, Millis max) const {
  if (!has(name)) return fallback;
  const auto d = parseDuration(value(name));
  if (!d || *d < min || *d > max)
    throw UsageError{"--" + name + " must be a duration (500ms, 30s, 5m, 2h) from " + formatDuration(min) + " to " +
                     formatDuration(max) + ", not '" + value(name) + "'"};
  return *d;
}

std::int64_t wholeNumber(const std::string& text, const std::string& what, std::int64_t min, std::int64_t max) {
  if (const auto n = parseInteger(text, min, max)) return *n;
  const std::string range = max == std::numeric_limits<std::int64_t>::max()
                                ? "of at least " + std::to_string(min)
                                : "from " + std::to_string(min) + " to " + std::to_string(max);
  throw UsageError{what + " must be a whole number " + range + ", not '" + text + "'"};
}

namespace {

void printHelp(const Command& c, const std::string& path, std::ostream& out) {
  out << "Usage: " << path;
  if (!c.subcommands.empty()) out << " <command>";
  if (!c.usage.empty()) out << " " << c.usage;
  out << "\n\n" << c.summary << "\n";
  if (!c.details.empty()) out << "\n" << c.details << "\n";
  if (!c.subcommands.empty()) {
    out << "\nCommands:\n";
    for (const auto& s : c.subcommands) {
      out << "  " << s.name;
      for (std::size_t i = s.name.size(); i < 14; ++i) out << ' ';
      out << " " << s.summary << "\n";
    }
    out << "\nRun '" << path << " <command> --help' for a command's options.\n";
  }
  out << "\nOptions:\n";
  {
    for (const auto& o : c.options) {
      std::string left = "  --" + o.name + (o.value_name.empty() ? "" : " " + o.value_name);
      out << left;
      for (std::size_t i = left.size(); i < 26; ++i) out << ' ';
      out << " " << o.help << "\n";
    }
  }
  const std::string helpLeft = "  --help";
  out << helpLeft << std::string(26 - helpLeft.size(), ' ') << " show this help\n";
}

int usage(const std::string& path, const std::string& message, Io& io) {
  io.err << "error: " << message << "\nRun '" << path << " --help' for usage.\n";
  return kUsage;
}

}  // namespace

int dispatch(const Command& root, const std::vector<std::string>& argv, Io& io) {
  const Command* cmd = &root;
  std::string path = root.name;
  std::size_t i = 0;
  while (!cmd->subcommands.empty()) {
    if (i >= argv.size()) {
      printHelp(*cmd, path, io.err);
      return kUsage;
    }
    const std::string& word = argv[i];
    if (word == "--help" || word == "-h" || word == "help") {
      printHelp(*cmd, path, io.out);
      return kOk;
    }
    const Command* next = nullptr;
    std::vector<std::string> names;
    for (const auto& s : cmd->subcommands) {
      names.push_back(s.name);
      if (s.name == word) next = &s;
    }
    if (!next) return usage(path, "unknown command '" + word + "'" + didYouMean(word, names), io);
    cmd = next;
    path += " " + word;
    ++i;
  }
  Invocation inv;
  for (; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a == "--help" || a == "-h") {
      printHelp(*cmd, path, io.out);
      return kOk;
    }
    if (a == "--") {
      for (++i; i < argv.size(); ++i) inv.args.push_back(argv[i]);
      break;
    }
    if (a.size() > 2 && a.rfind("--", 0) == 0) {
      std::string name = a.substr(2), value;
      bool inlineValue = false;
      if (auto eq = name.find('='); eq != std::string::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
        inlineValue = true;
      }
      const Option* opt = nullptr;
      std::vector<std::string> names;
      for (const auto& o : cmd->options) {
        names.push_back(o.name);
        if (o.name == name) opt = &o;
      }
      if (!opt) return usage(path, "unknown option '--" + name + "'" + didYouMean(name, names), io);
      if (!opt->value_name.empty() && !inlineValue) {
        if (i + 1 >= argv.size()) return usage(path, "option '--" + name + "' needs a value " + opt->value_name, io);
        value = argv[++i];
      } else if (opt->value_name.empty() && inlineValue) {
        return usage(path, "option '--" + name + "' takes no value", io);
      }
      if (!opt->repeatable && inv.options.count(name))
        return usage(path, "option '--" + name + "' given twice", io);
      inv.options[name].push_back(value);
      continue;
    }
    inv.args.push_back(a);
  }
  if (inv.args.size() < cmd->min_args)
    return usage(path, "missing argument" + (cmd->usage.empty() ? std::string() : ": " + cmd->usage), io);
  if (inv.args.size() > cmd->max_args)
    return usage(path, "unexpected argument '" + inv.args[cmd->max_args] + "'", io);
  try {
    return cmd->run(inv, io);
  } catch (const UsageError& e) {
    return usage(path, e.message, io);
  }
}

}  // namespace hub::cli
