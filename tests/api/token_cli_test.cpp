// `hub token create | list | revoke` as a real process against the store a
// running `hub serve` uses: the value is printed once, never listed, and a
// revoked token is refused at once.
#include "hub/api/auth.h"
#include "tests/api/hub_process.h"

namespace hub::api::test {
namespace {

class TokenCliTest : public HubProcessTest {
 protected:
  void SetUp() override { writeConfig(flow("orders")); }
  // The id `hub token create` reports on stderr ("token 3 (...) created").
  static std::string idFrom(const CliRun& r) {
    const auto at = r.err.find("token ");
    return at == std::string::npos ? "" : r.err.substr(at + 6, r.err.find(' ', at + 6) - at - 6);
  }
};

TEST_F(TokenCliTest, CreatePrintsOnlyTheTokenOnStdoutAndExitsZero) {
  const auto r = cli({"token", "create", "--role", "operator", "--name", "ci-bot"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("hubtok_", 0), 0u) << r.out;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << "exactly one line, the token:\n" << r.out;
  EXPECT_NE(r.err.find("shown only now"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("hubtok_"), std::string::npos) << "the token is printed once, on stdout";
}

TEST_F(TokenCliTest, CreatedTokenCarriesItsRoleOnTheApi) {
  const std::string viewer = createToken("viewer");
  serve();
  EXPECT_EQ(get("/api/v1/flows", viewer).status, 200);
  EXPECT_EQ(post("/api/v1/flows/orders/run", viewer).status, 403);
}

TEST_F(TokenCliTest, ListShowsNameAndRoleButNeverTheValueOrItsHash) {
  const auto created = cli({"token", "create", "--role", "admin", "--name", "release-bot"});
  ASSERT_EQ(created.code, 0) << created.err;
  const std::string value = created.out.substr(0, created.out.find('\n'));
  const auto r = cli({"token", "list"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("release-bot"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("admin"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find(value), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find(value.substr(7, 12)), std::string::npos) << "not even part of it:\n" << r.out;
  EXPECT_EQ(r.out.find(tokenHash(value)), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find(tokenHash(value).substr(0, 12)), std::string::npos) << r.out;
}

TEST_F(TokenCliTest, TheApiListsTokensWithoutValueOrHashToo) {
  const std::string admin = createToken("admin");
  serve();
  const auto res = get("/api/v1/tokens", admin);
  ASSERT_EQ(res.status, 200);
  EXPECT_EQ(res.body.find(admin), std::string::npos);
  EXPECT_EQ(res.body.find(tokenHash(admin)), std::string::npos);
}

TEST_F(TokenCliTest, RevokedTokenIsRefusedAtOnceByTheRunningHub) {
  const auto created = cli({"token", "create", "--role", "admin"});
  ASSERT_EQ(created.code, 0) << created.err;
  const std::string value = created.out.substr(0, created.out.find('\n'));
  serve();
  ASSERT_EQ(get("/api/v1/flows", value).status, 200);
  const auto r = cli({"token", "revoke", idFrom(created)});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(get("/api/v1/flows", value).status, 401);
}

TEST_F(TokenCliTest, RevokingAnUnknownTokenFails) {
  const auto r = cli({"token", "revoke", "999"});
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("999"), std::string::npos) << r.err;
}

TEST_F(TokenCliTest, RevokeWithAnIdThatIsNotANumberIsAUsageError) {
  const auto r = cli({"token", "revoke", "admin-1"});
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("admin-1"), std::string::npos) << r.err;
}

TEST_F(TokenCliTest, InvalidRoleIsAUsageErrorAndCreatesNothing) {
  const auto r = cli({"token", "create", "--role", "root"});
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("admin, operator or viewer"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
  const auto list = cli({"token", "list"});
  EXPECT_EQ(list.out.find("root"), std::string::npos) << list.out;
}

TEST_F(TokenCliTest, MissingRoleIsAUsageError) {
  const auto r = cli({"token", "create"});
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_EQ(r.out, "");
}

}  // namespace
}  // namespace hub::api::test
