#include "common/adf/adf_text.hpp"

#include <gtest/gtest.h>

#include "common/json/payload_error.hpp"

namespace jirasync {
namespace {

std::string doc(const std::string& content) {
  return R"({"type":"doc","version":1,"content":[)" + content + "]}";
}
std::string para(const std::string& inlines) {
  return R"({"type":"paragraph","content":[)" + inlines + "]}";
}
std::string text(const std::string& t) {
  return R"({"type":"text","text":")" + t + R"("})";
}

std::string field_of_error(const std::string& json) {
  try {
    adf_to_text(json);
  } catch (const PayloadError& e) {
    return e.field();
  }
  return "<no error>";
}

TEST(AdfText, ParagraphsAreSeparatedByOneBlankLine) {
  EXPECT_EQ(adf_to_text(doc(para(text("One")) + "," + para(text("Two")))), "One\n\nTwo");
}

TEST(AdfText, TextRunsConcatenateInsideAParagraph) {
  EXPECT_EQ(adf_to_text(doc(para(text("Hello, ") + "," +
                                 R"({"type":"text","text":"world","marks":[{"type":"strong"}]})"))),
            "Hello, world");
}

TEST(AdfText, HeadingIsItsText) {
  EXPECT_EQ(adf_to_text(doc(R"({"type":"heading","attrs":{"level":2},"content":[)" + text("Steps") +
                            "]}," + para(text("body")))),
            "Steps\n\nbody");
}

TEST(AdfText, HardBreakIsANewline) {
  EXPECT_EQ(adf_to_text(doc(para(text("a") + R"(,{"type":"hardBreak"},)" + text("b")))), "a\nb");
}

TEST(AdfText, NestedBulletAndOrderedLists) {
  std::string nested = R"({"type":"orderedList","attrs":{"order":3},"content":[
      {"type":"listItem","content":[)" +
                       para(text("three")) + R"(]},
      {"type":"listItem","content":[)" +
                       para(text("four")) + R"(]}]})";
  std::string list = R"({"type":"bulletList","content":[
      {"type":"listItem","content":[)" +
                     para(text("first")) + "," + nested + R"(]},
      {"type":"listItem","content":[)" +
                     para(text("second")) + R"(]}]})";
  EXPECT_EQ(adf_to_text(doc(list)), "- first\n  3. three\n  4. four\n- second");
}

TEST(AdfText, OrderedListStartsAtOneByDefault) {
  std::string list = R"({"type":"orderedList","content":[
      {"type":"listItem","content":[)" +
                     para(text("a")) + R"(]},
      {"type":"listItem","content":[)" +
                     para(text("b")) + R"(]}]})";
  EXPECT_EQ(adf_to_text(doc(list)), "1. a\n2. b");
}

TEST(AdfText, ListItemContinuationLinesAlignUnderTheMarker) {
  std::string list = R"({"type":"orderedList","attrs":{"order":9},"content":[
      {"type":"listItem","content":[)" +
                     para(text("x")) + R"(]},
      {"type":"listItem","content":[)" +
                     para(text("line1") + R"(,{"type":"hardBreak"},)" + text("line2")) + R"(]}]})";
  EXPECT_EQ(adf_to_text(doc(list)), "9. x\n10. line1\n    line2");
}

TEST(AdfText, CodeBlockIsVerbatim) {
  EXPECT_EQ(adf_to_text(doc(R"({"type":"codeBlock","attrs":{"language":"cpp"},"content":[)"
                            R"({"type":"text","text":"int main() {\n  return 0;\n}"}]})")),
            "int main() {\n  return 0;\n}");
}

TEST(AdfText, BlockquotePrefixesEachLine) {
  EXPECT_EQ(adf_to_text(doc(R"({"type":"blockquote","content":[)" + para(text("a")) + "," +
                            para(text("b") + R"(,{"type":"hardBreak"},)" + text("c")) + "]}")),
            "> a\n\n> b\n> c");
}

TEST(AdfText, PanelAndRule) {
  EXPECT_EQ(adf_to_text(doc(R"({"type":"panel","attrs":{"panelType":"info"},"content":[)" +
                            para(text("note")) + R"(]},{"type":"rule"},)" + para(text("after")))),
            "note\n\n---\n\nafter");
}

TEST(AdfText, TableRowsAndCells) {
  std::string table = R"({"type":"table","content":[
    {"type":"tableRow","content":[
      {"type":"tableHeader","content":[)" +
                      para(text("Name")) + R"(]},
      {"type":"tableHeader","content":[)" +
                      para(text("Age")) + R"(]}]},
    {"type":"tableRow","content":[
      {"type":"tableCell","content":[)" +
                      para(text("Ann")) + "," + para(text("B.")) + R"(]},
      {"type":"tableCell","content":[)" +
                      para(text("42")) + R"(]}]}]})";
  EXPECT_EQ(adf_to_text(doc(table)), "Name | Age\nAnn B. | 42");
}

TEST(AdfText, MentionEmojiStatusAndCards) {
  std::string inlines =
      R"({"type":"mention","attrs":{"id":"abc","text":"@Jane"}},)" + text(" ") +
      R"(,{"type":"mention","attrs":{"id":"557058:x"}},)" + text(" ") +
      R"(,{"type":"emoji","attrs":{"shortName":":smile:","text":"😄"}},)"
      R"({"type":"emoji","attrs":{"shortName":":custom:"}},)" +
      text(" ") + R"(,{"type":"status","attrs":{"text":"IN REVIEW","color":"blue"}},)" + text(" ") +
      R"(,{"type":"inlineCard","attrs":{"url":"https://x.example/1"}})";
  EXPECT_EQ(adf_to_text(doc(para(inlines) +
                            R"(,{"type":"blockCard","attrs":{"url":"https://x.example/2"}})")),
            "@Jane @557058:x 😄:custom: IN REVIEW https://x.example/1\n\nhttps://x.example/2");
}

TEST(AdfText, LinkMarkAppendsUrlOnlyWhenDifferent) {
  std::string linked =
      R"({"type":"text","text":"docs","marks":[{"type":"link","attrs":{"href":"https://d.example"}}]})";
  std::string bare =
      R"({"type":"text","text":"https://d.example","marks":[{"type":"link","attrs":{"href":"https://d.example"}}]})";
  EXPECT_EQ(adf_to_text(doc(para(linked + "," + text(" and ") + "," + bare))),
            "docs (https://d.example) and https://d.example");
}

TEST(AdfText, MediaUsesAltThenFilenameThenPlaceholder) {
  std::string media =
      R"({"type":"mediaSingle","content":[{"type":"media","attrs":{"id":"1","type":"file","alt":"screenshot.png"}}]},
     {"type":"mediaGroup","content":[{"type":"media","attrs":{"id":"2","type":"file","filename":"log.txt"}},
                                     {"type":"media","attrs":{"id":"3","type":"file"}}]})";
  EXPECT_EQ(adf_to_text(doc(media)), "screenshot.png\n\nlog.txt\n[media]");
}

TEST(AdfText, DateRendersAsIsoDayInUtc) {
  EXPECT_EQ(adf_to_text(doc(para(R"({"type":"date","attrs":{"timestamp":"1709596800000"}})"))),
            "2024-03-05");
  EXPECT_EQ(adf_to_text(doc(para(R"({"type":"date","attrs":{"timestamp":1709683199999}})"))),
            "2024-03-05");
  EXPECT_EQ(adf_to_text(doc(para(R"({"type":"date","attrs":{"timestamp":"-1"}})"))), "1969-12-31");
  EXPECT_EQ(adf_to_text(doc(para(R"({"type":"date","attrs":{"timestamp":"951782400000"}})"))),
            "2000-02-29");
}

TEST(AdfText, ExpandShowsTitleThenContent) {
  EXPECT_EQ(adf_to_text(doc(R"({"type":"expand","attrs":{"title":"Details"},"content":[)" +
                            para(text("hidden")) +
                            R"(,{"type":"nestedExpand","attrs":{"title":"More"},"content":[)" +
                            para(text("deeper")) + "]}]}")),
            "Details\nhidden\n\nMore\ndeeper");
}

TEST(AdfText, TaskListWithStatesAndNesting) {
  std::string tasks = R"({"type":"taskList","attrs":{"localId":"l"},"content":[
     {"type":"taskItem","attrs":{"localId":"a","state":"DONE"},"content":[)" +
                      text("ship") + R"(]},
     {"type":"taskItem","attrs":{"localId":"b","state":"TODO"},"content":[)" +
                      text("test") + R"(]},
     {"type":"taskList","attrs":{"localId":"m"},"content":[
        {"type":"taskItem","attrs":{"localId":"c","state":"TODO"},"content":[)" +
                      text("sub") + R"(]}]}]})";
  EXPECT_EQ(adf_to_text(doc(tasks)), "[x] ship\n[ ] test\n  [ ] sub");
}

TEST(AdfText, DecisionList) {
  EXPECT_EQ(adf_to_text(doc(R"({"type":"decisionList","attrs":{"localId":"d"},"content":[
      {"type":"decisionItem","attrs":{"localId":"e","state":"DECIDED"},"content":[)" +
                            text("use Kafka") + "]}]}")),
            "- use Kafka");
}

TEST(AdfText, UnknownNodesDegradeToTheirText) {
  EXPECT_EQ(
      adf_to_text(doc(R"({"type":"futureBlock","content":[)" + para(text("inside")) + R"(]},)" +
                      para(R"({"type":"futureInline","content":[)" + text("inline") +
                           R"(]},{"type":"sparkle","text":"!"})"))),
      "inside\n\ninline!");
}

TEST(AdfText, UnicodePassesThrough) {
  std::string s =
      "emoji 👩‍💻, CJK 漢字かな, RTL שלום مرحبا, combining e\xCC\x81";
  EXPECT_EQ(adf_to_text(doc(para(text(s)))), s);
  // Escaped forms decode to the same UTF-8.
  EXPECT_EQ(adf_to_text(doc(para(text("\\u6f22\\ud83d\\ude00")))), "漢😀");
}

TEST(AdfText, TrailingWhitespaceTrimmedAndBlankLinesCollapsed) {
  EXPECT_EQ(adf_to_text(doc(para(text("a   ")) + R"(,{"type":"paragraph","content":[]},)" +
                            R"({"type":"paragraph"},)" + para(text("b\\n\\n\\n\\nc  ")) + "," +
                            para(text("  ")))),
            "a\n\nb\n\nc");
}

TEST(AdfText, EmptyDocumentIsEmptyText) {
  EXPECT_EQ(adf_to_text(R"({"type":"doc","version":1,"content":[]})"), "");
  EXPECT_EQ(adf_to_text(R"({"type":"doc","version":1})"), "");
}

TEST(AdfText, InvalidJsonNamesTheDescription) {
  try {
    adf_to_text(std::string_view(R"({"type":"doc",)"));
    FAIL();
  } catch (const PayloadError& e) {
    EXPECT_EQ(e.field(), "description");
    EXPECT_NE(std::string(e.what()).find("invalid JSON"), std::string::npos);
  }
  EXPECT_EQ(field_of_error("[1,2]"), "description");
  EXPECT_EQ(field_of_error("\"just text\""), "description");
}

TEST(AdfText, InvalidUtf8IsRejected) {
  EXPECT_EQ(field_of_error(doc(para(text("bad \xC3\x28 byte")))), "description");
}

TEST(AdfText, StructuralErrorsNameTheJsonPath) {
  EXPECT_EQ(field_of_error(R"({"type":"doc","content":{}})"), "description.content");
  EXPECT_EQ(field_of_error(doc(para(R"({"type":"text","text":5})"))),
            "description.content[0].content[0].text");
  EXPECT_EQ(field_of_error(doc(para(text("ok") + R"(,{"type":"text"})"))),
            "description.content[0].content[1].text");
  EXPECT_EQ(field_of_error(doc(R"("not a node")")), "description.content[0]");
  EXPECT_EQ(field_of_error(doc(R"({"type":7})")), "description.content[0].type");
  EXPECT_EQ(field_of_error(doc(R"({"type":"orderedList","attrs":{"order":"x"},"content":[]})")),
            "description.content[0].attrs.order");
  EXPECT_EQ(field_of_error(doc(para(R"({"type":"date","attrs":{"timestamp":"soon"}})"))),
            "description.content[0].content[0].attrs.timestamp");
  EXPECT_EQ(field_of_error(doc(para(R"({"type":"mention","attrs":"x"})"))),
            "description.content[0].content[0].attrs");
}

TEST(AdfText, CustomFieldNameIsUsedInErrors) {
  try {
    adf_to_text(std::string_view("{"), "fields.customfield_10001");
    FAIL();
  } catch (const PayloadError& e) {
    EXPECT_EQ(e.field(), "fields.customfield_10001");
  }
}

std::string nested_quotes(int levels) {
  std::string open, close;
  for (int i = 0; i < levels; ++i) {
    open += R"({"type":"blockquote","content":[)";
    close += "]}";
  }
  return doc(open + para(text("deep")) + close);
}

TEST(AdfText, NestingUpToTheCapRenders) {
  std::string out = adf_to_text(nested_quotes(kMaxAdfDepth - 3));
  EXPECT_NE(out.find("deep"), std::string::npos);
}

TEST(AdfText, NestingPastTheCapIsAClearError) {
  try {
    adf_to_text(nested_quotes(kMaxAdfDepth + 5));
    FAIL();
  } catch (const PayloadError& e) {
    EXPECT_NE(std::string(e.what()).find("deeper than 100"), std::string::npos) << e.what();
    EXPECT_EQ(e.field().rfind("description.content[0]", 0), 0u) << e.field();
  }
}

TEST(AdfText, HostileJsonDepthIsRejectedBeforeParsing) {
  std::string hostile(200000, '[');
  try {
    adf_to_text(hostile);
    FAIL();
  } catch (const PayloadError& e) {
    EXPECT_EQ(e.field(), "description");
    EXPECT_NE(std::string(e.what()).find("nested deeper"), std::string::npos);
  }
}

}  // namespace
}  // namespace jirasync
