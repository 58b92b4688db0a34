#include "tests/jirasim/jql/structure_json.hpp"

#include <gtest/gtest.h>

#include "tests/jirasim/jql/jql.hpp"

namespace jirasim::jql {
namespace {

std::string structure(const std::string& jql) {
  return parse(jql)->structure_json();
}

TEST(StructureJson, AtlassianExampleShape) {
  // The parse example from the OpenAPI file, with a field and function the simulator knows.
  EXPECT_EQ(
      structure("summary ~ test AND (labels in (urgent, blocker) OR assignee = currentUser()) "
                "ORDER BY updated DESC"),
      R"j({"orderBy":{"fields":[{"direction":"desc","field":{"encodedName":"updated","name":"updated"}}]},)j"
      R"j("where":{"clauses":[)j"
      R"j({"field":{"encodedName":"summary","name":"summary"},"operand":{"encodedValue":"test","value":"test"},"operator":"~"},)j"
      R"j({"clauses":[)j"
      R"j({"field":{"encodedName":"labels","name":"labels"},"operand":{"encodedOperand":"(urgent, blocker)","values":[{"encodedValue":"urgent","value":"urgent"},{"encodedValue":"blocker","value":"blocker"}]},"operator":"in"},)j"
      R"j({"field":{"encodedName":"assignee","name":"assignee"},"operand":{"arguments":[],"encodedOperand":"currentUser()","function":"currentUser"},"operator":"="})j"
      R"j(],"operator":"or"})j"
      R"j(],"operator":"and"}})j");
}

TEST(StructureJson, QuotedValuesKeywordsNotAndFunctionArguments) {
  EXPECT_EQ(structure("issuetype in (\"Service requests\", Bug)"),
            R"j({"where":{"field":{"encodedName":"issuetype","name":"issuetype"},)j"
            R"j("operand":{"encodedOperand":"(\"Service requests\", Bug)","values":[)j"
            R"j({"encodedValue":"\"Service requests\"","value":"Service requests"},)j"
            R"j({"encodedValue":"Bug","value":"Bug"}]},"operator":"in"}})j");
  EXPECT_EQ(structure("NOT assignee IS NOT EMPTY"),
            R"j({"where":{"clauses":[{"field":{"encodedName":"assignee","name":"assignee"},)j"
            R"j("operand":{"keyword":"empty"},"operator":"is not"}],"operator":"not"}})j");
  EXPECT_EQ(structure("updated >= startOfMonth(-1M)"),
            R"j({"where":{"field":{"encodedName":"updated","name":"updated"},)j"
            R"j("operand":{"arguments":["-1M"],"encodedOperand":"startOfMonth(-1M)",)j"
            R"j("function":"startOfMonth"},"operator":">="}})j");
  EXPECT_EQ(structure("updated <= endOfDay(\"+2h\")"),
            R"j({"where":{"field":{"encodedName":"updated","name":"updated"},)j"
            R"j("operand":{"arguments":["+2h"],"encodedOperand":"endOfDay(\"+2h\")",)j"
            R"j("function":"endOfDay"},"operator":"<="}})j");
}

TEST(StructureJson, OrderOnlyAndEmpty) {
  EXPECT_EQ(structure("ORDER BY key, created asc"),
            R"j({"orderBy":{"fields":[{"field":{"encodedName":"key","name":"key"}},)j"
            R"j({"direction":"asc","field":{"encodedName":"created","name":"created"}}]}})j");
  EXPECT_EQ(structure(""), "{}");
}

TEST(StructureJson, EscapesJsonAndJqlQuoting) {
  EXPECT_EQ(structure("summary ~ 'say \"hi\"'"),
            R"j({"where":{"field":{"encodedName":"summary","name":"summary"},)j"
            R"j("operand":{"encodedValue":"\"say \\\"hi\\\"\"","value":"say \"hi\""},)j"
            R"j("operator":"~"}})j");
}

}  // namespace
}  // namespace jirasim::jql
