// A child process writing to the store is killed with SIGKILL mid-stream; the
// reopened store must be intact and hold every commit the child reported.
#include <random>
#include <sstream>
#include <thread>

#include "tests/store/store_fixture.h"
#include "tests/support/child_process.h"
#include "tests/support/paths.h"

namespace hub::test {
namespace {

long lastReported(const std::string& out) {
  long last = 0;
  std::istringstream in(out);
  std::string word;
  long n;
  while (in >> word >> n)
    if (word == "committed") last = n;
  return last;
}

TEST(StoreCrashTest, KilledWriterLeavesAConsistentStoreWithEveryReportedCommit) {
  TempDir dir;
  const std::string path = dir.file("hub.db");
  const std::string writer = (binaryDir() / "tests" / "store" / "store_crash_writer").string();
  std::mt19937 rng(20261123);
  long resumeAt = 0;
  for (int round = 0; round < 3; ++round) {
    ChildProcess child({writer, path, std::to_string(resumeAt)});
    ASSERT_TRUE(child.waitForLine("committed")) << child.stderrText();
    std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(20, 200)(rng)));
    child.kill9();
    ASSERT_EQ(child.wait(), 128 + 9);
    const long reported = lastReported(child.stdoutText());
    ASSERT_GT(reported, resumeAt);

    auto store = store::openStore(store::sqliteAt(path));
    EXPECT_TRUE(store->integrityCheck().ok()) << "round " << round;
    // Every record up to the last reported commit is queued exactly once.
    for (long k = resumeAt; k < reported; k += 97) {
      const auto rows = store->queue().history("order", "K" + std::to_string(k));
      EXPECT_EQ(rows.size(), 1u) << "K" << k << " round " << round;
    }
    EXPECT_EQ(store->queue().history("order", "K" + std::to_string(reported - 1)).size(), 1u);
    // The cursor is never behind what was committed with it.
    const auto cursor = nlohmann::json::parse(store->flows().get("crash").cursor.value_or("{}"));
    EXPECT_GE(cursor.value("next", 0L), reported);
    resumeAt = cursor.value("next", 0L);
  }
}

}  // namespace
}  // namespace hub::test
