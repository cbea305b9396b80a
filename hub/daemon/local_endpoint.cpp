#include "hub/daemon/local_endpoint.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "hub/core/log.h"

namespace hub::daemon {
namespace {

bool alive(long pid) { return pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM); }

}  // namespace

std::string endpointPath(const std::string& storePath) { return storePath.empty() ? "" : storePath + ".endpoint"; }

std::optional<LocalEndpoint> readLocalEndpoint(const std::string& file) {
  if (file.empty()) return std::nullopt;
  std::ifstream in(file);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  const auto doc = nlohmann::json::parse(text.str(), nullptr, false);
  if (!doc.is_object()) return std::nullopt;
  LocalEndpoint e;
  e.url = doc.value("url", "");
  e.token = doc.value("token", "");
  const auto pid = doc.find("pid");
  if (pid != doc.end() && pid->is_number_integer()) e.pid = pid->get<long>();
  if (e.url.empty() || e.token.empty() || !alive(e.pid)) return std::nullopt;
  return e;
}

PublishedEndpoint::PublishedEndpoint(std::string file, LocalEndpoint endpoint) : file_(std::move(file)) {
  if (file_.empty()) return;
  // Written under a temporary name created 0600 and renamed, so a reader sees
  // the whole file or none, and never a moment with wider permissions.
  const std::string tmp = file_ + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
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
