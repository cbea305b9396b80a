#include <gtest/gtest.h>

#include <filesystem>

#include "connectors/file/file_connector.h"
#include "connectors/spi/errors.h"
#include "tests/support/temp_dir.h"

namespace hub::connector::file {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

class FileSource : public ::testing::Test {
 protected:
  std::unique_ptr<Source> open(json options = json::object(), json settings = {{"directory", "."}}) {
    ConnectorContext ctx;
    ctx.config_dir = dir.path().string();
    return connectorType().create(ctx, settings)->openSource("customers", options);
  }
  std::string inbox(const std::string& name, const std::string& text) { return dir.write("inbox/" + name, text); }
  std::vector<std::string> keys(const Page& p) {
    std::vector<std::string> out;
    for (const auto& r : p.records) out.push_back(r.key);
    return out;
  }
  // Pulls a whole scan the way the engine does, committing each page's resume.
  std::vector<Record> scan(Source& s, std::size_t pageSize = 100) {
    std::vector<Record> all;
    ScanRequest req{0, "", pageSize};
    for (int i = 0; i < 100; ++i) {
      Page p = s.pull(req);
      all.insert(all.end(), p.records.begin(), p.records.end());
      if (p.done) break;
      req.resume = p.resume;
    }
    return all;
  }
  test::TempDir dir;
};

TEST_F(FileSource, ReadsFilesInNameOrderOneRecordPerLine) {
  inbox("b.jsonl", "{\"id\":\"C-3\"}\n");
  inbox("a.jsonl", "{\"id\":\"C-1\"}\n{\"id\":\"C-2\"}\n");
  auto s = open();
  const Page p = s->pull({0, "", 10});
  EXPECT_EQ(keys(p), (std::vector<std::string>{"C-1", "C-2", "C-3"}));
  EXPECT_EQ(p.records[0].payload["id"], "C-1");
}

TEST_F(FileSource, PageStopsAtPageSizeAndResumesAtTheNextByte) {
  inbox("a.jsonl", "{\"id\":1}\n{\"id\":2}\n{\"id\":3}\n");
  auto s = open();
  const Page first = s->pull({0, "", 2});
  EXPECT_EQ(keys(first), (std::vector<std::string>{"1", "2"}));
  EXPECT_FALSE(first.done);
  EXPECT_EQ(json::parse(first.resume)["offset"], 18);
  EXPECT_EQ(keys(open()->pull({0, first.resume, 2})), (std::vector<std::string>{"3"}));
}

TEST_F(FileSource, ACrashedScanResumesFromTheLastCommittedPage) {
  inbox("a.jsonl", "{\"id\":1}\n{\"id\":2}\n{\"id\":3}\n{\"id\":4}\n");
  const Page committed = open()->pull({0, "", 2});
  open()->pull({0, committed.resume, 2});  // read but never committed: the hub died
  auto restarted = open();
  EXPECT_EQ(keys(restarted->pull({0, committed.resume, 2})), (std::vector<std::string>{"3", "4"}));
}

TEST_F(FileSource, FinishedFileMovesToDoneOnlyOnTheNextPull) {
  inbox("a.jsonl", "{\"id\":1}\n");
  auto s = open();
  const Page p = s->pull({0, "", 10});
  EXPECT_FALSE(p.done) << "the page that finishes a file must be committed before the file moves";
  EXPECT_TRUE(fs::exists(dir.path() / "inbox/a.jsonl"));
  const Page last = s->pull({0, p.resume, 10});
  EXPECT_TRUE(last.done);
  EXPECT_TRUE(last.records.empty());
  EXPECT_FALSE(fs::exists(dir.path() / "inbox/a.jsonl"));
  EXPECT_TRUE(fs::exists(dir.path() / "inbox/done/a.jsonl"));
}

TEST_F(FileSource, UncommittedFinishedFileIsReadAgainByANewScan) {
  inbox("a.jsonl", "{\"id\":1}\n");
  open()->pull({0, "", 10});  // page lost before its commit
  EXPECT_EQ(keys(open()->pull({0, "", 10})), (std::vector<std::string>{"1"}));
}

TEST_F(FileSource, ReplayedResumeAfterTheMoveIsHarmless) {
  inbox("a.jsonl", "{\"id\":1}\n");
  inbox("b.jsonl", "{\"id\":2}\n{\"id\":3}\n");
  auto s = open();
  const Page p = s->pull({0, "", 1});
  s->pull({0, p.resume, 1});  // moved a.jsonl, then the hub died before committing
  EXPECT_EQ(keys(s->pull({0, p.resume, 1})), (std::vector<std::string>{"2"}));
}

TEST_F(FileSource, ScanReadsEveryLineOnceAndEmptiesTheInbox) {
  for (int f = 0; f < 3; ++f) {
    std::string text;
    for (int i = 0; i < 7; ++i) text += "{\"id\":\"" + std::to_string(f * 10 + i) + "\"}\n";
    inbox("part-" + std::to_string(f) + ".jsonl", text);
  }
  auto s = open();
  EXPECT_EQ(scan(*s, 4).size(), 21u);
  EXPECT_FALSE(fs::is_empty(dir.path() / "inbox/done"));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path() / "inbox"), fs::directory_iterator()), 1);  // done/
  EXPECT_TRUE(scan(*s, 4).empty());
}

TEST_F(FileSource, MalformedLineBecomesAProblemRecordAndTheNextLineGoesOn) {
  inbox("a.jsonl", "{\"id\":1}\n{\"id\": oops\n{\"id\":3}\n");
  const Page p = open()->pull({0, "", 10});
  ASSERT_EQ(p.records.size(), 3u);
  EXPECT_EQ(p.records[1].key, "a.jsonl:2");
  EXPECT_NE(p.records[1].problem.find("not a JSON object"), std::string::npos);
  EXPECT_EQ(p.records[1].payload["raw"], "{\"id\": oops");
  EXPECT_TRUE(p.records[2].problem.empty());
}

TEST_F(FileSource, LineWithoutTheKeyFieldIsAProblemRecord) {
  inbox("a.jsonl", "{\"name\":\"无编号\"}\n");
  const Page p = open({{"key", "code"}})->pull({0, "", 10});
  ASSERT_EQ(p.records.size(), 1u);
  EXPECT_NE(p.records[0].problem.find("no 'code' key"), std::string::npos);
}

TEST_F(FileSource, BytesThatAreNotUtf8AreKeptAsBase64) {
  inbox("a.jsonl", std::string("\xff\xfe{\n"));
  const Page p = open()->pull({0, "", 10});
  ASSERT_EQ(p.records.size(), 1u);
  EXPECT_EQ(p.records[0].payload["raw_base64"], "//57");
  EXPECT_NO_THROW((void)p.records[0].payload.dump());
}

TEST_F(FileSource, BlankLinesAndAFinalLineWithoutNewlineAreHandled) {
  inbox("a.jsonl", "\n{\"id\":1}\n  \n{\"id\":2}");
  EXPECT_EQ(keys(open()->pull({0, "", 10})), (std::vector<std::string>{"1", "2"}));
}

TEST_F(FileSource, OnlyFilesMatchingThePatternAreRead) {
  inbox("a.jsonl.tmp", "{\"id\":\"partial\"}\n");
  inbox(".hidden.jsonl", "{\"id\":\"hidden\"}\n");
  inbox("orders-1.jsonl", "{\"id\":\"O\"}\n");
  inbox("customers-1.jsonl", "{\"id\":\"C\"}\n");
  EXPECT_EQ(keys(open({{"pattern", "customers-*.jsonl"}})->pull({0, "", 10})), (std::vector<std::string>{"C"}));
}

TEST_F(FileSource, ChangeTimeIsReadAndOlderLinesAreSkippedWhenConfigured) {
  inbox("a.jsonl", "{\"id\":1,\"ts\":\"2023-11-15 06:13:19\"}\n{\"id\":2,\"ts\":\"2023-11-15 06:13:20\"}\n");
  const Page p = open({{"updated_at", "ts"}, {"updated_at_zone", "+08:00"}})->pull({1700000000000, "", 10});
  ASSERT_EQ(keys(p), (std::vector<std::string>{"2"}));
  EXPECT_EQ(p.records[0].updated_at, 1700000000000);
}

TEST_F(FileSource, AFileNameSeenBeforeIsKeptBesideTheOldOneInDone) {
  dir.write("inbox/done/a.jsonl", "old\n");
  inbox("a.jsonl", "{\"id\":1}\n");
  auto s = open();
  scan(*s);
  EXPECT_TRUE(fs::exists(dir.path() / "inbox/done/a.1.jsonl"));
  EXPECT_EQ(test::readFile((dir.path() / "inbox/done/a.jsonl").string()), "old\n");
}

TEST_F(FileSource, RelativeDirectoryResolvesAgainstTheConfigFolder) {
  dir.write("data/in/x.jsonl", "{\"id\":1}\n");
  EXPECT_EQ(open({{"inbox", "in"}}, {{"directory", "data"}})->pull({0, "", 10}).records.size(), 1u);
}

}  // namespace
}  // namespace hub::connector::file
