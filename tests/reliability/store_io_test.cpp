// R8: the store cannot write. `hub serve` runs as a child taking signed
// payload webhooks and delivering them, when its writes start failing: once
// through RLIMIT_FSIZE (SIGXFSZ ignored, so write() fails with EFBIG instead of
// killing it) and once through a full file system (a tmpfs of its own, filled).
// Oracle: while writes fail the intake never answers 202 for a body it did not
// keep (503 with Retry-After); the hub keeps serving; once the fault is lifted
// every record reaches the sink exactly once and has its outcome row; the
// database passes PRAGMA integrity_check.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <thread>

#include "hub/core/digest.h"
#include "hub/store/store.h"
#include "hub/webhooks/signature.h"
#include "tests/doubles/rest_system.h"
#include "tests/reliability/hub_serve.h"
#include "tests/support/http_client.h"
#include "tests/support/hub_url.h"
#include "tests/support/paths.h"
#include "tests/support/temp_dir.h"

namespace hub::test {
namespace {

using nlohmann::json;

const std::string kSecret = "whsec_" + digest::base64("store-io-test-signing-key");
constexpr int kBefore = 200, kDuring = 100;

enum class Fault { FileSizeLimit, FullFileSystem };
std::string name(const ::testing::TestParamInfo<Fault>& p) {
  return p.param == Fault::FileSizeLimit ? "FileSizeLimit" : "FullFileSystem";
}

std::string key(int i) { return "SO-" + std::to_string(800000 + i); }

class StoreIoTest : public ::testing::TestWithParam<Fault> {
 protected:
  void SetUp() override {
    storeDir = dir.file("store");
    std::filesystem::create_directories(storeDir);
    if (GetParam() == Fault::FullFileSystem) {
      if (::mount("tmpfs", storeDir.c_str(), "tmpfs", 0, "size=8m") != 0)
        GTEST_SKIP() << "a full file system needs a tmpfs of its own, and mounting one failed (" << std::strerror(errno)
                     << "); run as root to include this case";
      mounted = true;
    }
    config = dir.write("hub.yaml",
                       "server:\n  listen: 127.0.0.1:0\n  shutdown_deadline: 3s\n  threads: 8\n"
                       "store:\n  path: " + storeDir + "/hub.db\n"
                       // A short lease: a batch whose outcome could not be written comes back soon.
                       "engine:\n  workers: 2\n  lease_ttl: 2s\n  poll_interval: 50ms\n"
                       "log:\n  level: error\n"
                       "connectors:\n"
                       "  - {name: shop, type: rest, base_url: 'http://127.0.0.1:9'}\n"
                       "  - {name: erp, type: rest, base_url: '" + sink.baseUrl() + "', timeout: 2s}\n"
                       "flows:\n"
                       "  - name: orders\n"
                       "    entity: order\n"
                       "    source: {connector: shop, entity: orders, options: {path: /orders}}\n"
                       "    targets:\n"
                       "      - {connector: erp, entity: orders, options: {path: /orders/batch, batch: array, wrap: records}}\n"
                       "    batch_size: 20\n"
                       "    retry: {base: 20ms, cap: 300ms, max_attempts: 1000}\n"
                       "    triggers:\n"
                       "      - webhook: {mode: payload, secret: '" + kSecret + "'}\n");
  }
  void TearDown() override {
    if (hub && hub->running()) hub->kill9(), hub->wait();
    if (mounted) ::umount2(storeDir.c_str(), MNT_DETACH);
  }

  void startHub() {
    // The shell ignores SIGXFSZ and execs the hub, which inherits the ignored
    // disposition: a write past the limit then fails instead of killing it.
    hub = std::make_unique<ChildProcess>(std::vector<std::string>{
        "/bin/sh", "-c", "trap '' XFSZ; exec \"$0\" serve --config \"$1\"", hubBinary(), config});
    const auto listening = waitForHubUrl(*hub);
    ASSERT_TRUE(listening) << hub->stderrText();
    url = *listening;
  }

  int post(int i) {
    const std::string id = "wh-" + std::to_string(i);
    const std::string body = json{{"id", key(i)}, {"qty", 1 + i % 9}}.dump();
    const std::int64_t ts = nowMillis() / 1000;
    const auto r = httpRequest("POST", url + "/webhooks/orders", body,
                               {{"Content-Type", "application/json"},
                                {"webhook-id", id},
                                {"webhook-timestamp", std::to_string(ts)},
                                {"webhook-signature", webhooks::signStandard(kSecret, id, ts, body)}},
                               5000);
    if (r.status == 503) {
      EXPECT_EQ(r.headers.count("retry-after"), 1u) << "a 503 tells the sender when to retry";
    }
    return r.status;
  }

  void breakWrites() {
    if (GetParam() == Fault::FileSizeLimit) {
      const rlimit none{0, RLIM_INFINITY};
      ASSERT_EQ(::prlimit(hub->pid(), RLIMIT_FSIZE, &none, nullptr), 0) << std::strerror(errno);
      return;
    }
    const int fd = ::open((storeDir + "/filler").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ASSERT_GE(fd, 0);
    const std::string chunk(64 * 1024, 'x');
    while (::write(fd, chunk.data(), chunk.size()) > 0) {
    }
    EXPECT_EQ(errno, ENOSPC);
    ::close(fd);
  }
  void liftFault() {
    if (GetParam() == Fault::FileSizeLimit) {
      const rlimit all{RLIM_INFINITY, RLIM_INFINITY};
      ASSERT_EQ(::prlimit(hub->pid(), RLIMIT_FSIZE, &all, nullptr), 0) << std::strerror(errno);
    } else {
      std::filesystem::remove(storeDir + "/filler");
    }
  }

  TempDir dir;
  RestSystem sink{4};
  std::string storeDir, config, url;
  std::unique_ptr<ChildProcess> hub;
  bool mounted = false;
};

TEST_P(StoreIoTest, IntakeRefusesWhatItCannotKeepAndEverythingDeliversOnceAfterTheFaultIsLifted) {
  ASSERT_NO_FATAL_FAILURE(startHub());
  for (int i = 0; i < kBefore; ++i) ASSERT_EQ(post(i), 202) << i;

  // Writes fail while the workers deliver the first deliveries.
  ASSERT_NO_FATAL_FAILURE(breakWrites());
  std::vector<int> refused;
  int accepted = 0;
  for (int i = kBefore; i < kBefore + kDuring; ++i) {
    const int status = post(i);
    if (status == 202) {
      ++accepted;
    } else {
      EXPECT_EQ(status, 503) << "delivery " << i;
      refused.push_back(i);
    }
  }
  if (GetParam() == Fault::FileSizeLimit) {
    EXPECT_EQ(accepted, 0) << "no write can succeed, so no 202";
  }
  EXPECT_FALSE(refused.empty()) << "the store never failed a write";
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  ASSERT_TRUE(hub->running()) << "the hub must keep serving\n" << hub->stderrText();
  const auto health = httpRequest("GET", url + "/healthz");
  EXPECT_EQ(health.status, 200);

  ASSERT_NO_FATAL_FAILURE(liftFault());
  // The sender retries what was refused, as a Standard Webhooks sender does.
  for (int i : refused) EXPECT_EQ(post(i), 202) << "delivery " << i << " after the fault was lifted";

  const std::size_t total = kBefore + kDuring;
  auto store = store::openStore(store::sqliteAt(storeDir + "/hub.db"));
  // Done when the sink has everything and the hub has recorded every outcome
  // (a batch whose outcome could not be written waits for its lease).
  auto settled = [&] {
    if (sink.storedCount() < total) return false;
    for (const auto& c : store->queue().counts("orders"))
      if (c.pending + c.leased + c.parked > 0) return false;
    return true;
  };
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!settled() && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_TRUE(settled()) << sink.storedCount() << " of " << total << " stored\n" << hub->stderrText();
  const auto metrics = httpRequest("GET", url + "/metrics");
  EXPECT_NE(metrics.body.find("hub_store_errors_total{"), std::string::npos) << "store failures are counted";
  stopHubServe(*hub);

  for (int i = 0; i < static_cast<int>(total); ++i) {
    ASSERT_EQ(sink.creationsOf(key(i)), 1u) << key(i) << " created twice";
    const auto rows = store->queue().history("order", key(i));
    ASSERT_EQ(rows.size(), 1u) << key(i);
    EXPECT_EQ(std::string(store::toString(rows[0].state)), "delivered") << key(i) << " reached the sink without its outcome";
  }
  expectStoreSettled(storeDir + "/hub.db", "orders");
}

INSTANTIATE_TEST_SUITE_P(R8, StoreIoTest, ::testing::Values(Fault::FileSizeLimit, Fault::FullFileSystem), name);

}  // namespace
}  // namespace hub::test
