#pragma once
// A real child process with its stdout and stderr captured, for crash tests
// (SIGKILL at chosen moments) and end-to-end tests of the `hub` binary.
#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hub::test {

class ChildProcess {
 public:
  // Starts argv[0] with the given arguments; `env` entries are added to the environment.
  ChildProcess(std::vector<std::string> argv, std::map<std::string, std::string> env = {},
               std::string workingDir = {});
  ~ChildProcess();  // kills the child if it still runs
  ChildProcess(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  void signal(int sig);
  void kill9() { signal(9); }
  // Waits for exit; returns the exit code, or 128+signal when killed; nullopt on timeout.
  std::optional<int> wait(std::chrono::milliseconds timeout = std::chrono::seconds(30));
  bool running();

  // Reads stdout until a line containing `needle` arrives; returns that line.
  std::optional<std::string> waitForLine(const std::string& needle,
                                         std::chrono::milliseconds timeout = std::chrono::seconds(20));
  std::string stdoutText();  // everything read so far (drains what is available)
  std::string stderrText();

 private:
  void drain(int fd, std::string& into, int timeoutMs);
  pid_t pid_ = -1;
  int out_ = -1, err_ = -1;
  std::string outBuf_, errBuf_;
  std::optional<int> status_;
};

}  // namespace hub::test
