#include "services/fetcher/field_list_refresh.hpp"

#include <gtest/gtest.h>

#include "common/clock/fake_clock.hpp"
#include "tests/fakes/fake_rate_bucket_store.hpp"

namespace jirasync {
namespace {

constexpr int64_t kHour = 3'600'000;

class MemoryFieldCatalog final : public FieldCatalog {
 public:
  void replace_all(const std::vector<CatalogField>& fields, int64_t fetched_ms) override {
    fields_ = fields;
    fetched_ = fetched_ms;
  }
  std::vector<CatalogField> all() override { return fields_; }
  std::optional<int64_t> fetched_ms() override { return fetched_; }

  std::vector<CatalogField> fields_;
  std::optional<int64_t> fetched_;
};

// Answers only the field list; counts how often it was asked.
class FieldListJira final : public JiraClient {
 public:
  SearchPage search(const SearchRequest&) override { throw std::logic_error("search"); }
  BulkFetchResult bulk_fetch(const std::vector<std::string>&,
                             const std::vector<std::string>&) override {
    throw std::logic_error("bulk_fetch");
  }
  int64_t approximate_count(const std::string&) override { throw std::logic_error("count"); }
  CommentPage comments(const std::string&, int64_t, int) override {
    throw std::logic_error("comments");
  }
  JiraAccount myself() override { throw std::logic_error("myself"); }
  std::vector<JiraField> field_list() override {
    ++asked;
    if (failure) throw *failure;
    return answer;
  }

  int asked = 0;
  std::vector<JiraField> answer = {{"summary", "Summary", false},
                                   {"customfield_10016", "Story Points", true}};
  std::optional<JiraError> failure;
};

class FieldListRefreshTest : public ::testing::Test {
 protected:
  FakeClock clock{1'735'800'000'000};
  fakes::FakeRateBucketStore buckets;
  SharedRateLimit limit{buckets, clock, "jira", 0, 1};
  MemoryFieldCatalog catalog;
  FieldListJira jira;
  FieldListRefresh refresh{catalog, limit, clock};
};

TEST_F(FieldListRefreshTest, ReadsTheListWhenNoneIsStoredAndStoresItWithItsTime) {
  EXPECT_TRUE(refresh.refresh_if_due(jira, false));
  EXPECT_EQ(jira.asked, 1);
  EXPECT_EQ(catalog.fields_,
            (std::vector<CatalogField>{{"summary", "Summary", false},
                                       {"customfield_10016", "Story Points", true}}));
  EXPECT_EQ(catalog.fetched_, clock.now_ms());
}

TEST_F(FieldListRefreshTest, AnIncrementalSyncReadsItAgainOnlyWhenADayOld) {
  ASSERT_TRUE(refresh.refresh_if_due(jira, false));
  clock.advance_ms(23 * kHour);
  EXPECT_FALSE(refresh.refresh_if_due(jira, false));
  EXPECT_EQ(jira.asked, 1);
  clock.advance_ms(kHour);
  EXPECT_TRUE(refresh.refresh_if_due(jira, false));
  EXPECT_EQ(jira.asked, 2);
}

TEST_F(FieldListRefreshTest, AFullSyncReadsItAgainUnlessJustRead) {
  ASSERT_TRUE(refresh.refresh_if_due(jira, true));
  EXPECT_FALSE(refresh.refresh_if_due(jira, true));  // another project's full sync, same moment
  clock.advance_ms(kHour);
  jira.answer.push_back({"customfield_10020", "Sprint", true});
  EXPECT_TRUE(refresh.refresh_if_due(jira, true));
  EXPECT_EQ(jira.asked, 2);
  EXPECT_EQ(catalog.fields_.size(), 3u);
}

TEST_F(FieldListRefreshTest, AFailureKeepsTheStoredListAndTheSyncGoesOn) {
  ASSERT_TRUE(refresh.refresh_if_due(jira, true));
  clock.advance_ms(2 * 24 * kHour);
  jira.failure = JiraError("Jira GET /rest/api/3/field: HTTP 503", 503, true);
  EXPECT_FALSE(refresh.refresh_if_due(jira, false));
  EXPECT_EQ(catalog.fields_.size(), 2u);
  EXPECT_EQ(catalog.fetched_, clock.now_ms() - 2 * 24 * kHour);
}

}  // namespace
}  // namespace jirasync
