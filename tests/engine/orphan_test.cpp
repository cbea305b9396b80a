// At start the engine releases what processes of this host that can no longer
// finish it still hold: run claims and leases whose owner names a process that
// exited, or no process at all. A live process's claims stay.
#include <unistd.h>

#include <algorithm>

#include "tests/engine/engine_fixture.h"

namespace hub::test {
namespace {

class OrphanTest : public EngineTest {
 protected:
  static std::string host() {
    char name[256] = {0};
    gethostname(name, sizeof name - 1);
    return name;
  }
  // Claims `flow` for `owner` in the hub's store before the engine starts.
  void claimBeforeStart(const std::string& flow, const std::string& owner) {
    auto s = store::openStore(store::sqliteAt(dir.file("hub.db"), busyTimeout));
    ASSERT_TRUE(s->claims().claim(flow, owner, SystemClock::instance().now(), 3600000).held);
  }
  bool claimed(const std::string& owner) {
    const auto claims = store->claims().list();
    return std::any_of(claims.begin(), claims.end(), [&](const store::RunClaim& c) { return c.owner == owner; });
  }
};

TEST_F(OrphanTest, ClaimOfAnOwnerWhosePidNoProcessIdCanHoldIsReleased) {
  const std::string owner = host() + ":99999999999999999999:old-engine";
  claimBeforeStart("a", owner);
  start(kOrdersFlow);
  EXPECT_FALSE(claimed(owner));
}

TEST_F(OrphanTest, ClaimOfAnOwnerWithoutAProcessIdIsReleased) {
  const std::string owner = host() + ":not-a-pid";
  claimBeforeStart("a", owner);
  start(kOrdersFlow);
  EXPECT_FALSE(claimed(owner));
}

TEST_F(OrphanTest, ClaimOfALiveProcessOfThisHostStays) {
  const std::string owner = host() + ":" + std::to_string(getppid());
  claimBeforeStart("a", owner);
  start(kOrdersFlow);
  EXPECT_TRUE(claimed(owner));
}

TEST_F(OrphanTest, ClaimOfAnotherHostStays) {
  const std::string owner = "some-other-host:1";
  claimBeforeStart("a", owner);
  start(kOrdersFlow);
  EXPECT_TRUE(claimed(owner));
}

}  // namespace
}  // namespace hub::test
