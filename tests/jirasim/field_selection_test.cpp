#include "tests/jirasim/field_selection.hpp"

#include <gtest/gtest.h>

namespace jirasim {
namespace {

TEST(FieldSelection, DefaultOfSearchJqlIsIdOnly) {
  auto s = FieldSelection::parse({}, "id");
  EXPECT_TRUE(s.id_only());
  EXPECT_FALSE(s.includes("summary"));
}

TEST(FieldSelection, KeyOnlyStillAllowsLargePages) {
  auto s = FieldSelection::parse({"key"}, "id");
  EXPECT_FALSE(s.id_only());
  EXPECT_TRUE(s.only_id_or_key());
}

TEST(FieldSelection, ListsMayRepeatAndHoldCommas) {
  auto s = FieldSelection::parse({"summary, status", "updated"}, "id");
  EXPECT_TRUE(s.includes("summary"));
  EXPECT_TRUE(s.includes("status"));
  EXPECT_TRUE(s.includes("updated"));
  EXPECT_FALSE(s.includes("description"));
  EXPECT_FALSE(s.only_id_or_key());
}

TEST(FieldSelection, AllWithExclusion) {
  auto s = FieldSelection::parse({"*all,-comment"}, "id");
  EXPECT_TRUE(s.includes("description"));
  EXPECT_FALSE(s.includes("comment"));
}

TEST(FieldSelection, NavigableLeavesOutNonNavigableFields) {
  auto s = FieldSelection::parse({"*navigable"}, "id");
  EXPECT_TRUE(s.includes("summary"));
  EXPECT_FALSE(s.includes("comment"));
}

TEST(FieldSelection, OnlyExclusionsMeanNavigableMinusThose) {
  auto s = FieldSelection::parse({"-description"}, "id");
  EXPECT_TRUE(s.includes("summary"));
  EXPECT_FALSE(s.includes("description"));
}

TEST(Expansion, ReadsCommaSeparatedValues) {
  auto e = Expansion::parse({"names,changelog"});
  EXPECT_TRUE(e.changelog);
  EXPECT_TRUE(e.names);
  EXPECT_FALSE(e.rendered_fields);
}

}  // namespace
}  // namespace jirasim
