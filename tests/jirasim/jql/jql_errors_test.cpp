#include <gtest/gtest.h>

#include "tests/jirasim/jql/jql.hpp"
#include "tests/jirasim/jql/jql_test_support.hpp"

namespace jirasim::jql {
namespace {

using testing::error_of;

TEST(SyntaxErrors, UnexpectedWordAfterClause) {
  EXPECT_EQ(error_of("project = ABC foo"),
            "Error in the JQL Query: Expecting either 'OR' or 'AND' but got 'foo'. (line 1, "
            "character 15)");
}

TEST(SyntaxErrors, MissingOperatorListsTheValidOnes) {
  EXPECT_EQ(error_of("invalid query"),
            "Error in the JQL Query: Expecting operator but got 'query'. The valid operators are "
            "'=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'. (line "
            "1, character 9)");
}

TEST(SyntaxErrors, UnclosedParenthesis) {
  EXPECT_EQ(error_of("(project = ABC ORDER BY key"),
            "Error in the JQL Query: Expecting ')' but got 'ORDER'. (line 1, character 16)");
  EXPECT_EQ(error_of("(project = ABC"),
            "Error in the JQL Query: Expecting ')' before the end of the query.");
}

TEST(SyntaxErrors, MissingValueAtEnd) {
  EXPECT_EQ(error_of("project = "),
            "Error in the JQL Query: Expecting either a value, list or function before the end "
            "of the query.");
}

TEST(SyntaxErrors, ReservedWordAsValueMustBeQuoted) {
  EXPECT_EQ(error_of("status = order"),
            "Error in the JQL Query: Expecting either a value, list or function but got 'order'. "
            "You must surround 'order' in quotation marks to use it as a value. (line 1, "
            "character 10)");
  EXPECT_EQ(error_of("status = \"order\""), "");
}

TEST(SyntaxErrors, PositionsCountLines) {
  EXPECT_EQ(error_of("project = ABC\nAND status bar"),
            "Error in the JQL Query: Expecting operator but got 'bar'. The valid operators are "
            "'=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'. (line "
            "2, character 12)");
}

TEST(SyntaxErrors, UnterminatedString) {
  EXPECT_EQ(error_of("project = ABC AND\nsummary ~ \"oops"),
            "Error in the JQL Query: The quoted string 'oops' has not been completed. (line 2, "
            "character 11)");
}

TEST(SyntaxErrors, ReservedCharacterOutsideQuotes) {
  EXPECT_EQ(error_of("summary ~ win*"),
            "Error in the JQL Query: The character '*' is a reserved JQL character. You must "
            "enclose it in a string or use the escape '\\u002a' instead. (line 1, character 14)");
  EXPECT_EQ(error_of("summary ~ \"win*\""), "");
}

TEST(SyntaxErrors, IllegalEscape) {
  EXPECT_EQ(error_of("summary ~ \"a\\qb\""),
            "Error in the JQL Query: The escape sequence '\\q' is illegal. (line 1, character "
            "13)");
}

TEST(SyntaxErrors, IsNeedsEmptyOrNull) {
  EXPECT_EQ(error_of("assignee is bob"),
            "Error in the JQL Query: Expecting either 'EMPTY' or 'NULL' but got 'bob'. (line 1, "
            "character 13)");
}

TEST(SyntaxErrors, OrderByShape) {
  EXPECT_EQ(error_of("project = ABC ORDER updated"),
            "Error in the JQL Query: Expecting 'BY' but got 'updated'. (line 1, character 21)");
  EXPECT_EQ(error_of("ORDER BY updated sideways"),
            "Error in the JQL Query: Expecting either 'ASC' or 'DESC' but got 'sideways'. (line "
            "1, character 18)");
  EXPECT_EQ(error_of("ORDER BY"),
            "Error in the JQL Query: Expecting a field name before the end of the query.");
}

TEST(SyntaxErrors, DanglingAnd) {
  EXPECT_EQ(error_of("project = ABC AND"),
            "Error in the JQL Query: Expecting a field name before the end of the query.");
  EXPECT_EQ(error_of("project = ABC AND )"),
            "Error in the JQL Query: Expecting a field name but got ')'. (line 1, character 19)");
}

TEST(ValidationErrors, UnknownField) {
  EXPECT_EQ(error_of("nosuchfield = 1"),
            "Field 'nosuchfield' does not exist or you do not have permission to view it.");
  EXPECT_EQ(error_of("ORDER BY nosuch"),
            "Field 'nosuch' does not exist or you do not have permission to view it.");
}

TEST(ValidationErrors, OperatorNotSupportedByField) {
  EXPECT_EQ(error_of("summary = test"),
            "The operator '=' is not supported by the 'summary' field.");
  EXPECT_EQ(error_of("labels > x"), "The operator '>' is not supported by the 'labels' field.");
  EXPECT_EQ(error_of("status ~ x"), "The operator '~' is not supported by the 'status' field.");
}

TEST(ValidationErrors, ListShapeMismatch) {
  // Atlassian's own /jql/parse example.
  EXPECT_EQ(error_of("summary in test"),
            "Operator 'in' does not support the non-list value '\"test\"' for field 'summary'.");
  EXPECT_EQ(error_of("labels = (a, b)"),
            "Operator '=' does not support the list value '(a, b)' for field 'labels'.");
}

TEST(ValidationErrors, BadDateValue) {
  EXPECT_EQ(error_of("updated >= abc"),
            "Date value 'abc' for field 'updated' is invalid. Valid formats include: "
            "'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period "
            "format e.g. '-5d', '4w 2d'.");
  EXPECT_NE(error_of("created = \"2025-02-30\""), "");
  EXPECT_NE(error_of("created = \"2025-01-02 24:00\""), "");
  EXPECT_NE(error_of("created = \"2025-01-02 10:3\""), "");
  EXPECT_NE(error_of("created > \"-5x\""), "");
}

TEST(ValidationErrors, Functions) {
  EXPECT_EQ(error_of("assignee = foo()"), "Unable to find JQL function 'foo()'.");
  EXPECT_EQ(error_of("updated > now(1)"), "Function 'now' expected '0' arguments but got '1'.");
  EXPECT_EQ(error_of("updated > startOfDay(1, 2)"),
            "Function 'startOfDay' expected between '0' and '1' arguments but got '2'.");
  EXPECT_EQ(error_of("updated > startOfDay(\"x1\")"),
            "Duration for function 'startOfDay' should have the format (+/-)n(yMwdhm), e.g -1M "
            "for 1 month earlier.");
  EXPECT_EQ(error_of("assignee = now()"),
            "A value provided by the function 'now' is invalid for the field 'assignee'.");
  EXPECT_EQ(error_of("updated = currentUser()"),
            "A value provided by the function 'currentUser' is invalid for the field 'updated'.");
}

TEST(ValidationErrors, ValuesCheckedAtParse) {
  EXPECT_EQ(error_of("key = abc"), "The issue key 'abc' for field 'key' is invalid.");
  EXPECT_EQ(error_of("statusCategory = Someday"),
            "The value 'Someday' does not exist for the field 'statusCategory'.");
  EXPECT_EQ(error_of("priority > Urgent"),
            "The value 'Urgent' does not exist for the field 'priority'.");
  EXPECT_EQ(error_of("summary ~ \"the\""),
            "The field 'summary' does not support searching for an empty string.");
  EXPECT_EQ(error_of("ORDER BY labels"), "Field 'labels' does not support sorting.");
  EXPECT_EQ(error_of("status WAS Done"),
            "The operator 'was' is not supported by the 'status' field in the Jira simulator.");
}

TEST(EvaluationErrors, UnknownUserIsReportedOnEvaluation) {
  auto q = parse("assignee = nobody@example.com");
  EvalContext ctx;
  ctx.resolve_user = [](const std::string&) { return std::string(); };
  const SimIssue i = testing::issue(1, "ABC-1");
  try {
    q->matches(i, ctx);
    FAIL() << "expected JqlError";
  } catch (const JqlError& e) {
    EXPECT_STREQ(e.what(),
                 "The value 'nobody@example.com' does not exist for the field 'assignee'.");
  }
}

TEST(EvaluationErrors, UnknownTimeZoneIsReported) {
  auto q = parse("updated >= startOfDay()");
  EvalContext ctx;
  ctx.account_time_zone = "Mars/Olympus";
  const SimIssue i = testing::issue(1, "ABC-1");
  EXPECT_THROW(q->matches(i, ctx), JqlError);
}

}  // namespace
}  // namespace jirasim::jql
