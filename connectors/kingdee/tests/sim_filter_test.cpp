// The FilterString grammar the simulator understands.
#include <gtest/gtest.h>

#include "connectors/kingdee/sim/sim_filter.h"

namespace hub::connector::kingdee::sim {
namespace {

using nlohmann::json;

bool match(const std::string& filter, const json& row) {
  return Filter::parse(filter).matches([&](const std::string& k) { return row.contains(k) ? row[k] : json(); });
}

const json kRow = {{"FNumber", "C001"}, {"FModifyDate", "2024-05-01T09:30:00.5"}, {"FID", 100007},
                   {"FCustId.FNumber", "KH01"}, {"FName", "O'Neil 贸易"}, {"FQty", 3.5}};

TEST(SimFilter, ComparesDatesAsInstantsWhateverTheirRendering) {
  EXPECT_TRUE(match("FModifyDate>='2024-05-01 09:30:00'", kRow));
  EXPECT_TRUE(match("FModifyDate>'2024-05-01 09:30:00'", kRow));
  EXPECT_TRUE(match("FModifyDate='2024-05-01 09:30:00.500'", kRow));
  EXPECT_FALSE(match("FModifyDate<'2024-05-01T09:30:00.5'", kRow));
  EXPECT_TRUE(match("FModifyDate<='2024-05-01T09:30:00.5'", kRow));
  EXPECT_TRUE(match("FModifyDate>='2024-05-01'", kRow));
}

TEST(SimFilter, ComparesNumbersNumerically) {
  EXPECT_TRUE(match("FID>99999", kRow));
  EXPECT_TRUE(match("FID=100007", kRow));
  EXPECT_TRUE(match("FQty<>3", kRow));
  EXPECT_TRUE(match("FQty!=3", kRow));
  EXPECT_FALSE(match("FQty<3.5", kRow));
}

TEST(SimFilter, ComparesStringsCaseInsensitively) {
  EXPECT_TRUE(match("FNumber='c001'", kRow));
  EXPECT_TRUE(match("FName='O''Neil 贸易'", kRow));
}

TEST(SimFilter, AndBindsTighterThanOr) {
  EXPECT_TRUE(match("FNumber='X' and FID=1 or FID=100007", kRow));
  EXPECT_FALSE(match("FNumber='X' and (FID=1 or FID=100007)", kRow));
}

TEST(SimFilter, KeysetContinuationExpression) {
  const std::string f = "FModifyDate>='2024-05-01 09:00:00' and (FModifyDate>'2024-05-01 09:30:00.5' or "
                        "(FModifyDate='2024-05-01 09:30:00.5' and FID>100006))";
  EXPECT_TRUE(match(f, kRow));
  EXPECT_FALSE(match("(FModifyDate>'2024-05-01 09:30:00.5' or (FModifyDate='2024-05-01 09:30:00.5' and FID>100007))", kRow));
}

TEST(SimFilter, DottedReferenceFieldsAreOneKey) {
  EXPECT_TRUE(match("FCustId.FNumber = 'KH01'", kRow));
  EXPECT_EQ(Filter::parse("FCustId.FNumber='A' AND FID>1").fields(), (std::vector<std::string>{"FCustId.FNumber", "FID"}));
}

TEST(SimFilter, InLikeNotAndIsNull) {
  EXPECT_TRUE(match("FNumber in ('C000','C001')", kRow));
  EXPECT_TRUE(match("FNumber not in ('C000')", kRow));
  EXPECT_TRUE(match("FName like 'O''N%'", kRow));
  EXPECT_TRUE(match("FNumber like 'C_01'", kRow));
  EXPECT_TRUE(match("FLot is null", kRow));
  EXPECT_TRUE(match("FNumber is not null", kRow));
  EXPECT_TRUE(match("not FNumber='X'", kRow));
}

TEST(SimFilter, NullNeverCompares) {
  EXPECT_FALSE(match("FLot='x'", kRow));
  EXPECT_FALSE(match("FLot<>'x'", kRow));
}

TEST(SimFilter, EmptyFilterMatchesEverything) { EXPECT_TRUE(match("", kRow)); }

TEST(SimFilter, SyntaxErrorsSayWhere) {
  EXPECT_THROW(Filter::parse("FID>"), FilterError);
  EXPECT_THROW(Filter::parse("FName='open"), FilterError);
  EXPECT_THROW(Filter::parse("(FID=1"), FilterError);
  EXPECT_THROW(Filter::parse("FID=1 FID=2"), FilterError);
  try {
    Filter::parse("FID # 1");
  } catch (const FilterError& e) {
    EXPECT_NE(std::string(e.what()).find("at 4"), std::string::npos) << e.what();
  }
}

// Found by fuzz/kingdee_filter.cpp (inputs in fuzz/crashers/kingdee_filter).
TEST(SimFilter, FilterEndingEarlyIsAnErrorAtItsEndNotAReadPastIt) {
  for (const std::string f : {"(FID=1", "FID is", "FID is not", "FID in (1,", "FID like", "FID >"}) {
    try {
      Filter::parse(f);
      ADD_FAILURE() << f;
    } catch (const FilterError& e) {
      EXPECT_NE(std::string(e.what()).find("at " + std::to_string(f.size())), std::string::npos) << e.what();
    }
  }
}

TEST(SimFilter, NumbersBeyondALongAreDoublesAndMalformedOnesAreRefused) {
  EXPECT_TRUE(match("FID<99999999999999999999", kRow));
  EXPECT_THROW(Filter::parse("FID=1.2.3"), FilterError);
  EXPECT_THROW(Filter::parse("FID=" + std::string(400, '9')), FilterError);
}

TEST(SimFilter, ErrorMessagesEscapeControlBytesAndKeepWholeCharacters) {
  try {
    Filter::parse(std::string("FID\x01=1"));
    ADD_FAILURE();
  } catch (const FilterError& e) {
    EXPECT_NE(std::string(e.what()).find("'\\x01' at 3"), std::string::npos) << e.what();
  }
  try {
    Filter::parse("FID=1 贸");
    ADD_FAILURE();
  } catch (const FilterError& e) {
    EXPECT_NE(std::string(e.what()).find("'贸' at 6"), std::string::npos) << e.what();
  }
}

TEST(SimFilter, StringsWithANulCompareWhole) {
  EXPECT_FALSE(match(std::string("FNumber='C001\0x'", 16), kRow));
  EXPECT_TRUE(match(std::string("FNumber<'C001\0x'", 16), kRow));
  EXPECT_TRUE(match(std::string("FNumber='C001\0'", 15), json{{"FNumber", std::string("c001\0", 5)}}));
}

TEST(SimFilter, LikeWithManyPercentSignsTakesLinearTime) {
  EXPECT_FALSE(match("FName like '" + std::string(60, '%') + "b'", kRow));
  EXPECT_TRUE(match("FName like '%n%l%贸%'", kRow));
  EXPECT_FALSE(match("FName like '%n%x%'", kRow));
  EXPECT_TRUE(match("FName like 'O_N%%'", kRow));
  EXPECT_TRUE(match("FName like '%'", kRow));
}

TEST(SimFilter, NestingIsBounded) {
  EXPECT_TRUE(match(std::string(100, '(') + "FID=100007" + std::string(100, ')'), kRow));
  EXPECT_THROW(Filter::parse(std::string(100000, '(') + "FID=1"), FilterError);
  EXPECT_THROW(Filter::parse([] { std::string s; for (int i = 0; i < 100000; ++i) s += "not "; return s + "FID=1"; }()),
               FilterError);
}

}  // namespace
}  // namespace hub::connector::kingdee::sim
