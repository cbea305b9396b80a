#include <gtest/gtest.h>

#include <sstream>

#include "connectors/file/file_connector.h"
#include "connectors/spi/errors.h"
#include "tests/support/temp_dir.h"

namespace hub::connector::file {
namespace {

using nlohmann::json;

class FileSink : public ::testing::Test {
 protected:
  std::unique_ptr<Sink> open(json options = json::object(), const std::string& entity = "orders") {
    ConnectorContext ctx;
    ctx.config_dir = dir.path().string();
    ctx.now = [] { return Millis{1700000000000}; };
    return connectorType().create(ctx, {{"directory", "."}})->openSink(entity, options);
  }
  OutboundRecord outbound(const std::string& key, json doc) {
    OutboundRecord r;
    r.key = key;
    r.idempotency_key = "idem-" + key;
    r.document = std::move(doc);
    return r;
  }
  std::vector<json> lines(const std::string& name = "outbox/orders.jsonl") {
    std::istringstream in(test::readFile(dir.file(name)));
    std::vector<json> out;
    for (std::string l; std::getline(in, l);) out.push_back(json::parse(l));
    return out;
  }
  test::TempDir dir;
};

TEST_F(FileSink, AppendsOneEnvelopeLinePerDocument) {
  std::vector<OutboundRecord> batch = {outbound("SO-1", {{"total", 12.5}}), outbound("SO-2", {{"total", 3}})};
  const auto out = open()->push(batch);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].disposition, Disposition::Delivered);
  EXPECT_EQ(out[0].remote_id, "SO-1");
  const auto written = lines();
  ASSERT_EQ(written.size(), 2u);
  EXPECT_EQ(written[0], json({{"key", "SO-1"},
                              {"idempotency_key", "idem-SO-1"},
                              {"written_at", "2023-11-14T22:13:20.000Z"},
                              {"document", {{"total", 12.5}}}}));
}

TEST_F(FileSink, DocumentFormatWritesTheDocumentWithItsKey) {
  std::vector<OutboundRecord> batch = {outbound("C-1", {{"name", "成都经销商"}})};
  open({{"format", "document"}, {"file", "dealers.jsonl"}}, "customers")->push(batch);
  EXPECT_EQ(lines("outbox/dealers.jsonl").at(0), json({{"name", "成都经销商"}, {"_idempotency_key", "idem-C-1"}}));
}

TEST_F(FileSink, AKeyAlreadyWrittenIsDeliveredWithoutASecondLine) {
  std::vector<OutboundRecord> batch = {outbound("SO-1", {{"n", 1}})};
  open()->push(batch);
  const auto again = open()->push(batch);  // a new instance reads the keys back from the file
  EXPECT_EQ(again.at(0).disposition, Disposition::Delivered);
  EXPECT_EQ(lines().size(), 1u);
}

TEST_F(FileSink, DuplicateKeysInsideOneBatchAreWrittenOnce) {
  std::vector<OutboundRecord> batch = {outbound("SO-1", {{"n", 1}}), outbound("SO-1", {{"n", 1}})};
  const auto out = open()->push(batch);
  EXPECT_EQ(out.at(1).disposition, Disposition::Delivered);
  EXPECT_EQ(lines().size(), 1u);
}

TEST_F(FileSink, MissingRequiredFieldIsRejectedAndTheOthersAreWritten) {
  std::vector<OutboundRecord> batch = {outbound("A", {{"name", "x"}}), outbound("B", {{"name", ""}}),
                                       outbound("C", {{"name", "z"}})};
  const auto out = open({{"require", {"name"}}})->push(batch);
  EXPECT_EQ(out.at(1).disposition, Disposition::Permanent);
  EXPECT_EQ(out.at(1).error_type, "validation");
  EXPECT_NE(out.at(1).message.find("name"), std::string::npos);
  EXPECT_EQ(lines().size(), 2u);
}

TEST_F(FileSink, DocumentThatIsNotAnObjectIsRejected) {
  std::vector<OutboundRecord> batch = {outbound("A", json::array({1, 2}))};
  EXPECT_EQ(open()->push(batch).at(0).disposition, Disposition::Permanent);
}

TEST_F(FileSink, UnwritableOutboxIsRetryable) {
  dir.write("outbox/orders.jsonl/blocker", "a folder where the file should be");
  std::vector<OutboundRecord> batch = {outbound("A", {{"n", 1}})};
  EXPECT_THROW(open()->push(batch), RetryableError);
}

}  // namespace
}  // namespace hub::connector::file
