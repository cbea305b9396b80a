// The JMESPath engine as a library: errors with kinds and columns, borrowed
// results, host functions, static type checks.
#include <thread>

#include <gtest/gtest.h>

#include "mappings/jmespath/jmespath.h"

namespace {

using namespace hub::jmes;

Error compileError(const std::string& expr) {
  auto e = compile(expr);
  EXPECT_FALSE(e.has_value()) << expr << " compiled";
  return e ? Error{} : e.error();
}

Error runtimeError(const std::string& expr, const Json& doc) {
  auto e = compile(expr);
  EXPECT_TRUE(e.has_value()) << expr;
  auto r = e->search(doc);
  EXPECT_FALSE(r.has_value()) << expr << " gave " << (r ? r->dump() : "");
  return r ? Error{} : r.error();
}

TEST(JmespathErrors, SyntaxErrorNamesTheColumn) {
  const Error e = compileError("foo.bar.]");
  EXPECT_EQ(e.kind, ErrorKind::Syntax);
  EXPECT_EQ(e.column, 9u);
  EXPECT_NE(e.message.find("after '.'"), std::string::npos) << e.message;
  EXPECT_EQ(e.format().substr(0, 22), "syntax error at column");
}

TEST(JmespathErrors, ColumnsCountCharactersNotBytes) {
  const Error e = compileError("'箱箱' | foo[");
  EXPECT_EQ(e.column, 12u);
}

TEST(JmespathErrors, UnclosedLiteralPointsAtItsStart) {
  const Error e = compileError("a || `{\"b\": 1}");
  EXPECT_EQ(e.column, 6u);
  EXPECT_NE(e.message.find("unclosed"), std::string::npos);
}

TEST(JmespathErrors, UnknownFunctionIsFoundAtCompileTimeWithASuggestion) {
  const Error e = compileError("lenght(foo)");
  EXPECT_EQ(e.kind, ErrorKind::UnknownFunction);
  EXPECT_EQ(e.column, 1u);
  EXPECT_NE(e.message.find("did you mean 'length'"), std::string::npos) << e.message;
}

TEST(JmespathErrors, WrongArgumentCountIsFoundAtCompileTime) {
  const Error e = compileError("a | abs(b, c)");
  EXPECT_EQ(e.kind, ErrorKind::InvalidArity);
  EXPECT_EQ(e.column, 5u);
  EXPECT_NE(e.message.find("abs() takes 1 argument, got 2"), std::string::npos) << e.message;
}

TEST(JmespathErrors, TypeErrorNamesFunctionAndArgument) {
  const Error e = runtimeError("abs(name)", Json{{"name", "x"}});
  EXPECT_EQ(e.kind, ErrorKind::InvalidType);
  EXPECT_NE(e.message.find("abs() argument 1"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("expected number, got string"), std::string::npos) << e.message;
  EXPECT_EQ(e.value, "x");
}

TEST(JmespathErrors, ArrayElementTypeErrorsAreInvalidType) {
  const Error e = runtimeError("sum(a)", Json{{"a", {1, "2"}}});
  EXPECT_EQ(e.kind, ErrorKind::InvalidType);
  EXPECT_NE(e.message.find("sum() argument 1"), std::string::npos);
}

TEST(JmespathErrors, ZeroSliceStepIsInvalidValue) { EXPECT_EQ(compileError("a[::0]").kind, ErrorKind::InvalidValue); }

TEST(JmespathErrors, KindsHaveTheSpecificationNames) {
  EXPECT_EQ(errorKindName(ErrorKind::Syntax), "syntax");
  EXPECT_EQ(errorKindName(ErrorKind::InvalidType), "invalid-type");
  EXPECT_EQ(errorKindName(ErrorKind::InvalidArity), "invalid-arity");
  EXPECT_EQ(errorKindName(ErrorKind::UnknownFunction), "unknown-function");
  EXPECT_EQ(errorKindName(ErrorKind::InvalidValue), "invalid-value");
}

TEST(JmespathEvaluation, OneCompiledExpressionServesManyDocuments) {
  auto e = compile("orders[?total > `100`].id");
  ASSERT_TRUE(e);
  EXPECT_EQ(*e->search(Json::parse(R"({"orders":[{"id":1,"total":50},{"id":2,"total":150}]})")), Json({2}));
  EXPECT_EQ(*e->search(Json::parse(R"({"orders":[{"id":7,"total":101}]})")), Json({7}));
  EXPECT_EQ(*e->search(Json::parse(R"({"other":1})")), Json(nullptr));
}

TEST(JmespathEvaluation, SelectedPartsAreBorrowedNotCopied) {
  const Json doc = Json::parse(R"({"customer":{"name":"华润万家","address":{"city":"上海"}}})");
  auto e = compile("customer.address");
  ASSERT_TRUE(e);
  Arena arena;
  const Value v = e->evaluate(Value::fromJson(doc), arena);
  ASSERT_EQ(v.rep(), Value::Rep::JsonObject);
  EXPECT_EQ(&v.json(), &doc["customer"]["address"]);
}

TEST(JmespathEvaluation, ProjectionsHoldReferencesIntoTheDocument) {
  const Json doc = Json::parse(R"({"lines":[{"sku":{"id":"A"}},{"sku":{"id":"B"}}]})");
  auto e = compile("lines[*].sku");
  ASSERT_TRUE(e);
  Arena arena;
  const Value v = e->evaluate(Value::fromJson(doc), arena);
  ASSERT_EQ(v.rep(), Value::Rep::List);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(&v.at(1).json(), &doc["lines"][1]["sku"]);
}

TEST(JmespathEvaluation, StringsFromTheDocumentAreViewsOfIt) {
  const Json doc = {{"name", "青岛啤酒"}};
  auto e = compile("name");
  Arena arena;
  const Value v = e->evaluate(Value::fromJson(doc), arena);
  EXPECT_EQ(v.str().data(), doc["name"].get_ref<const std::string&>().data());
}

TEST(JmespathEvaluation, ConcurrentSearchesShareOneExpression) {
  auto e = compile("items[?qty > `1`] | length(@)");
  ASSERT_TRUE(e);
  const Json doc = Json::parse(R"({"items":[{"qty":1},{"qty":2},{"qty":3}]})");
  std::vector<std::thread> threads;
  std::vector<int> wrong(4, 0);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i)
        if (*e->search(doc) != 2) ++wrong[t];
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong, std::vector<int>(4, 0));
}

TEST(JmespathEvaluation, LengthCountsCharacters) {
  EXPECT_EQ(*compile("length(@)")->search("上海华润"), 4);
  EXPECT_EQ(*compile("reverse(@)")->search("啤酒"), "酒啤");
}

TEST(JmespathFunctions, HostFunctionsAreRegisteredWithArityAndTypes) {
  FunctionRegistry fns = FunctionRegistry::standard();
  FunctionDef twice;
  twice.name = "twice";
  twice.params = {kNumber};
  twice.required = 1;
  twice.result = kNumber;
  twice.impl = [](Call&, std::span<const Value> a) { return Value::number(a[0].asDouble() * 2); };
  fns.add(twice);
  EXPECT_EQ(*compile("twice(a)", fns)->search(Json{{"a", 21}}), 42.0);
  EXPECT_EQ(compile("twice(a, b)", fns).error().kind, ErrorKind::InvalidArity);
  EXPECT_EQ(compile("twice(a)").error().kind, ErrorKind::UnknownFunction);
  auto r = compile("twice(a)", fns)->search(Json{{"a", "x"}});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("twice() argument 1"), std::string::npos);
}

TEST(JmespathFunctions, HostFunctionsCanFailWithTheirOwnMessage) {
  FunctionRegistry fns = FunctionRegistry::standard();
  FunctionDef strict;
  strict.name = "positive";
  strict.params = {kNumber};
  strict.required = 1;
  strict.impl = [](Call& c, std::span<const Value> a) -> Value {
    if (a[0].asDouble() <= 0) c.failArg(0, ErrorKind::InvalidValue, "must be positive", a[0]);
    return a[0];
  };
  fns.add(strict);
  auto r = compile("positive(a)", fns)->search(Json{{"a", -1}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::InvalidValue);
  EXPECT_EQ(r.error().message, "positive() argument 1: must be positive");
  EXPECT_EQ(r.error().value, -1);
}

TEST(JmespathTypes, LiteralArgumentsOfTheWrongTypeAreCaughtBeforeRunning) {
  auto e = compile("abs('x')");
  ASSERT_TRUE(e);
  auto errors = checkTypes(*e);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].kind, ErrorKind::InvalidType);
  EXPECT_EQ(errors[0].column, 5u);
}

TEST(JmespathTypes, NestedFunctionResultsAreChecked) {
  auto e = compile("starts_with(length(name), 'A')");
  ASSERT_TRUE(e);
  EXPECT_EQ(checkTypes(*e).size(), 1u);
}

TEST(JmespathTypes, FieldsMayHoldAnythingSoTheyPass) {
  auto e = compile("abs(amount) && starts_with(code, 'A')");
  ASSERT_TRUE(e);
  EXPECT_TRUE(checkTypes(*e).empty());
}

TEST(JmespathTypes, StaticTypeOfAProjectionIsArrayOrNull) {
  auto e = compile("lines[*].qty");
  EXPECT_EQ(staticType(e->root()), kArray | kNull);
}

}  // namespace
