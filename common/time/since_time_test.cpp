#include "common/time/since_time.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>

namespace jirasync {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kNow = 1'700'000'000'000;

TEST(ParseSince, ADurationAgoWithOrWithoutAMinus) {
  EXPECT_EQ(parse_since("2h", kNow), kNow - 7'200'000);
  EXPECT_EQ(parse_since("-7d", kNow), kNow - 7 * 86'400'000LL);
  EXPECT_EQ(parse_since("30m", kNow), kNow - 1'800'000);
}

TEST(ParseSince, ADateOrATime) {
  EXPECT_EQ(parse_since("2024-03-05", kNow), 1'709'596'800'000);
  EXPECT_EQ(parse_since("2024-03-05T10:00:00Z", kNow), 1'709'632'800'000);
}

TEST(ParseSince, AnythingElseSaysWhatIsAccepted) {
  for (const char* bad : {"", "-", "yesterday", "7 days", "-x", "2024-13-99"}) {
    try {
      (void)parse_since(bad, kNow);
      ADD_FAILURE() << bad;
    } catch (const std::invalid_argument& e) {
      EXPECT_THAT(e.what(), HasSubstr("neither a duration ago")) << bad;
    }
  }
}

TEST(ParseSince, TheErrorNeverEchoesControlCharacters) {
  try {
    (void)parse_since("a\x1b[31m", kNow);
    ADD_FAILURE();
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()).find('\x1b'), std::string::npos);
  }
}

}  // namespace
}  // namespace jirasync
