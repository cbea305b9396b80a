#include "connectors/file/jsonl_source.h"

#include <fnmatch.h>

#include <algorithm>
#include <fstream>

#include "connectors/spi/errors.h"
#include "hub/core/digest.h"

namespace hub::connector::file {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

bool validUtf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += n;
  }
  return true;
}

bool blank(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

[[noreturn]] void ioFailure(const std::string& what, const std::error_code& ec) {
  throw RetryableError("io", what + ": " + ec.message());
}

}  // namespace

JsonlSource::JsonlSource(SourceOptions options, Log log) : options_(std::move(options)), log_(std::move(log)) {}

void JsonlSource::retire(const std::string& name) {
  const fs::path from = options_.inbox / name;
  std::error_code ec;
  if (!fs::exists(from, ec)) return;  // moved by an earlier pull that crashed before its page committed
  fs::create_directories(options_.done, ec);
  if (ec) ioFailure("cannot create " + options_.done.string(), ec);
  fs::path to = options_.done / name;
  for (int n = 1; fs::exists(to, ec); ++n)  // a file of the same name came through before: keep both
    to = options_.done / (fs::path(name).stem().string() + "." + std::to_string(n) + fs::path(name).extension().string());
  fs::rename(from, to, ec);
  if (ec) ioFailure("cannot move " + from.string() + " to " + to.string(), ec);
  if (log_) log_("file_source_done", {{"file", from.string()}, {"moved_to", to.string()}});
}

Record JsonlSource::decodeLine(const std::string& name, long long line, const std::string& text) const {
  Record r;
  const json doc = json::parse(text, nullptr, false);
  std::string problem;
  if (doc.is_discarded() || !doc.is_object()) {
    problem = "line " + std::to_string(line) + " of " + name + " is not a JSON object";
  } else {
    const json* key = rest::findPath(doc, options_.key);
    r.key = key ? rest::keyText(*key) : "";
    if (r.key.empty()) problem = "line " + std::to_string(line) + " of " + name + " has no '" + options_.key + "' key";
    if (!options_.updated_at.empty())
      if (const json* at = rest::findPath(doc, options_.updated_at))
        r.updated_at = rest::readInstant(*at, options_.updated_at_format, options_.updated_at_zone).value_or(0);
  }
  if (problem.empty()) {
    r.payload = doc;
    return r;
  }
  r.key = name + ":" + std::to_string(line);
  r.problem = problem;
  r.payload = {{"file", name}, {"line", line}};
  if (validUtf8(text)) r.payload["raw"] = text;
  else r.payload["raw_base64"] = digest::base64(text);
  return r;
}

Page JsonlSource::pull(const ScanRequest& request) {
  json state = request.resume.empty() ? json::object() : json::parse(request.resume, nullptr, false);
  if (!state.is_object()) throw PermanentError("resume", "unreadable resume position: " + request.resume);
  for (const auto& name : state.value("finished", json::array())) retire(name.get<std::string>());

  std::error_code ec;
  std::vector<std::string> names;
  if (fs::exists(options_.inbox, ec)) {
    for (fs::directory_iterator it(options_.inbox, ec), end; !ec && it != end; it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (it->is_regular_file() && fnmatch(options_.pattern.c_str(), name.c_str(), FNM_PERIOD) == 0) names.push_back(name);
    }
    if (ec) ioFailure("cannot list " + options_.inbox.string(), ec);
  }
  std::sort(names.begin(), names.end());

  const std::string resumeFile = state.value("file", std::string());
  auto next = std::lower_bound(names.begin(), names.end(), resumeFile);
  Page page;
  std::vector<std::string> finished;
  std::size_t budget = std::max<std::size_t>(request.page_size, 1);  // lines read, kept or not
  for (; next != names.end(); ++next) {
    const bool continuing = *next == resumeFile;
    long long offset = continuing ? state.value("offset", 0LL) : 0;
    long long line = continuing ? state.value("line", 0LL) : 0;
    std::ifstream in(options_.inbox / *next, std::ios::binary);
    if (!in) throw RetryableError("io", "cannot open " + (options_.inbox / *next).string());
    in.seekg(offset);
    std::string text;
    while (budget > 0 && std::getline(in, text)) {
      offset += static_cast<long long>(text.size()) + (in.eof() ? 0 : 1);
      ++line;
      if (blank(text)) continue;
      --budget;
      Record r = decodeLine(*next, line, text);
      if (r.updated_at > 0 && r.updated_at < request.since) continue;
      page.records.push_back(std::move(r));
    }
    if (in.bad()) throw RetryableError("io", "cannot read " + (options_.inbox / *next).string());
    if (budget == 0 && in.peek() != std::char_traits<char>::eof()) {
      page.resume = json{{"file", *next}, {"offset", offset}, {"line", line}, {"finished", finished}}.dump();
      page.done = false;
      return page;
    }
    finished.push_back(*next);
    if (budget == 0) break;
  }
  if (finished.empty()) {
    page.done = true;  // nothing left, and nothing waiting to move
    return page;
  }
  // Files were finished: they move on the next pull, after this page commits.
  page.resume = json{{"file", finished.back()}, {"offset", 0}, {"line", 0}, {"finished", finished}}.dump();
  page.done = false;
  return page;
}

}  // namespace hub::connector::file
