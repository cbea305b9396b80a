// The SDKs' polling save (BatchSaveQuery): BatchSave sent with beginmethod
// BeginQueryImpl / querymethod QueryAsyncResult starts as a task on the
// server, answers {Status, TaskId, Result}, and its answer is fetched by
// polling QueryAsyncResult — in the simulator, and in the sink's save_mode poll.
#include "connectors/kingdee/tests/kingdee_fixture.h"
#include "tests/support/http_client.h"

namespace hub::connector::kingdee {
namespace {

using nlohmann::json;

class KingdeeTaskTest : public KingdeeLoopback {
 protected:
  void SetUp() override {
    KingdeeLoopback::SetUp();
    seedBaseData();
  }

  // A raw DynamicFormService call in the session of one ValidateUser login.
  json post(const std::string& operation, const json& body) {
    if (sid_.empty()) {
      const auto& o = simulator.options();
      const auto login = test::httpRequest(
          "POST", simulator.baseUrl() + "Kingdee.BOS.WebApi.ServicesStub.AuthService.ValidateUser.common.kdsvc",
          json{{"parameters", {o.acct_id, o.username, o.password, 2052}}}.dump());
      sid_ = json::parse(login.body).value("KDSVCSessionId", "");
    }
    const auto res = test::httpRequest("POST", formServiceUrl(operation),
                                       body.dump(), {{"Cookie", "kdservice-sessionid=" + sid_}});
    return json::parse(res.body);
  }
  json beginSave(const std::string& dmsNumber) {
    return post("BatchSave", {{"formid", "SAL_SaleOrder"},
                              {"data", {{"Model", json::array({saleOrder(dmsNumber)})}}},
                              {"beginmethod", "BeginQueryImpl"},
                              {"querymethod", "QueryAsyncResult"}});
  }

  std::unique_ptr<Sink> pollingSink(json options = json::object(), const ConnectorContext& ctx = {}) {
    options["external_number_field"] = "F_DMS_OrderNo";
    options["save_mode"] = "poll";
    if (!options.contains("poll_interval")) options["poll_interval"] = 10;
    conn_ = connect(settings(), ctx.instance.empty() ? context() : ctx);
    return conn_->openSink("SAL_SaleOrder", options);
  }
  std::size_t bills(const std::string& dmsNumber) {
    return simulator.book().countWhere("SAL_SaleOrder", "F_DMS_OrderNo", dmsNumber);
  }

  std::string sid_;
  std::unique_ptr<Connector> conn_;
};

TEST_F(KingdeeTaskTest, SimulatorBeginsTheSaveAsATaskAndAnswersItsTaskId) {
  const json begun = beginSave("SO-1");
  ASSERT_TRUE(begun.contains("TaskId")) << begun.dump();
  EXPECT_FALSE(begun["TaskId"].get<std::string>().empty());
  EXPECT_EQ(begun["Status"], 1) << "running: its answer comes through QueryAsyncResult";
  EXPECT_TRUE(begun["Result"].is_null());
  EXPECT_EQ(bills("SO-1"), 1u) << "the server does the work whether or not anybody asks for the answer";
}

TEST_F(KingdeeTaskTest, SimulatorAnswersTheSaveThroughQueryAsyncResultOnceTheTaskIsComplete) {
  const std::string task = beginSave("SO-1")["TaskId"];
  // The Python SDK's form: queryInfo, a JSON text.
  const json done = post("QueryAsyncResult", {{"queryInfo", json{{"TaskId", task}, {"Cancelled", false}}.dump()}});
  EXPECT_EQ(done["Status"], 2) << done.dump();
  EXPECT_EQ(done["TaskId"], task);
  EXPECT_EQ(done["Result"]["Result"]["ResponseStatus"]["IsSuccess"], true);
  EXPECT_EQ(done["Result"]["Result"]["ResponseStatus"]["SuccessEntitys"][0]["Number"], "XSDD000001");
}

TEST_F(KingdeeTaskTest, SimulatorAcceptsTheJavaSdksPositionalTaskQuery) {
  const std::string task = beginSave("SO-1")["TaskId"];
  const json done = post("QueryAsyncResult", {{"parameters", json::array({{{"TaskId", task}, {"Cancelled", false}}})}});
  EXPECT_EQ(done["Status"], 2) << done.dump();
}

TEST_F(KingdeeTaskTest, SimulatorKeepsATaskRunningForAsManyPollsAsItIsTold) {
  simulator.setTaskRunningPolls(2);
  const std::string task = beginSave("SO-1")["TaskId"];
  const json query = {{"queryInfo", json{{"TaskId", task}, {"Cancelled", false}}.dump()}};
  EXPECT_EQ(post("QueryAsyncResult", query)["Status"], 1);
  EXPECT_EQ(post("QueryAsyncResult", query)["Status"], 1);
  EXPECT_EQ(post("QueryAsyncResult", query)["Status"], 2);
}

TEST_F(KingdeeTaskTest, PollModeDeliversWhatTheTaskSaved) {
  auto sink = pollingSink();
  std::vector<OutboundRecord> batch = {outbound("SO-1", saleOrder("SO-1")), outbound("SO-2", saleOrder("SO-2"))};
  const auto out = sink->push(batch);
  for (const auto& o : out) EXPECT_EQ(o.disposition, Disposition::Delivered) << o.message;
  EXPECT_EQ(out[0].remote_number, "XSDD000001");
  EXPECT_EQ(bills("SO-1") + bills("SO-2"), 2u);
  EXPECT_EQ(simulator.calls("BatchSave"), 1);
  EXPECT_EQ(simulator.calls("QueryAsyncResult"), 1);
}

TEST_F(KingdeeTaskTest, PollModeReportsPerRecordErrorsFromTheTasksAnswer) {
  auto sink = pollingSink();
  std::vector<OutboundRecord> batch = {outbound("SO-1", saleOrder("SO-1")), outbound("SO-2", saleOrder("SO-2", "C404"))};
  const auto out = sink->push(batch);
  EXPECT_EQ(out[0].disposition, Disposition::Delivered) << out[0].message;
  EXPECT_EQ(out[1].disposition, Disposition::Permanent);
  EXPECT_NE(out[1].message.find("C404"), std::string::npos) << out[1].message;
}

TEST_F(KingdeeTaskTest, PollsThatRunOutAreAmbiguousAndTheRetryFindsTheBill) {
  simulator.setTaskRunningPolls(1000);
  auto sink = pollingSink({{"max_polls", 3}});
  std::vector<OutboundRecord> batch = {outbound("SO-1", saleOrder("SO-1"))};
  try {
    sink->push(batch);
    FAIL() << "a task still running is no outcome";
  } catch (const RetryableError& e) {
    EXPECT_TRUE(e.ambiguous) << e.what();
    EXPECT_EQ(e.error_type, "task_running");
  }
  EXPECT_EQ(simulator.calls("QueryAsyncResult"), 3);
  batch[0].attempt = 2;
  batch[0].previous_attempt_ambiguous = true;
  EXPECT_EQ(sink->push(batch)[0].disposition, Disposition::Delivered);
  EXPECT_EQ(bills("SO-1"), 1u);
  EXPECT_EQ(simulator.calls("BatchSave"), 1) << "found by its external number, not saved again";
}

TEST_F(KingdeeTaskTest, AFailedPollIsAskedAgainWithinMaxPolls) {
  auto sink = pollingSink({{"max_polls", 3}});
  simulator.inject({sim::FaultKind::ServerError, "QueryAsyncResult", 1, 503});
  std::vector<OutboundRecord> batch = {outbound("SO-1", saleOrder("SO-1"))};
  EXPECT_EQ(sink->push(batch)[0].disposition, Disposition::Delivered);
  EXPECT_EQ(simulator.calls("QueryAsyncResult"), 2);
}

TEST_F(KingdeeTaskTest, AbortAtTheShutdownDeadlineEndsTheWaitBetweenPolls) {
  simulator.setTaskRunningPolls(1000);
  std::atomic<bool> abort{false};
  ConnectorContext ctx = context();
  ctx.aborted = [&] { return abort.load(); };
  auto sink = pollingSink({{"poll_interval", 30000}, {"max_polls", 5}}, ctx);
  std::thread deadline([&] {
    waitUntil([&] { return simulator.calls("BatchSave") > 0; });
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the begin call answered; now it waits
    abort = true;
  });
  std::vector<OutboundRecord> batch = {outbound("SO-1", saleOrder("SO-1"))};
  const auto started = std::chrono::steady_clock::now();
  const auto error = retryableErrorOf([&] { sink->push(batch); });
  deadline.join();
  ASSERT_TRUE(error) << "the wait was not interrupted";
  EXPECT_EQ(error->error_type, "aborted");
  EXPECT_TRUE(error->ambiguous);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  EXPECT_EQ(simulator.calls("QueryAsyncResult"), 0);
}

}  // namespace
}  // namespace hub::connector::kingdee
