#include "common/config/cache_ttl.hpp"

#include <gtest/gtest.h>

namespace jirasync {
namespace {

Config two_projects() {
  Config config;
  ProjectSettings a;
  a.key = "WRKA";
  a.cache_ttl_ms = 60'000;
  ProjectSettings b;
  b.key = "WRK-B";
  config.projects = {a, b};
  return config;
}

TEST(CacheTtl, AProjectsTtlOrAnHourForOneTheConfigDoesNotKeep) {
  const Config config = two_projects();
  EXPECT_EQ(cache_ttl_of(config, "WRKA"), 60'000);
  EXPECT_EQ(cache_ttl_of(config, "OTHER"), kDefaultCacheTtlMs);
  EXPECT_NE(configured_project(config, "WRKA"), nullptr);
  EXPECT_EQ(configured_project(config, "OTHER"), nullptr);
}

TEST(CacheTtl, StaleOnlyWhenOlderThanTheTtl) {
  const Config config = two_projects();
  EXPECT_FALSE(is_stale(config, "WRKA", 1'000'000, 1'060'000));
  EXPECT_TRUE(is_stale(config, "WRKA", 1'000'000, 1'060'001));
  EXPECT_FALSE(is_stale(config, "OTHER", 0, kDefaultCacheTtlMs));
}

TEST(CacheTtl, TheProjectOfAKeyCountsOnlyWhenKept) {
  const Config config = two_projects();
  EXPECT_EQ(configured_project_of_key(config, "WRKA-12"), "WRKA");
  EXPECT_EQ(configured_project_of_key(config, "WRK-B-3"), "WRK-B") << "the last dash splits";
  EXPECT_EQ(configured_project_of_key(config, "OTHER-1"), "");
  EXPECT_EQ(configured_project_of_key(config, "-1"), "");
  EXPECT_EQ(configured_project_of_key(config, "WRKA"), "");
}

}  // namespace
}  // namespace jirasync
