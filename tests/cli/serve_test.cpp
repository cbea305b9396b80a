// `hub serve` as a real process: it prints where it listens, answers health
// checks, and on SIGTERM lets a request in progress finish before exiting 0.
#include <gtest/gtest.h>
#include <signal.h>

#include <thread>

#include "tests/support/child_process.h"
#include "tests/support/http_client.h"
#include "tests/support/hub_url.h"
#include "tests/support/paths.h"
#include "tests/support/temp_dir.h"

namespace hub::test {
namespace {

std::string minimalConfig(const TempDir& dir, const std::string& extra = "") {
  return dir.write("hub.yaml", "server:\n  listen: 127.0.0.1:0\n  shutdown_deadline: 5s\nstore:\n  path: " +
                                   dir.file("data/hub.db") + "\n" + extra);
}

TEST(ServeTest, PrintsItsAddressAndAnswersHealthChecks) {
  TempDir dir;
  ChildProcess hub({hubBinary(), "serve", "--config", minimalConfig(dir)});
  const auto url = waitForHubUrl(hub);
  ASSERT_TRUE(url) << hub.stderrText();
  EXPECT_EQ(httpRequest("GET", *url + "/healthz").status, 200);
  EXPECT_EQ(httpRequest("GET", *url + "/readyz").status, 200);
  EXPECT_TRUE(std::filesystem::exists(dir.file("data/hub.db")));
  hub.signal(SIGTERM);
  EXPECT_EQ(hub.wait(), 0);
}

TEST(ServeTest, SigtermLetsARequestInProgressFinish) {
  TempDir dir;
  ChildProcess hub({hubBinary(), "serve", "--config", minimalConfig(dir)}, {{"HUB_FAILPOINT", "healthz:sleep(700)"}});
  const auto url = waitForHubUrl(hub);
  ASSERT_TRUE(url) << hub.stderrText();
  HttpResult slow;
  std::thread client([&] { slow = httpRequest("GET", *url + "/healthz"); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  hub.signal(SIGTERM);
  client.join();
  EXPECT_EQ(hub.wait(), 0);
#ifdef HUB_ENABLE_FAILPOINTS
  EXPECT_EQ(slow.status, 200) << "the in-flight request must complete during shutdown";
  EXPECT_NE(hub.stderrText().find("\"clean\":true"), std::string::npos) << hub.stderrText();
#endif
}

TEST(ServeTest, InvalidConfigurationRefusesToStart) {
  TempDir dir;
  const std::string path = dir.write("hub.yaml", "server:\n  lisen: 1\n");
  ChildProcess hub({hubBinary(), "serve", "--config", path});
  EXPECT_EQ(hub.wait(), 2);
  EXPECT_NE(hub.stderrText().find(":2:3: unknown key 'lisen'"), std::string::npos);
}

TEST(ServeTest, PortInUseIsARuntimeFailure) {
  TempDir dir;
  ChildProcess first({hubBinary(), "serve", "--config", minimalConfig(dir)});
  const auto url = waitForHubUrl(first);
  ASSERT_TRUE(url);
  const std::string port = url->substr(url->rfind(':') + 1);
  TempDir other;
  const std::string cfg = other.write("hub.yaml", "server:\n  listen: 127.0.0.1:" + port + "\nstore:\n  path: " +
                                                      other.file("hub.db") + "\n");
  ChildProcess second({hubBinary(), "serve", "--config", cfg});
  EXPECT_EQ(second.wait(), 1);
  EXPECT_NE(second.stderrText().find("cannot listen"), std::string::npos) << second.stderrText();
}

}  // namespace
}  // namespace hub::test
