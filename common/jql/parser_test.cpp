#include "common/jql/parser.hpp"

#include <gtest/gtest.h>

namespace jirasync {
namespace {

std::string error_of(const std::string& jql) {
  try {
    parse_jql(jql);
  } catch (const JqlError& e) {
    return e.what();
  }
  return "(parsed)";
}

TEST(ParseJql, AndBindsTighterThanOr) {
  const JqlQuery q = parse_jql("project = A OR status = Done AND assignee IS EMPTY");
  ASSERT_TRUE(q.where);
  EXPECT_EQ(q.where->kind, JqlClause::Kind::kOr);
  ASSERT_EQ(q.where->children.size(), 2u);
  EXPECT_EQ(q.where->children[1].kind, JqlClause::Kind::kAnd);
  EXPECT_EQ(q.where->children[1].children[1].op, JqlOperator::kIs);
}

TEST(ParseJql, ListsFunctionsAndOrderBy) {
  const JqlQuery q = parse_jql(
      "key in (A-1, \"B-2\") and NOT updated >= startOfDay(-1d) order by priority DESC, key");
  ASSERT_TRUE(q.where);
  const JqlClause& in = q.where->children[0];
  EXPECT_EQ(in.op, JqlOperator::kIn);
  ASSERT_EQ(in.operand.items.size(), 2u);
  EXPECT_TRUE(in.operand.items[1].quoted);
  const JqlClause& fn = q.where->children[1].children[0];
  EXPECT_EQ(fn.operand.kind, JqlOperand::Kind::kFunction);
  EXPECT_EQ(fn.operand.value, "startOfDay");
  EXPECT_EQ(fn.operand.arguments, std::vector<std::string>{"-1d"});
  ASSERT_EQ(q.order_by.size(), 2u);
  EXPECT_EQ(q.order_by[0].ascending, false);
  EXPECT_FALSE(q.order_by[1].ascending.has_value());
}

TEST(ParseJql, OnlyOrderBy) {
  const JqlQuery q = parse_jql("ORDER BY created");
  EXPECT_FALSE(q.where);
  EXPECT_EQ(q.order_by.size(), 1u);
  EXPECT_FALSE(parse_jql("   ").where);
}

TEST(ParseJql, CustomFieldIdsAndEscapes) {
  const JqlQuery q = parse_jql("cf[10010] = 'it\\'s' AND summary ~ \"caf\\u00e9\"");
  EXPECT_EQ(q.where->children[0].field, "cf[10010]");
  EXPECT_EQ(q.where->children[0].operand.value, "it's");
  EXPECT_EQ(q.where->children[1].operand.value, "caf\xc3\xa9");
}

TEST(ParseJql, ErrorsNameTheTokenAndItsPosition) {
  EXPECT_EQ(error_of("project = A foo"),
            "Error in the JQL Query: Expecting either 'OR' or 'AND' but got 'foo'. (line 1, "
            "character 13)");
  EXPECT_EQ(error_of("(project = A ORDER BY key"),
            "Error in the JQL Query: Expecting ')' but got 'ORDER'. (line 1, character 14)");
  EXPECT_EQ(error_of("project ="),
            "Error in the JQL Query: Expecting either a value, list or function before the end "
            "of the query.");
  EXPECT_EQ(error_of("project = A\nAND summary ~ \"oops"),
            "Error in the JQL Query: The quoted string 'oops' has not been completed. (line 2, "
            "character 15)");
  EXPECT_EQ(error_of("assignee is bob"),
            "Error in the JQL Query: Expecting either 'EMPTY' or 'NULL' but got 'bob'. (line 1, "
            "character 13)");
  EXPECT_EQ(error_of("order updated"),
            "Error in the JQL Query: Expecting 'BY' but got 'updated'. (line 1, character 7)");
  EXPECT_EQ(error_of("summary = a*"),
            "Error in the JQL Query: The character '*' is a reserved JQL character. You must "
            "enclose it in a string or use the escape '\\u002a' instead. (line 1, character 12)");
  EXPECT_EQ(error_of("project foo"),
            "Error in the JQL Query: Expecting operator but got 'foo'. The valid operators are "
            "'=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS', 'IS NOT', 'WAS', "
            "'WAS IN', 'WAS NOT', 'WAS NOT IN' and 'CHANGED'. (line 1, character 9)");
}

TEST(ParseJql, PositionsCountCharactersNotBytes) {
  try {
    parse_jql("summary ~ \"\xc3\xa9\xc3\xa9\" foo");
    FAIL();
  } catch (const JqlError& e) {
    EXPECT_EQ(e.line(), 1);
    EXPECT_EQ(e.character(), 16);
  }
}

TEST(ParseJql, HistoryOperatorsAreUnsupportedOnTheCache) {
  try {
    parse_jql("status WAS Done");
    FAIL();
  } catch (const JqlError& e) {
    EXPECT_EQ(e.kind(), JqlError::Kind::kUnsupported);
    EXPECT_NE(std::string(e.what()).find("--source live"), std::string::npos);
  }
}

TEST(ParseJql, DeepNestingIsAnErrorNotACrash) {
  std::string deep(5000, '(');
  EXPECT_THROW(parse_jql(deep + "a = b"), JqlError);
  std::string nots;
  for (int i = 0; i < 5000; ++i) nots += "NOT ";
  EXPECT_THROW(parse_jql(nots + "a = b"), JqlError);
}

}  // namespace
}  // namespace jirasync
