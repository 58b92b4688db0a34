// The CLI's text output rules, without a process: what a terminal is shown
// (printable), what local text may hold (unsafe_text_reason), JSON and CSV.
#include <gtest/gtest.h>

#include "cli/output_format.hpp"
#include "cli/terminal_text.hpp"

namespace jirasync {
namespace {

TEST(Printable, ShowsControlCharactersAsEscapes) {
  EXPECT_EQ(printable("red \x1b[31mALERT\x1b[0m\a"), "red \\x1B[31mALERT\\x1B[0m\\x07");
  EXPECT_EQ(printable("tab\there\r\n"), "tab\\x09here\\x0D\\x0A");
  EXPECT_EQ(printable("a\nb", /*multiline=*/true), "a\nb");
  EXPECT_EQ(printable("DEL \x7f"), "DEL \\x7F");
  EXPECT_EQ(printable("C1 CSI \xc2\x9b"
                      "2J"),
            "C1 CSI \\u009B2J");
  EXPECT_EQ(printable("not UTF-8 \xff\xc3"), "not UTF-8 \\xFF\\xC3");
  EXPECT_EQ(printable("overlong \xc0\xaf"), "overlong \\xC0\\xAF");
  EXPECT_EQ(printable("Grüße, Привет, 支付 🎉"), "Grüße, Привет, 支付 🎉");
}

TEST(UnsafeTextReason, RefusesTerminalEscapesAndNamesTheByte) {
  EXPECT_EQ(unsafe_text_reason("plain note, Grüße 🎉", false), "");
  EXPECT_EQ(unsafe_text_reason("two\nlines\tand a tab", true), "");
  const std::string esc = unsafe_text_reason("ok \x1b[2J", true);
  EXPECT_NE(esc.find("\\x1B at byte 3"), std::string::npos) << esc;
  EXPECT_NE(unsafe_text_reason("two\nlines", false).find("one line"), std::string::npos);
  EXPECT_NE(unsafe_text_reason("cr\r", true), "");
  EXPECT_NE(unsafe_text_reason("c1 \xc2\x85", true).find("\\u0085"), std::string::npos);
  EXPECT_NE(unsafe_text_reason("bad \xff", true).find("not UTF-8"), std::string::npos);
}

TEST(JsonOut, EscapesEveryControlCharacterAndKeepsUnicode) {
  JsonOut j;
  j.begin_object()
      .text("s", "q\" b\\ nl\n tab\t esc\x1b del\x7f c1\xc2\x9b bad\xff ok 🎉")
      .number("n", -42)
      .flag("f", true)
      .key("z")
      .null()
      .key("a")
      .begin_array()
      .text("x")
      .number(1)
      .end_array()
      .end_object();
  EXPECT_EQ(j.str(),
            "{\"s\":\"q\\\" b\\\\ nl\\n tab\\t esc\\u001b del\\u007f c1\\u009b bad\xef\xbf\xbd "
            "ok 🎉\",\"n\":-42,\"f\":true,\"z\":null,\"a\":[\"x\",1]}");
}

TEST(CsvRow, QuotesWhatNeedsQuotingAndEscapesControls) {
  EXPECT_EQ(csv_row({"a", "b c", ""}), "a,b c,\n");
  EXPECT_EQ(csv_row({"x,y", "say \"hi\"", "two\nlines"}),
            "\"x,y\",\"say \"\"hi\"\"\",\"two\nlines\"\n");
  EXPECT_EQ(csv_row({"esc\x1b[0m"}), "esc\\x1B[0m\n");
}

}  // namespace
}  // namespace jirasync
