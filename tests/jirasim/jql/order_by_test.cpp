#include "tests/jirasim/jql/order_by.hpp"

#include <gtest/gtest.h>

#include "tests/jirasim/jql/jql.hpp"
#include "tests/jirasim/jql/jql_test_support.hpp"

namespace jirasim::jql {
namespace {

using testing::issue;
using testing::keys_sorted;
using Keys = std::vector<std::string>;

std::vector<SimIssue> sample() {
  auto a2 = issue(5, "ABC-2");
  a2.priority = "Low";
  a2.updated_ms = 300;
  a2.created_ms = 30;
  auto a10 = issue(3, "ABC-10");
  a10.priority = "Highest";
  a10.updated_ms = 100;
  a10.created_ms = 10;
  auto a9 = issue(4, "ABC-9");
  a9.priority = "";
  a9.updated_ms = 200;
  a9.created_ms = 20;
  auto b1 = issue(1, "BCD-1");
  b1.priority = "High";
  b1.updated_ms = 100;  // ties with ABC-10
  b1.created_ms = 40;
  auto l1 = issue(2, "ABC-1");
  l1.priority = "Lowest";
  l1.updated_ms = 300;  // ties with ABC-2
  l1.created_ms = 50;
  return {a2, a10, a9, b1, l1};
}

TEST(OrderBy, KeysSortByProjectThenNumber) {
  EvalContext ctx;
  EXPECT_EQ(keys_sorted("ORDER BY key ASC", sample(), ctx),
            (Keys{"ABC-1", "ABC-2", "ABC-9", "ABC-10", "BCD-1"}));
  EXPECT_EQ(keys_sorted("ORDER BY issuekey DESC", sample(), ctx),
            (Keys{"BCD-1", "ABC-10", "ABC-9", "ABC-2", "ABC-1"}));
}

TEST(OrderBy, PriorityByRankWithEmptyAsLargest) {
  EvalContext ctx;
  EXPECT_EQ(keys_sorted("ORDER BY priority DESC", sample(), ctx),
            (Keys{"ABC-9", "ABC-10", "BCD-1", "ABC-2", "ABC-1"}));
  EXPECT_EQ(keys_sorted("ORDER BY priority ASC", sample(), ctx),
            (Keys{"ABC-1", "ABC-2", "BCD-1", "ABC-10", "ABC-9"}));
}

TEST(OrderBy, TiesFallThroughKeysThenIdAscending) {
  EvalContext ctx;
  // updated ties: {ABC-10 id3, BCD-1 id1} at 100; {ABC-2 id5, ABC-1 id2} at 300.
  EXPECT_EQ(keys_sorted("ORDER BY updated ASC", sample(), ctx),
            (Keys{"BCD-1", "ABC-10", "ABC-9", "ABC-1", "ABC-2"}));
  EXPECT_EQ(keys_sorted("ORDER BY updated DESC", sample(), ctx),
            (Keys{"ABC-1", "ABC-2", "ABC-9", "BCD-1", "ABC-10"}));
  EXPECT_EQ(keys_sorted("ORDER BY updated ASC, key DESC", sample(), ctx),
            (Keys{"BCD-1", "ABC-10", "ABC-9", "ABC-2", "ABC-1"}));
  EXPECT_EQ(keys_sorted("ORDER BY updated DESC, created ASC", sample(), ctx),
            (Keys{"ABC-2", "ABC-1", "ABC-9", "ABC-10", "BCD-1"}));
}

TEST(OrderBy, IdAndCreated) {
  EvalContext ctx;
  EXPECT_EQ(keys_sorted("ORDER BY id", sample(), ctx),
            (Keys{"BCD-1", "ABC-1", "ABC-10", "ABC-9", "ABC-2"}));
  EXPECT_EQ(keys_sorted("project = ABC ORDER BY createdDate ASC", sample(), ctx),
            (Keys{"ABC-10", "ABC-9", "ABC-2", "ABC-1"}));
}

TEST(OrderBy, DefaultDirectionsAndCanonicalNames) {
  const auto keys = compile_order_by({{"updatedDate", std::nullopt},
                                      {"issuekey", std::nullopt},
                                      {"Priority", std::nullopt},
                                      {"id", true}});
  ASSERT_EQ(keys.size(), 4u);
  EXPECT_EQ(keys[0].field, "updated");
  EXPECT_FALSE(keys[0].ascending) << "dates default to newest first";
  EXPECT_EQ(keys[1].field, "key");
  EXPECT_TRUE(keys[1].ascending);
  EXPECT_EQ(keys[2].field, "priority");
  EXPECT_FALSE(keys[2].ascending);
  EXPECT_EQ(keys[3].field, "id");
  EXPECT_TRUE(parse("project = ABC")->order_by().empty());
}

TEST(OrderBy, NoKeysMeansIdAscending) {
  auto s = sample();
  EXPECT_TRUE(order_less({}, s[3], s[0]));  // id 1 < id 5
  EXPECT_FALSE(order_less({}, s[0], s[3]));
  EXPECT_FALSE(order_less({}, s[0], s[0]));
}

}  // namespace
}  // namespace jirasim::jql
