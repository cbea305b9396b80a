// Exact fixed-point decimals: parsing, arithmetic and every rounding mode.
#include <gtest/gtest.h>

#include "mappings/decimal/decimal.h"

namespace {

using hub::Decimal;
using hub::RoundingMode;

Decimal D(const char* text) {
  auto d = Decimal::parse(text);
  EXPECT_TRUE(d.has_value()) << text;
  return d.value_or(Decimal());
}

std::string rounded(const char* text, int places, RoundingMode mode = RoundingMode::HalfUp) {
  auto r = D(text).round(places, mode);
  return r ? r->toString() : "overflow";
}

TEST(Decimal, PointOnePlusPointTwoIsExactlyPointThree) {
  EXPECT_EQ(D("0.1").add(D("0.2"))->toString(), "0.3");
  EXPECT_EQ(*D("0.1").add(D("0.2")), D("0.3"));
}

TEST(Decimal, DoublesAreReadByTheirShortestDigits) {
  EXPECT_EQ(Decimal::fromDouble(0.1)->toString(), "0.1");
  EXPECT_EQ(Decimal::fromDouble(12.5)->toString(), "12.5");
  EXPECT_EQ(Decimal::fromDouble(-3.0)->toString(), "-3");
  EXPECT_EQ(Decimal::fromDouble(1e-7)->toString(), "0.0000001");
}

TEST(Decimal, ParseKeepsTheWrittenScale) {
  EXPECT_EQ(D("12.50").toString(), "12.50");
  EXPECT_EQ(D("12.50").scale(), 2);
  EXPECT_EQ(D("0.00").toString(), "0.00");
  EXPECT_EQ(D("-0.05").toString(), "-0.05");
}

TEST(Decimal, ParseAcceptsSignsExponentsAndBarePoints) {
  EXPECT_EQ(D("+7").toString(), "7");
  EXPECT_EQ(D("1.5e3").toString(), "1500");
  EXPECT_EQ(D("1.5E-3").toString(), "0.0015");
  EXPECT_EQ(D(".5").toString(), "0.5");
}

TEST(Decimal, ParseRejectsNonNumbers) {
  for (const char* bad : {"", "-", "abc", "1.2.3", "1e", "12,50", " 1", "1_000", "NaN"})
    EXPECT_FALSE(Decimal::parse(bad).has_value()) << bad;
}

TEST(Decimal, ParseRejectsMoreThan38Digits) {
  EXPECT_TRUE(Decimal::parse("99999999999999999999999999999999999999").has_value());
  EXPECT_FALSE(Decimal::parse("999999999999999999999999999999999999999").has_value());
}

TEST(Decimal, MoreThan18FractionalDigitsRoundHalfUp) {
  EXPECT_EQ(D("0.0000000000000000015").toString(), "0.000000000000000002");
}

TEST(Decimal, AdditionAlignsScales) {
  EXPECT_EQ(D("1.10").add(D("2.2"))->toString(), "3.30");
  EXPECT_EQ(D("5").sub(D("0.01"))->toString(), "4.99");
}

TEST(Decimal, MultiplicationAddsScales) {
  EXPECT_EQ(D("1.25").mul(D("0.13"))->toString(), "0.1625");
  EXPECT_EQ(D("-2.5").mul(D("4"))->toString(), "-10.0");
}

TEST(Decimal, MultiplicationOverflowIsReported) {
  const Decimal big = D("99999999999999999999999999999999999999");
  EXPECT_FALSE(big.mul(D("10")).has_value());
  EXPECT_FALSE(big.add(D("1")).has_value());
}

TEST(Decimal, DivisionRoundsToTheRequestedPlaces) {
  EXPECT_EQ(D("10").div(D("3"), 12)->toString(), "3.333333333333");
  EXPECT_EQ(D("2").div(D("3"), 2)->toString(), "0.67");
  EXPECT_EQ(D("1").div(D("8"), 2)->toString(), "0.13");
  EXPECT_EQ(D("-7").div(D("2"), 0)->toString(), "-4");
}

TEST(Decimal, DivisionByZeroGivesNothing) { EXPECT_FALSE(D("1").div(D("0.00"), 2).has_value()); }

TEST(Decimal, HalfUpRoundsTiesAwayFromZero) {
  EXPECT_EQ(rounded("2.5", 0), "3");
  EXPECT_EQ(rounded("-2.5", 0), "-3");
  EXPECT_EQ(rounded("2.345", 2), "2.35");
  EXPECT_EQ(rounded("2.4999", 0), "2");
}

TEST(Decimal, HalfEvenRoundsTiesToTheEvenNeighbour) {
  EXPECT_EQ(rounded("2.5", 0, RoundingMode::HalfEven), "2");
  EXPECT_EQ(rounded("3.5", 0, RoundingMode::HalfEven), "4");
  EXPECT_EQ(rounded("-2.5", 0, RoundingMode::HalfEven), "-2");
  EXPECT_EQ(rounded("2.51", 0, RoundingMode::HalfEven), "3");
}

TEST(Decimal, DirectedModesRoundAsNamed) {
  EXPECT_EQ(rounded("2.1", 0, RoundingMode::Up), "3");
  EXPECT_EQ(rounded("-2.1", 0, RoundingMode::Up), "-3");
  EXPECT_EQ(rounded("2.9", 0, RoundingMode::Down), "2");
  EXPECT_EQ(rounded("-2.9", 0, RoundingMode::Down), "-2");
  EXPECT_EQ(rounded("-2.1", 0, RoundingMode::Floor), "-3");
  EXPECT_EQ(rounded("-2.9", 0, RoundingMode::Ceiling), "-2");
}

TEST(Decimal, RoundingToMorePlacesPadsWithZeros) { EXPECT_EQ(rounded("2.5", 2), "2.50"); }

TEST(Decimal, NegativePlacesRoundToTensAndHundreds) {
  EXPECT_EQ(rounded("1234.5", -2), "1200");
  EXPECT_EQ(rounded("1250", -2), "1300");
}

TEST(Decimal, ComparisonIgnoresScale) {
  EXPECT_EQ(D("1.0").compare(D("1.00")), 0);
  EXPECT_LT(D("-1").compare(D("0.5")), 0);
  EXPECT_GT(D("99999999999999999999999999999999999999").compare(D("0.000000000000000001")), 0);
}

TEST(Decimal, ToDoubleGivesTheDigitsBack) {
  EXPECT_EQ(D("0.3").toDouble(), 0.3);
  EXPECT_EQ(D("12345678901.2345").toDouble(), 12345678901.2345);
}

TEST(Decimal, ToInt64OnlyForWholeValues) {
  EXPECT_EQ(D("12.00").toInt64(), 12);
  EXPECT_FALSE(D("12.01").toInt64().has_value());
}

TEST(Decimal, SignificantDigitsIgnoreTrailingZeros) {
  EXPECT_EQ(D("1.50").significantDigits(), 2);
  EXPECT_EQ(D("0.0012").significantDigits(), 2);
  EXPECT_EQ(D("120").significantDigits(), 2);
}

TEST(Decimal, RoundingModesAreParsedByName) {
  EXPECT_EQ(hub::parseRoundingMode("half_even"), RoundingMode::HalfEven);
  EXPECT_FALSE(hub::parseRoundingMode("bankers").has_value());
}

}  // namespace
