#include "common/jql/search_cursor.hpp"

#include <gtest/gtest.h>

namespace jirasync {
namespace {

TEST(KeysetCondition, OneDirectionIsOneRowValueComparison) {
  // What an index over (a, b) reads as a range.
  std::vector<JqlParam> params{std::string("before")};
  const std::string sql = keyset_condition({{"a", false, false}, {"b", false, true}},
                                           {int64_t{5}, std::string("x")}, params);
  EXPECT_EQ(sql, "((a, b) < (?, ?))");
  EXPECT_EQ(params, (std::vector<JqlParam>{std::string("before"), int64_t{5}, std::string("x")}));
}

TEST(KeysetCondition, MixedDirectionsBoundTheFirstColumnForTheIndex) {
  std::vector<JqlParam> params;
  const std::string sql =
      keyset_condition({{"a", false, false}, {"b", true, false}}, {int64_t{5}, int64_t{7}}, params);
  EXPECT_EQ(sql, "(a <= ? AND ((a < ?) OR (a = ? AND b > ?)))");
  EXPECT_EQ(params, (std::vector<JqlParam>{int64_t{5}, int64_t{5}, int64_t{5}, int64_t{7}}));
}

TEST(SearchCursor, RoundTripsAndRefusesAnotherQuerysCursor) {
  const std::vector<JqlSortColumn> order{{"a", true, false}, {"b", true, true}};
  const std::vector<JqlParam> values{int64_t{-3}, std::string("K\x01.y")};
  EXPECT_EQ(decode_search_cursor(encode_search_cursor(values), order), values);
  EXPECT_THROW(decode_search_cursor(encode_search_cursor({int64_t{1}}), order),
               std::invalid_argument);
}

}  // namespace
}  // namespace jirasync
