#include "connectors/file/jsonl_sink.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <unordered_set>

#include "connectors/rest/record_fields.h"
#include "connectors/spi/errors.h"
#include "hub/core/time.h"

namespace hub::connector::file {

using nlohmann::json;
namespace fs = std::filesystem;

struct Outbox {
  std::mutex mutex;
  fs::path path;
  std::unordered_set<std::string> written;  // idempotency keys in the file
  bool loaded = false;

  void load() {
    if (loaded) return;
    std::ifstream in(path, std::ios::binary);
    std::string text;
    while (std::getline(in, text)) {
      const json doc = json::parse(text, nullptr, false);
      if (!doc.is_object()) continue;
      for (const char* k : {"idempotency_key", "_idempotency_key"})
        if (doc.contains(k) && doc[k].is_string()) written.insert(doc[k].get<std::string>());
    }
    loaded = true;
  }
};

namespace {

std::shared_ptr<Outbox> outboxFor(const fs::path& path) {
  static std::mutex mutex;
  static std::map<fs::path, std::weak_ptr<Outbox>> open;
  std::lock_guard lock(mutex);
  if (auto existing = open[path].lock()) return existing;
  auto created = std::make_shared<Outbox>();
  created->path = path;
  open[path] = created;
  return created;
}

[[noreturn]] void ioFailure(const std::string& what) {
  RetryableError e("io", what + ": " + std::strerror(errno));
  throw e;
}

void syncDirectory(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

JsonlSink::JsonlSink(SinkOptions options, bool fsync, std::function<Millis()> now)
    : options_(std::move(options)), fsync_(fsync), now_(std::move(now)), outbox_(outboxFor(options_.file)) {}

std::string JsonlSink::line(const OutboundRecord& r) const {
  json out;
  if (options_.format == LineFormat::Document) {
    out = r.document;
    out["_idempotency_key"] = r.idempotency_key;
  } else {
    out = {{"key", r.key},
           {"idempotency_key", r.idempotency_key},
           {"written_at", formatIsoMillis(now_ ? now_() : nowMillis())},
           {"document", r.document}};
  }
  return out.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

std::vector<Outcome> JsonlSink::push(std::span<const OutboundRecord> batch) {
  std::lock_guard lock(outbox_->mutex);
  outbox_->load();
  std::vector<Outcome> out(batch.size());
  std::string text;
  std::vector<std::size_t> appended;
  std::unordered_set<std::string> inBatch;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const auto& r = batch[i];
    if (!r.document.is_object()) {
      out[i] = Outcome::permanent("validation", "document is not a JSON object");
      continue;
    }
    std::string missing;
    for (const auto& field : options_.require) {
      const json* v = rest::findPath(r.document, field);
      if (!v || v->is_null() || (v->is_string() && v->get<std::string>().empty())) missing += (missing.empty() ? "" : ", ") + field;
    }
    if (!missing.empty()) {
      out[i] = Outcome::permanent("validation", "document lacks required field(s): " + missing);
      continue;
    }
    out[i] = Outcome::delivered(r.key);
    if (outbox_->written.count(r.idempotency_key) || !inBatch.insert(r.idempotency_key).second) continue;
    text += line(r);
    appended.push_back(i);
  }
  if (text.empty()) return out;

  std::error_code ec;
  const bool fresh = !fs::exists(outbox_->path, ec);
  fs::create_directories(outbox_->path.parent_path(), ec);
  const int fd = ::open(outbox_->path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) ioFailure("cannot open " + outbox_->path.string());
  const off_t before = ::lseek(fd, 0, SEEK_END);
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  const bool written = done == text.size() && (!fsync_ || ::fsync(fd) == 0);
  if (!written) {
    const int saved = errno;
    if (::ftruncate(fd, before) != 0) { /* the partial tail stays; load() skips a torn line */ }
    ::close(fd);
    errno = saved;
    ioFailure("cannot write " + outbox_->path.string());
  }
  ::close(fd);
  if (fresh && fsync_) syncDirectory(outbox_->path.parent_path());
  for (std::size_t i : appended) outbox_->written.insert(batch[i].idempotency_key);
  return out;
}

}  // namespace hub::connector::file
