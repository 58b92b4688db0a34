#include "common/jql/search_cursor.hpp"

#include <gtest/gtest.h>

namespace jirasync {
namespace {

// Sort columns of one direction: one row comparison, which PostgreSQL (and
// SQLite) can seek to in an index of those columns; the OR of each column's
// step makes PostgreSQL read and drop every row before the page instead.
TEST(KeysetCondition, OneDirectionIsOneRowComparison) {
  std::vector<JqlSortColumn> order(2);
  order[0].sql = "a";
  order[1].sql = "b";
  std::vector<JqlParam> params;
  EXPECT_EQ(keyset_condition(order, {int64_t{7}, std::string("x")}, params), "((a, b) > (?, ?))");
  EXPECT_EQ(params, (std::vector<JqlParam>{int64_t{7}, std::string("x")}));

  order[0].ascending = order[1].ascending = false;
  params.clear();
  EXPECT_EQ(keyset_condition(order, {int64_t{7}, std::string("x")}, params), "((a, b) < (?, ?))");
}

TEST(KeysetCondition, MixedDirectionsStepColumnByColumn) {
  std::vector<JqlSortColumn> order(2);
  order[0].sql = "a";
  order[0].ascending = false;
  order[1].sql = "b";
  std::vector<JqlParam> params;
  EXPECT_EQ(keyset_condition(order, {int64_t{7}, std::string("x")}, params),
            "((a < ?) OR (a = ? AND b > ?))");
  EXPECT_EQ(params, (std::vector<JqlParam>{int64_t{7}, int64_t{7}, std::string("x")}));
}

}  // namespace
}  // namespace jirasync
