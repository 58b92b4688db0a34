#include "common/time/duration_text.hpp"

#include <gtest/gtest.h>

namespace jirasync {
namespace {

TEST(DurationText, ReadsEveryUnitAndChains) {
  EXPECT_EQ(parse_duration_ms("500ms"), 500);
  EXPECT_EQ(parse_duration_ms("30s"), 30000);
  EXPECT_EQ(parse_duration_ms("15m"), 900000);
  EXPECT_EQ(parse_duration_ms("1h"), 3600000);
  EXPECT_EQ(parse_duration_ms("2d"), 172800000);
  EXPECT_EQ(parse_duration_ms("1w"), 604800000);
  EXPECT_EQ(parse_duration_ms("1h30m"), 5400000);
  EXPECT_EQ(parse_duration_ms("0s"), 0);
}

TEST(DurationText, RefusesWhatIsNotADuration) {
  for (const char* text : {"", "1", "h", "1x", "-1h", "1h 30m", "1.5h", "99999999999999999999d"}) {
    EXPECT_THROW(parse_duration_ms(text), std::invalid_argument) << text;
  }
}

TEST(DurationText, FormatsTheShortestExactForm) {
  EXPECT_EQ(format_duration_text(3600000), "1h");
  EXPECT_EQ(format_duration_text(5400000), "1h30m");
  EXPECT_EQ(format_duration_text(1500), "1s500ms");
  EXPECT_EQ(format_duration_text(0), "0s");
  EXPECT_EQ(parse_duration_ms(format_duration_text(93784005)), 93784005);
}

}  // namespace
}  // namespace jirasync
