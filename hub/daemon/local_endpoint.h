#pragma once
// How a command on the same machine finds the running `hub serve` of a store
// and may call it: the daemon writes `<store path>.endpoint` (mode 0600, so
// only the account that runs the hub can read it) holding its URL, its pid and
// a credential made for this process's lifetime, accepted as an operator token
// and never stored. `hub flow run` then asks the daemon instead of running the
// flow itself beside it. The file is removed when the daemon stops; one left by
// a killed daemon names a dead pid and is ignored.
#include <optional>
#include <string>

namespace hub::daemon {

struct LocalEndpoint {
  std::string url;  // loopback (a daemon listening on all interfaces is reached at 127.0.0.1)
  long pid = 0;
  std::string token;
};

// `<store path>.endpoint`; empty when the store has no file (a server database).
std::string endpointPath(const std::string& storePath);

// The endpoint of a live daemon, or nothing: no file, not a regular file of
// this account readable only by it, a URL off this machine, or its pid is gone.
std::optional<LocalEndpoint> readLocalEndpoint(const std::string& file);

// Written on construction, removed on destruction (if it is still this process's).
class PublishedEndpoint {
 public:
  PublishedEndpoint(std::string file, LocalEndpoint endpoint);
  ~PublishedEndpoint();
  PublishedEndpoint(const PublishedEndpoint&) = delete;
  PublishedEndpoint& operator=(const PublishedEndpoint&) = delete;

  bool written() const { return written_; }

 private:
  std::string file_;
  bool written_ = false;
};

}  // namespace hub::daemon
