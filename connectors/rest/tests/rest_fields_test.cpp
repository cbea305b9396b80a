#include <gtest/gtest.h>

#include "connectors/rest/record_fields.h"

namespace hub::connector::rest {
namespace {

using nlohmann::json;

TEST(RecordFields, DottedPathWalksObjectsAndArrayIndexes) {
  const json doc = {{"data", {{"items", {{{"id", 7}}, {{"id", 8}}}}}}};
  ASSERT_NE(findPath(doc, "data.items.1.id"), nullptr);
  EXPECT_EQ(*findPath(doc, "data.items.1.id"), 8);
}

TEST(RecordFields, JsonPointerIsAcceptedWithEscapes) {
  const json doc = {{"a/b", {{"c~d", "x"}}}};
  ASSERT_NE(findPath(doc, "/a~1b/c~0d"), nullptr);
  EXPECT_EQ(*findPath(doc, "/a~1b/c~0d"), "x");
}

TEST(RecordFields, JsonPointerEscapesAreReadInOnePass) {
  const json doc = {{"~1", "tilde-one"}, {"/", "slash"}};
  ASSERT_NE(findPath(doc, "/~01"), nullptr);
  EXPECT_EQ(*findPath(doc, "/~01"), "tilde-one");
}

TEST(RecordFields, AnArrayIndexBeyondAnyArrayIsMissingNotAnError) {
  const json doc = {{"items", json::array({1})}};
  EXPECT_EQ(findPath(doc, "items.99999999999999999999999"), nullptr);
}

TEST(RecordFields, MissingStepGivesNull) {
  const json doc = {{"a", {{"b", 1}}}};
  EXPECT_EQ(findPath(doc, "a.c"), nullptr);
  EXPECT_EQ(findPath(doc, "a.b.c"), nullptr);
}

TEST(RecordFields, EmptyPathIsTheDocumentItself) {
  const json doc = json::array({1, 2});
  EXPECT_EQ(findPath(doc, ""), &doc);
}

TEST(RecordFields, NumericKeysBecomeTextWithoutQuotes) {
  EXPECT_EQ(keyText(json(42)), "42");
  EXPECT_EQ(keyText(json("C-1")), "C-1");
  EXPECT_EQ(keyText(json::object()), "");
}

TEST(RecordFields, ZoneLessIsoTimeIsReadAtTheConfiguredOffset) {
  const auto shanghai = parseZoneOffset("+08:00");
  ASSERT_TRUE(shanghai);
  EXPECT_EQ(*shanghai, 480);
  // 2023-11-14 22:13:20 UTC = 2023-11-15 06:13:20 in Beijing
  EXPECT_EQ(readInstant(json("2023-11-15 06:13:20"), TimeFormat::Iso, *shanghai), 1700000000000);
  EXPECT_EQ(readInstant(json("2023-11-14T22:13:20Z"), TimeFormat::Iso, *shanghai), 1700000000000);
}

TEST(RecordFields, EpochFormatsReadNumbersAndNumericStrings) {
  EXPECT_EQ(readInstant(json(1700000000), TimeFormat::EpochSeconds), 1700000000000);
  EXPECT_EQ(readInstant(json("1700000000123"), TimeFormat::EpochMillis), 1700000000123);
  EXPECT_EQ(readInstant(json(1700000000123), TimeFormat::Iso), 1700000000123);
}

TEST(RecordFields, TimeBeyondWhatMillisHoldsGivesNothing) {
  EXPECT_FALSE(readInstant(json("99999999999999999999"), TimeFormat::EpochMillis));
  EXPECT_FALSE(readInstant(json(1e300), TimeFormat::EpochSeconds));
}

TEST(RecordFields, UnreadableTimeGivesNothing) {
  EXPECT_FALSE(readInstant(json("yesterday"), TimeFormat::Iso));
  EXPECT_FALSE(readInstant(json::object(), TimeFormat::Iso));
  EXPECT_FALSE(parseZoneOffset("Beijing"));
}

TEST(RecordFields, InstantsFormatForQueries) {
  EXPECT_EQ(formatInstant(1700000000123, TimeFormat::Iso), "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(formatInstant(1700000000123, TimeFormat::EpochSeconds), "1700000000");
  EXPECT_EQ(formatInstant(1700000000123, TimeFormat::EpochMillis), "1700000000123");
}

}  // namespace
}  // namespace hub::connector::rest
