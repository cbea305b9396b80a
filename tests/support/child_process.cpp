#include "tests/support/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace hub::test {

ChildProcess::ChildProcess(std::vector<std::string> argv, std::map<std::string, std::string> env,
                           std::string workingDir) {
  int outPipe[2], errPipe[2];
  if (pipe(outPipe) != 0 || pipe(errPipe) != 0) throw std::runtime_error("pipe failed");
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    dup2(outPipe[1], 1);
    dup2(errPipe[1], 2);
    close(outPipe[0]);
    close(errPipe[0]);
    close(outPipe[1]);
    close(errPipe[1]);
    // Reset what the test runner may have blocked or ignored.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    ::signal(SIGPIPE, SIG_DFL);
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    if (!workingDir.empty() && chdir(workingDir.c_str()) != 0) _exit(126);
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  close(outPipe[1]);
  close(errPipe[1]);
  out_ = outPipe[0];
  err_ = errPipe[0];
  fcntl(out_, F_SETFL, O_NONBLOCK);
  fcntl(err_, F_SETFL, O_NONBLOCK);
}

ChildProcess::~ChildProcess() {
  if (running()) {
    ::kill(pid_, SIGKILL);
    wait(std::chrono::seconds(5));
  }
  if (out_ >= 0) close(out_);
  if (err_ >= 0) close(err_);
}

void ChildProcess::signal(int sig) {
  if (pid_ > 0 && !status_) ::kill(pid_, sig);
}

bool ChildProcess::running() {
  if (status_ || pid_ <= 0) return false;
  int st = 0;
  const pid_t r = waitpid(pid_, &st, WNOHANG);
  if (r == pid_) {
    status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    return false;
  }
  return true;
}

std::optional<int> ChildProcess::wait(std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (running()) {
    drain(out_, outBuf_, 0);
    drain(err_, errBuf_, 0);
    if (std::chrono::steady_clock::now() > until) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  drain(out_, outBuf_, 0);
  drain(err_, errBuf_, 0);
  return status_;
}

void ChildProcess::drain(int fd, std::string& into, int timeoutMs) {
  if (fd < 0) return;
  pollfd p{fd, POLLIN, 0};
  if (poll(&p, 1, timeoutMs) <= 0) return;
  char buf[8192];
  while (true) {
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) break;
    into.append(buf, static_cast<std::size_t>(n));
  }
}

std::optional<std::string> ChildProcess::waitForLine(const std::string& needle, std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  std::size_t scanned = 0;
  while (true) {
    const auto pos = outBuf_.find(needle, scanned > needle.size() ? scanned - needle.size() : 0);
    if (pos != std::string::npos) {
      const auto start = outBuf_.rfind('\n', pos);
      const auto end = outBuf_.find('\n', pos);
      if (end != std::string::npos) {
        const std::size_t from = start == std::string::npos ? 0 : start + 1;
        return outBuf_.substr(from, end - from);
      }
    }
    scanned = outBuf_.size();
    if (std::chrono::steady_clock::now() > until) return std::nullopt;
    if (!running()) {
      drain(out_, outBuf_, 0);
      if (outBuf_.find(needle) == std::string::npos) return std::nullopt;
      continue;
    }
    drain(out_, outBuf_, 20);
    drain(err_, errBuf_, 0);
  }
}

std::string ChildProcess::stdoutText() {
  drain(out_, outBuf_, 0);
  return outBuf_;
}

std::string ChildProcess::stderrText() {
  drain(err_, errBuf_, 0);
  return errBuf_;
}

}  // namespace hub::test
