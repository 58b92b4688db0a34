// Custom fields by cf[N] and by name, as Jira evaluates them.
#include <gtest/gtest.h>

#include "tests/jirasim/jql/jql.hpp"
#include "tests/jirasim/jql/jql_test_support.hpp"

namespace jirasim::jql {
namespace {

using testing::issue;
using Keys = std::vector<std::string>;

const CustomFieldNames kNames = {{"story points", "customfield_10016"},
                                 {"team", "customfield_10021"},
                                 {"sprint", "customfield_10020"},
                                 {"status", "customfield_10099"}};

class JqlCustomFields : public ::testing::Test {
 protected:
  void SetUp() override {
    auto a = issue(1, "ABC-1");
    a.custom_fields["customfield_10016"] = "5.0";
    a.custom_fields["customfield_10021"] = R"({"value":"Gold","id":"10100"})";
    a.custom_fields["customfield_10020"] =
        R"([{"id":105,"name":"ABC Sprint 5","state":"active","boardId":1}])";
    auto b = issue(2, "ABC-2");
    b.custom_fields["customfield_10016"] = "0.5";
    b.custom_fields["customfield_10021"] = R"({"value":"Silver","id":"10101"})";
    auto c = issue(3, "ABC-3");
    c.custom_fields["customfield_10099"] = R"("Done")";
    c.custom_fields["customfield_10016"] = "null";
    issues = {a, b, c};
  }

  Keys keys(const std::string& jql) {
    auto q = parse(jql, kNames);
    Keys out;
    for (const auto& i : issues) {
      if (q->matches(i, ctx)) out.push_back(i.key);
    }
    return out;
  }

  std::string error(const std::string& jql) {
    try {
      parse(jql, kNames);
    } catch (const JqlError& e) {
      return e.what();
    }
    return "";
  }

  std::vector<SimIssue> issues;
  EvalContext ctx;
};

TEST_F(JqlCustomFields, ByIdNumbersCompareByValue) {
  EXPECT_EQ(keys("cf[10016] = 5"), (Keys{"ABC-1"}));
  EXPECT_EQ(keys("cf[10016] in (\"0.5\", 8)"), (Keys{"ABC-2"}));
  EXPECT_EQ(keys("cf[10016] > 1"), (Keys{"ABC-1"}));
  EXPECT_EQ(keys("cf[10016] <= 5"), (Keys{"ABC-1", "ABC-2"}));
  EXPECT_EQ(keys("cf[10016] != 5"), (Keys{"ABC-2"}));  // never the issue without a value
  EXPECT_EQ(keys("cf[10016] is empty"), (Keys{"ABC-3"}));
  EXPECT_EQ(error("cf[10016] > many"), "The value 'many' for field 'cf[10016]' is not a number.");
}

TEST_F(JqlCustomFields, OptionsAndSprintsMatchAnyValueInside) {
  EXPECT_EQ(keys("cf[10021] = gold"), (Keys{"ABC-1"}));
  EXPECT_EQ(keys("cf[10021] = 10101"), (Keys{"ABC-2"}));
  EXPECT_EQ(keys("cf[10021] not in (Gold)"), (Keys{"ABC-2"}));
  EXPECT_EQ(keys("cf[10021] in (Gold, EMPTY)"), (Keys{"ABC-1", "ABC-3"}));
  EXPECT_EQ(keys("cf[10020] = 105"), (Keys{"ABC-1"}));
  EXPECT_EQ(keys("cf[10020] = \"abc sprint 5\""), (Keys{"ABC-1"}));
  EXPECT_EQ(keys("cf[10020] ~ \"sprint\""), (Keys{"ABC-1"}));
}

TEST_F(JqlCustomFields, ByNameCaseInsensitivelyAndSystemNamesWin) {
  EXPECT_EQ(keys("\"Story Points\" >= 5"), (Keys{"ABC-1"}));
  EXPECT_EQ(keys("TEAM = silver"), (Keys{"ABC-2"}));
  EXPECT_EQ(keys("sprint is not empty"), (Keys{"ABC-1"}));
  // `status` is the system field; the custom field so named is cf[10099].
  EXPECT_EQ(keys("status = Done"), (Keys{}));
  EXPECT_EQ(keys("cf[10099] = Done"), (Keys{"ABC-3"}));
  EXPECT_EQ(error("\"Story Pointz\" > 3"),
            "Field 'Story Pointz' does not exist or you do not have permission to view it.");
  EXPECT_EQ(error("\"Story Points\" > 3"), "") << "by name only with the names given";
  try {
    parse("\"Story Points\" > 3");
    ADD_FAILURE() << "a name resolved without the site's names";
  } catch (const JqlError&) {
  }
}

}  // namespace
}  // namespace jirasim::jql
