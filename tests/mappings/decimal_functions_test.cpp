// add, sub, mul, div, round, sum_decimal: exact, null-propagating, strict about types.
#include "tests/mappings/hub_eval.h"

namespace {

using hub::mapping::test::HubEval;
using nlohmann::json;
using hub::jmes::ErrorKind;

// Decimals print exactly with to_string(); as JSON they are numbers.
std::string text(HubEval& ev, const std::string& expr, const json& doc = json::object()) {
  auto r = ev("to_string(" + expr + ")", doc);
  EXPECT_TRUE(r.has_value()) << expr << ": " << (r ? "" : r.error().format());
  return r ? r->get<std::string>() : "<error>";
}

TEST(AddFunction, AddsJsonDoublesExactly) {
  HubEval ev;
  EXPECT_EQ(text(ev, "add(a, b)", json{{"a", 0.1}, {"b", 0.2}}), "0.3");
  EXPECT_EQ(ev.value("add(a, b)", json{{"a", 0.1}, {"b", 0.2}}), 0.3);
}

TEST(AddFunction, AcceptsNumericStringsAndKeepsTheirScale) {
  HubEval ev;
  EXPECT_EQ(text(ev, "add('12.50', '0.25', `1`)"), "13.75");
  EXPECT_EQ(text(ev, "add('1.10', '2.20')"), "3.30");
}

TEST(AddFunction, WholeResultsAreJsonIntegers) {
  HubEval ev;
  const json r = ev.value("add(`1`, '2.00')");
  EXPECT_TRUE(r.is_number_integer()) << r.dump();
  EXPECT_EQ(r, 3);
}

TEST(AddFunction, NullArgumentGivesNull) {
  HubEval ev;
  EXPECT_EQ(ev.value("add(missing, `1`)"), nullptr);
}

TEST(AddFunction, NonNumericStringIsInvalidValueNamingTheArgument) {
  HubEval ev;
  const auto e = ev.error("add(`1`, 'abc')");
  EXPECT_EQ(e.kind, ErrorKind::InvalidValue);
  EXPECT_NE(e.message.find("add() argument 2"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("\"abc\" is not a decimal number"), std::string::npos) << e.message;
}

TEST(AddFunction, ObjectArgumentIsInvalidType) {
  HubEval ev;
  EXPECT_EQ(ev.error("add(@, `1`)").kind, ErrorKind::InvalidType);
}

TEST(AddFunction, NeedsAtLeastTwoArguments) {
  HubEval ev;
  EXPECT_EQ(ev.error("add(`1`)").kind, ErrorKind::InvalidArity);
}

TEST(SubFunction, SubtractsExactly) {
  HubEval ev;
  EXPECT_EQ(text(ev, "sub('100.00', '0.01')"), "99.99");
  EXPECT_EQ(text(ev, "sub(`0.3`, `0.1`)"), "0.2");
}

TEST(MulFunction, MultipliesExactlyWithTheSumOfScales) {
  HubEval ev;
  EXPECT_EQ(text(ev, "mul(`1.1`, `1.1`)"), "1.21");
  EXPECT_EQ(text(ev, "mul(qty, price)", json{{"qty", "3"}, {"price", "19.99"}}), "59.97");
  EXPECT_EQ(text(ev, "mul(`0.13`, `100`)"), "13.00");
}

TEST(MulFunction, OverflowIsInvalidValue) {
  HubEval ev;
  EXPECT_EQ(ev.error("mul('99999999999999999999999999999999999999', `10`)").kind, ErrorKind::InvalidValue);
}

TEST(DivFunction, WithoutPlacesKeepsTwelveDigitsAndDropsTrailingZeros) {
  HubEval ev;
  EXPECT_EQ(text(ev, "div(`10`, `4`)"), "2.5");
  EXPECT_EQ(text(ev, "div(`10`, `3`)"), "3.333333333333");
}

TEST(DivFunction, WithPlacesRoundsHalfUp) {
  HubEval ev;
  EXPECT_EQ(text(ev, "div(`2`, `3`, `2`)"), "0.67");
  EXPECT_EQ(text(ev, "div('113.00', '1.13', `2`)"), "100.00");
}

TEST(DivFunction, DivisionByZeroIsInvalidValue) {
  HubEval ev;
  const auto e = ev.error("div(`1`, '0.00')");
  EXPECT_EQ(e.kind, ErrorKind::InvalidValue);
  EXPECT_NE(e.message.find("division by zero"), std::string::npos);
}

TEST(RoundFunction, DefaultsToHalfUp) {
  HubEval ev;
  EXPECT_EQ(text(ev, "round(`2.345`, `2`)"), "2.35");
  EXPECT_EQ(text(ev, "round(`-2.5`, `0`)"), "-3");
  EXPECT_EQ(text(ev, "round('1.005', `2`)"), "1.01");
}

TEST(RoundFunction, AcceptsOtherModes) {
  HubEval ev;
  EXPECT_EQ(text(ev, "round(`2.5`, `0`, 'half_even')"), "2");
  EXPECT_EQ(text(ev, "round(`2.01`, `0`, 'ceiling')"), "3");
  EXPECT_EQ(text(ev, "round(`2.99`, `0`, 'down')"), "2");
}

TEST(RoundFunction, KeepsTheRequestedScaleAsText) {
  HubEval ev;
  EXPECT_EQ(text(ev, "round(`12.5`, `2`)"), "12.50");
}

TEST(RoundFunction, UnknownModeIsInvalidValue) {
  HubEval ev;
  EXPECT_EQ(ev.error("round(`1`, `0`, mode)", json{{"mode", "bankers"}}).kind, ErrorKind::InvalidValue);
}

TEST(RoundFunction, FractionalPlacesAreInvalidValue) {
  HubEval ev;
  EXPECT_EQ(ev.error("round(`1`, `1.5`)").kind, ErrorKind::InvalidValue);
}

TEST(RoundFunction, NullGivesNull) {
  HubEval ev;
  EXPECT_EQ(ev.value("round(nothing, `2`)"), nullptr);
}

TEST(SumDecimalFunction, SumsAProjectionExactly) {
  HubEval ev;
  const json doc = json::parse(R"({"lines":[{"amt":0.1},{"amt":"0.2"},{"amt":null},{"amt":0.3}]})");
  EXPECT_EQ(text(ev, "sum_decimal(lines[*].amt)", doc), "0.6");
  EXPECT_EQ(text(ev, "sum_decimal(`[]`)"), "0");
}

TEST(SumDecimalFunction, RejectsNonNumericElements) {
  HubEval ev;
  EXPECT_EQ(ev.error("sum_decimal(`[1, {}]`)").kind, ErrorKind::InvalidType);
}

TEST(DecimalComparison, DecimalsCompareWithJsonNumbers) {
  HubEval ev;
  EXPECT_EQ(ev.value("add(`0.1`, `0.2`) == `0.3`"), true);
  EXPECT_EQ(ev.value("mul(`2`, `3`) > `5.5`"), true);
}

}  // namespace
