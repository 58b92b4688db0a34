#include "tests/jirasim/jql/parser.hpp"

#include <gtest/gtest.h>

#include "tests/jirasim/jql/jql.hpp"
#include "tests/jirasim/jql/jql_test_support.hpp"
#include "tests/jirasim/jql/lexer.hpp"

namespace jirasim::jql {
namespace {

using testing::issue;
using testing::keys_matching;

TEST(Lexer, SplitsOperatorsWordsAndQuotedStringsWithPositions) {
  const auto t = tokenize("status!=\"In \\\"Progress\\\"\" AND\n labels in ('a\\'b', c)");
  ASSERT_GE(t.size(), 12u);
  EXPECT_EQ(t[0].kind, TokenKind::Word);
  EXPECT_EQ(t[0].text, "status");
  EXPECT_EQ(t[1].kind, TokenKind::Operator);
  EXPECT_EQ(t[1].text, "!=");
  EXPECT_EQ(t[2].kind, TokenKind::String);
  EXPECT_EQ(t[2].text, "In \"Progress\"");
  EXPECT_EQ(t[3].text, "AND");
  EXPECT_EQ(t[4].text, "labels");
  EXPECT_EQ(t[4].line, 2);
  EXPECT_EQ(t[4].column, 2);
  EXPECT_EQ(t[6].kind, TokenKind::LParen);
  EXPECT_EQ(t[7].kind, TokenKind::String);
  EXPECT_EQ(t[7].text, "a'b");
  EXPECT_EQ(t[8].kind, TokenKind::Comma);
  EXPECT_EQ(t.back().kind, TokenKind::End);
}

TEST(Lexer, DecodesUnicodeAndControlEscapes) {
  const auto t = tokenize(R"("caf\u00e9\ttab\\")");
  EXPECT_EQ(t[0].text, "caf\xc3\xa9\ttab\\");
}

TEST(Parser, OrBindsLooserThanAnd) {
  const auto q = parse_syntax("a = 1 OR b = 2 AND c = 3");
  ASSERT_TRUE(q.where);
  EXPECT_EQ(q.where->kind, Clause::Kind::Or);
  ASSERT_EQ(q.where->children.size(), 2u);
  EXPECT_EQ(q.where->children[0].field, "a");
  EXPECT_EQ(q.where->children[1].kind, Clause::Kind::And);
}

TEST(Parser, NotBindsTighterThanAnd) {
  const auto q = parse_syntax("NOT a = 1 AND b = 2");
  ASSERT_TRUE(q.where);
  EXPECT_EQ(q.where->kind, Clause::Kind::And);
  EXPECT_EQ(q.where->children[0].kind, Clause::Kind::Not);
  EXPECT_EQ(q.where->children[0].children[0].field, "a");
}

TEST(Parser, ChainsOfOneOperatorAreFlat) {
  const auto q = parse_syntax("a = 1 and b = 2 AND c = 3");
  ASSERT_TRUE(q.where);
  EXPECT_EQ(q.where->children.size(), 3u);
}

TEST(Parser, ReadsOrderByWithAndWithoutDirections) {
  const auto q = parse_syntax("order by updated, key desc, created ASC");
  EXPECT_FALSE(q.where);
  ASSERT_EQ(q.order_by.size(), 3u);
  EXPECT_FALSE(q.order_by[0].ascending);
  EXPECT_EQ(q.order_by[1].ascending, false);
  EXPECT_EQ(q.order_by[2].ascending, true);
}

TEST(Parser, ReadsEveryOperator) {
  const std::pair<const char*, ClauseOperator> cases[] = {
      {"f = v", ClauseOperator::Equals},   {"f != v", ClauseOperator::NotEquals},
      {"f ~ v", ClauseOperator::Contains}, {"f !~ v", ClauseOperator::NotContains},
      {"f > v", ClauseOperator::Greater},  {"f >= v", ClauseOperator::GreaterOrEqual},
      {"f < v", ClauseOperator::Less},     {"f <= v", ClauseOperator::LessOrEqual},
      {"f in (v)", ClauseOperator::In},    {"f NOT IN (v)", ClauseOperator::NotIn},
      {"f is empty", ClauseOperator::Is},  {"f IS NOT NULL", ClauseOperator::IsNot},
  };
  for (const auto& [jql, op] : cases) {
    const auto q = parse_syntax(jql);
    ASSERT_TRUE(q.where) << jql;
    EXPECT_EQ(q.where->op, op) << jql;
  }
}

TEST(Parser, ReadsFunctionsListsAndEmptyOperands) {
  const auto q = parse_syntax("f in (a, \"b c\", EMPTY, startOfDay(-1d))");
  ASSERT_TRUE(q.where);
  const Operand& o = q.where->operand;
  ASSERT_EQ(o.kind, Operand::Kind::List);
  ASSERT_EQ(o.values.size(), 4u);
  EXPECT_EQ(o.values[1].value, "b c");
  EXPECT_TRUE(o.values[1].quoted);
  EXPECT_EQ(o.values[2].kind, Operand::Kind::Empty);
  EXPECT_EQ(o.values[3].kind, Operand::Kind::Function);
  EXPECT_EQ(o.values[3].value, "startOfDay");
  EXPECT_EQ(o.values[3].arguments, std::vector<std::string>{"-1d"});
}

// Precedence proven by evaluation: an issue that only satisfies the left side of OR.
TEST(Precedence, AndBeforeOrWhenEvaluating) {
  auto a = issue(1, "ABC-1");  // project ABC, status To Do, priority Medium
  const std::vector<SimIssue> issues{a};
  EvalContext ctx;
  // ABC OR (Done AND High) -> matches; (ABC OR Done) AND High -> would not.
  EXPECT_EQ(keys_matching("project = ABC OR status = Done AND priority = High", issues, ctx),
            std::vector<std::string>{"ABC-1"});
  EXPECT_TRUE(
      keys_matching("(project = ABC OR status = Done) AND priority = High", issues, ctx).empty());
}

TEST(Precedence, NotBeforeAndWhenEvaluating) {
  const std::vector<SimIssue> issues{issue(1, "ABC-1")};
  EvalContext ctx;
  // (NOT ABC) AND High is false; NOT (ABC AND High) would be true.
  EXPECT_TRUE(keys_matching("NOT project = ABC AND priority = High", issues, ctx).empty());
  EXPECT_EQ(keys_matching("NOT (project = ABC AND priority = High)", issues, ctx).size(), 1u);
  EXPECT_EQ(
      keys_matching("! project = XYZ && priority = Medium || status = Done", issues, ctx).size(),
      1u);
  EXPECT_EQ(keys_matching("NOT NOT project = ABC", issues, ctx).size(), 1u);
}

TEST(Parser, EmptyQueryMatchesEverything) {
  const std::vector<SimIssue> issues{issue(1, "ABC-1"), issue(2, "XYZ-1")};
  EvalContext ctx;
  EXPECT_EQ(keys_matching("", issues, ctx).size(), 2u);
  EXPECT_EQ(keys_matching("   ORDER BY key", issues, ctx).size(), 2u);
}

}  // namespace
}  // namespace jirasim::jql
