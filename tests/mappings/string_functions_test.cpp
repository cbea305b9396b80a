// concat, upper, lower, trim, substr, pad_left, pad_right, replace, split:
// characters, not bytes; null in, null out.
#include "tests/mappings/hub_eval.h"

namespace {

using hub::mapping::test::HubEval;
using nlohmann::json;
using hub::jmes::ErrorKind;

TEST(ConcatFunction, JoinsTextNumbersAndBooleansSkippingNulls) {
  HubEval ev;
  EXPECT_EQ(ev.value("concat(city, '-', no, '-', missing, flag)", json{{"city", "上海"}, {"no", 12.5}, {"flag", true}}),
            "上海-12.5-true");
}

TEST(ConcatFunction, DecimalsKeepTheirDigits) {
  HubEval ev;
  EXPECT_EQ(ev.value("concat('¥', round(`3`, `2`))"), "¥3.00");
}

TEST(ConcatFunction, ArraysAreInvalidType) {
  HubEval ev;
  const auto e = ev.error("concat('a', `[1]`)");
  EXPECT_EQ(e.kind, ErrorKind::InvalidType);
  EXPECT_NE(e.message.find("concat() argument 2"), std::string::npos);
}

TEST(UpperFunction, ChangesLatinLettersAndLeavesChineseAlone) {
  HubEval ev;
  EXPECT_EQ(ev.value("upper('sku-a1 青岛')"), "SKU-A1 青岛");
}

TEST(UpperFunction, ChangesFullWidthLatinLetters) {
  HubEval ev;
  EXPECT_EQ(ev.value("upper('ａｂｃ')"), "ＡＢＣ");
  EXPECT_EQ(ev.value("lower('ＡＢＣ')"), "ａｂｃ");
}

TEST(LowerFunction, LowersAscii) {
  HubEval ev;
  EXPECT_EQ(ev.value("lower('CNY')"), "cny");
}

TEST(UpperFunction, NullGivesNullAndNumbersAreInvalidType) {
  HubEval ev;
  EXPECT_EQ(ev.value("upper(missing)"), nullptr);
  EXPECT_EQ(ev.error("upper(`1`)").kind, ErrorKind::InvalidType);
}

TEST(TrimFunction, RemovesAsciiAndIdeographicSpaces) {
  HubEval ev;
  EXPECT_EQ(ev.value("trim(@)", "\u3000 王晓明\t\u00a0"), "王晓明");
  EXPECT_EQ(ev.value("trim('   ')"), "");
}

TEST(SubstrFunction, CountsCharacters) {
  HubEval ev;
  EXPECT_EQ(ev.value("substr('上海华润万家', `2`, `2`)"), "华润");
  EXPECT_EQ(ev.value("substr('上海华润万家', `4`)"), "万家");
}

TEST(SubstrFunction, NegativeStartCountsFromTheEnd) {
  HubEval ev;
  EXPECT_EQ(ev.value("substr('SO-000123', `-3`)"), "123");
}

TEST(SubstrFunction, OutOfRangeGivesEmptyText) {
  HubEval ev;
  EXPECT_EQ(ev.value("substr('abc', `10`)"), "");
  EXPECT_EQ(ev.value("substr('abc', `1`, `100`)"), "bc");
}

TEST(SubstrFunction, NegativeLengthIsInvalidValue) {
  HubEval ev;
  EXPECT_EQ(ev.error("substr('abc', `0`, `-1`)").kind, ErrorKind::InvalidValue);
}

TEST(PadLeftFunction, PadsNumbersToAWidth) {
  HubEval ev;
  EXPECT_EQ(ev.value("pad_left(`42`, `6`, '0')"), "000042");
  EXPECT_EQ(ev.value("pad_left('1234567', `3`, '0')"), "1234567");
}

TEST(PadLeftFunction, CountsCharactersOfChineseText) {
  HubEval ev;
  EXPECT_EQ(ev.value("pad_left('华润', `4`, '＊')"), "＊＊华润");
}

TEST(PadLeftFunction, PaddingMustBeOneCharacter) {
  HubEval ev;
  EXPECT_EQ(ev.error("pad_left('1', `3`, p)", json{{"p", "00"}}).kind, ErrorKind::InvalidValue);
}

TEST(PadLeftFunction, WidthBeyond4096IsInvalidValueNotGigabytesOfPadding) {
  HubEval ev;
  EXPECT_EQ(ev.error("pad_left('1', `4999990003`, '0')").kind, ErrorKind::InvalidValue);
  EXPECT_EQ(ev.value("pad_left('', `4096`)").get<std::string>().size(), 4096u);
}

TEST(PadRightFunction, PadsWithSpacesByDefault) {
  HubEval ev;
  EXPECT_EQ(ev.value("pad_right('ab', `4`)"), "ab  ");
}

TEST(ReplaceFunction, ReplacesEveryOccurrence) {
  HubEval ev;
  EXPECT_EQ(ev.value("replace('500ml*12*1', '*', '×')"), "500ml×12×1");
}

TEST(ReplaceFunction, EmptySearchTextIsInvalidValue) {
  HubEval ev;
  EXPECT_EQ(ev.error("replace('abc', '', 'x')").kind, ErrorKind::InvalidValue);
}

TEST(SplitFunction, SplitsOnASeparator) {
  HubEval ev;
  EXPECT_EQ(ev.value("split('上海市/浦东新区/张杨路', '/')"), json({"上海市", "浦东新区", "张杨路"}));
  EXPECT_EQ(ev.value("split('a,,b', ',')"), json({"a", "", "b"}));
}

TEST(SplitFunction, EmptySeparatorSplitsIntoCharacters) {
  HubEval ev;
  EXPECT_EQ(ev.value("split('青岛', '')"), json({"青", "岛"}));
}

TEST(SplitFunction, NullGivesNull) {
  HubEval ev;
  EXPECT_EQ(ev.value("split(missing, ',')"), nullptr);
}

}  // namespace
