#include "common/store/sql_field_catalog.hpp"

#include <gtest/gtest.h>

#include "common/store/store_test_support.hpp"

namespace jirasync {
namespace {

using testing::StoreTest;

constexpr int64_t kNow = 1'700'000'000'000;

class SqlFieldCatalogTest : public StoreTest {};

TEST_P(SqlFieldCatalogTest, NothingStoredAtFirst) {
  SqlFieldCatalog catalog(db());
  EXPECT_TRUE(catalog.all().empty());
  EXPECT_EQ(catalog.fetched_ms(), std::nullopt);
}

TEST_P(SqlFieldCatalogTest, ALaterListReplacesTheWholeEarlierOne) {
  SqlFieldCatalog catalog(db());
  catalog.replace_all({{"summary", "Summary", false},
                       {"customfield_10016", "Story Points", true},
                       {"customfield_10020", "Sprint", true}},
                      kNow);
  EXPECT_EQ(catalog.fetched_ms(), kNow);
  catalog.replace_all(
      {{"customfield_10016", "Story points (renamed)", true}, {"summary", "Summary", false}},
      kNow + 5);
  EXPECT_EQ(catalog.all(),
            (std::vector<CatalogField>{{"customfield_10016", "Story points (renamed)", true},
                                       {"summary", "Summary", false}}));
  EXPECT_EQ(catalog.fetched_ms(), kNow + 5);
  // Another connection sees it (the fetcher writes, the api role reads).
  SqlFieldCatalog other(scratch_->open_another());
  const auto names = custom_field_names(other);
  ASSERT_EQ(names.size(), 1u);
  EXPECT_EQ(names[0].id, "customfield_10016");
  EXPECT_EQ(names[0].name, "Story points (renamed)");
}

TEST_P(SqlFieldCatalogTest, AFieldWithoutAnIdIsRefusedAndTheStoredListKept) {
  SqlFieldCatalog catalog(db());
  catalog.replace_all({{"customfield_1", "One", true}}, kNow);
  EXPECT_THROW(catalog.replace_all({{"", "No id", true}}, kNow + 1), std::invalid_argument);
  EXPECT_EQ(catalog.all().size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, SqlFieldCatalogTest,
                         ::testing::ValuesIn(testing::store_test_backends()),
                         testing::backend_name);

}  // namespace
}  // namespace jirasync
