#include "hub/daemon/local_endpoint.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "hub/core/log.h"

namespace hub::daemon {
namespace {

bool alive(long pid) { return pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM); }

// Only a daemon on this machine: a file that names another host is not one
// `hub serve` wrote, and the caller's token must not go there.
bool loopback(const std::string& url) {
  for (const char* prefix : {"http://127.", "http://localhost:", "http://[::1]:"})
    if (url.rfind(prefix, 0) == 0) return true;
  return false;
}

// The file as this account wrote it: a regular file (not a link), owned by us,
// readable by no one else. Anything else could have been planted.
std::optional<std::string> readPrivateFile(const std::string& file) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  struct stat st {};
  std::string text;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == ::geteuid() && (st.st_mode & 077) == 0 &&
      st.st_size < 4096) {
    text.resize(static_cast<std::size_t>(st.st_size));
    if (::read(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size())) text.clear();
  }
  ::close(fd);
  if (text.empty()) return std::nullopt;
  return text;
}

}  // namespace

std::string endpointPath(const std::string& storePath) { return storePath.empty() ? "" : storePath + ".endpoint"; }

std::optional<LocalEndpoint> readLocalEndpoint(const std::string& file) {
  if (file.empty()) return std::nullopt;
  const auto text = readPrivateFile(file);
  if (!text) return std::nullopt;
  const auto doc = nlohmann::json::parse(*text, nullptr, false);
  if (!doc.is_object()) return std::nullopt;
  LocalEndpoint e;
  e.url = doc.value("url", "");
  e.token = doc.value("token", "");
  const auto pid = doc.find("pid");
  if (pid != doc.end() && pid->is_number_integer()) e.pid = pid->get<long>();
  if (!loopback(e.url) || e.token.empty() || !alive(e.pid)) return std::nullopt;
  return e;
}

PublishedEndpoint::PublishedEndpoint(std::string file, LocalEndpoint endpoint) : file_(std::move(file)) {
  if (file_.empty()) return;
  // Written under a temporary name created 0600 and renamed, so a reader sees
  // the whole file or none, and never a moment with wider permissions.
  // mkstemp: a fresh name, created 0600 and never through a link someone placed.
  std::string tmp = file_ + ".XXXXXX";
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) {
    log::warn("endpoint_not_written", {{"file", file_}, {"errno", errno}});
    return;
  }
  const std::string body =
      nlohmann::json{{"url", endpoint.url}, {"pid", endpoint.pid}, {"token", endpoint.token}}.dump() + "\n";
  const bool ok = ::write(fd, body.data(), body.size()) == static_cast<ssize_t>(body.size());
  ::close(fd);
  if (!ok || std::rename(tmp.c_str(), file_.c_str()) != 0) {
    ::unlink(tmp.c_str());
    log::warn("endpoint_not_written", {{"file", file_}, {"errno", errno}});
    return;
  }
  written_ = true;
}

PublishedEndpoint::~PublishedEndpoint() {
  if (!written_) return;
  // Another daemon may have started on the same store since (ours was then
  // refused by the run claims, or killed); leave its file alone.
  const auto current = readLocalEndpoint(file_);
  if (!current || current->pid == static_cast<long>(::getpid())) ::unlink(file_.c_str());
}

}  // namespace hub::daemon
