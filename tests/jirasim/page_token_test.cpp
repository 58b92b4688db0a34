#include "tests/jirasim/page_token.hpp"

#include <gtest/gtest.h>

namespace jirasim {
namespace {

PagePosition sample() {
  PagePosition p;
  p.query_hash = hash_text("project = WRKA ORDER BY updated ASC");
  p.last.id = 10042;
  p.last.key = "WRKA-42";
  p.last.updated_ms = 1735812600000;
  p.last.created_ms = 1735000000000;
  p.last.summary = "Ошибка при сохранении 🎉";
  p.last.priority = "High";
  return p;
}

TEST(PageTokenCodec, RoundTripsThePosition) {
  PageTokenCodec codec("secret-a");
  auto decoded = codec.decode(codec.encode(sample()));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->query_hash, sample().query_hash);
  EXPECT_EQ(decoded->last.id, 10042);
  EXPECT_EQ(decoded->last.key, "WRKA-42");
  EXPECT_EQ(decoded->last.updated_ms, 1735812600000);
  EXPECT_EQ(decoded->last.summary, "Ошибка при сохранении 🎉");
  EXPECT_EQ(decoded->last.priority, "High");
}

// ORDER BY a custom field resumes after the last issue's value of it.
TEST(PageTokenCodec, RoundTripsTheCustomFieldsOfThePosition) {
  PageTokenCodec codec("secret-a");
  PagePosition p = sample();
  p.last.custom_fields["customfield_10016"] = "5.0";
  p.last.custom_fields["customfield_10020"] = R"([{"id":3,"name":"Sprint\u001f 2"}])";
  auto decoded = codec.decode(codec.encode(p));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->last.custom_fields, p.last.custom_fields);
  EXPECT_EQ(decoded->last.summary, "Ошибка при сохранении 🎉");
}

TEST(PageTokenCodec, RefusesATamperedToken) {
  PageTokenCodec codec("secret-a");
  std::string token = codec.encode(sample());
  for (size_t i : {size_t{0}, token.size() / 2, token.size() - 1}) {
    std::string bad = token;
    bad[i] = bad[i] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(codec.decode(bad).has_value()) << "flipped character " << i;
  }
  EXPECT_FALSE(codec.decode("BOGUS").has_value());
  EXPECT_FALSE(codec.decode("").has_value());
}

TEST(PageTokenCodec, RefusesATokenOfAnotherRun) {
  PageTokenCodec a("secret-a");
  PageTokenCodec b("secret-b");
  EXPECT_FALSE(b.decode(a.encode(sample())).has_value());
}

}  // namespace
}  // namespace jirasim
