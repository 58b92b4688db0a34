#include "tests/jirasim/jql/order_by.hpp"

#include <gtest/gtest.h>

#include "tests/jirasim/jql/jql.hpp"
#include "tests/jirasim/jql/jql_test_support.hpp"

namespace jirasim::jql {
namespace {

using testing::error_of;
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

// A custom field sorts by its value: a number by value, a string (text,
// date) by its ASCII-lower-case text, an option or user by its value or name,
// an array by its first item; empty values after all others (first when
// descending), as the cache sorts them.
TEST(OrderBy, CustomFieldsByValueWithEmptyAsLargest) {
  auto sample = [] {
    std::vector<SimIssue> out;
    const char* points[] = {"5.0", "0.5", nullptr, "13", "2.0"};
    const char* teams[] = {R"({"value":"payments","id":"2"})", nullptr, R"({"value":"Growth"})",
                           R"({"value":"Platform","id":"1"})", "null"};
    const char* sprints[] = {R"([{"id":3,"name":"B Sprint 2"},{"id":4,"name":"A"}])", "[]",
                             R"([{"id":1,"name":"a sprint 1"}])", nullptr, nullptr};
    for (int n = 0; n < 5; ++n) {
      auto i = issue(10 + n, "CF-" + std::to_string(n + 1));
      if (points[n]) i.custom_fields["customfield_10016"] = points[n];
      if (teams[n]) i.custom_fields["customfield_10021"] = teams[n];
      if (sprints[n]) i.custom_fields["customfield_10020"] = sprints[n];
      out.push_back(std::move(i));
    }
    return out;
  };
  EvalContext ctx;
  EXPECT_EQ(keys_sorted("ORDER BY cf[10016]", sample(), ctx),
            (Keys{"CF-2", "CF-5", "CF-1", "CF-4", "CF-3"}));
  EXPECT_EQ(keys_sorted("ORDER BY cf[10016] DESC", sample(), ctx),
            (Keys{"CF-3", "CF-4", "CF-1", "CF-5", "CF-2"}));
  // Options by value, case-insensitively; JSON null and no value are empty.
  EXPECT_EQ(keys_sorted("ORDER BY cf[10021] ASC, key DESC", sample(), ctx),
            (Keys{"CF-3", "CF-1", "CF-4", "CF-5", "CF-2"}));
  // Sprints by the first one's name; an empty array is empty.
  EXPECT_EQ(keys_sorted("ORDER BY cf[10020]", sample(), ctx),
            (Keys{"CF-3", "CF-1", "CF-2", "CF-4", "CF-5"}));
  // By name, as the site's field list calls it.
  auto q = parse("ORDER BY \"Story Points\" DESC", {{"story points", "customfield_10016"}});
  ASSERT_EQ(q->order_by().size(), 1u);
  EXPECT_EQ(q->order_by()[0].field, "customfield_10016");
  EXPECT_FALSE(q->order_by()[0].ascending);
  EXPECT_EQ(error_of("ORDER BY \"No Such Field\""),
            "Field 'No Such Field' does not exist or you do not have permission to view it.");
}

}  // namespace
}  // namespace jirasim::jql
