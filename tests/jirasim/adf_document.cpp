#include "tests/jirasim/adf_document.hpp"

#include <rapidjson/document.h>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <algorithm>

#include "tests/jirasim/json_writer.hpp"
#include "tests/jirasim/sim_issue.hpp"
#include "tests/jirasim/sim_random.hpp"

namespace jirasim {

namespace {

constexpr const char* kSentences[] = {
    "The export job stops after the first 10,000 rows and reports success anyway.",
    "Steps: open the board, filter by sprint, then drag a card into Done.",
    "При сохранении формы профиля сервер отвечает ошибкой 500.",
    "ログイン後にダッシュボードが表示されません。",
    "支付回调在高并发下超时，需要增加重试。",
    "검색 결과가 비어 있지만 필터는 올바르게 설정되어 있습니다.",
    "Works on staging, fails in production since the last deploy 🚀.",
    "Customer reports that timestamps are shown one hour off after the DST change.",
    "Nach dem Update werden Umlaute wie ä, ö und ü falsch dargestellt.",
    "Le rapport mensuel n'inclut pas les tickets fermés le dernier jour.",
    "Проверить на iOS и Android; на вебе воспроизводится стабильно.",
    "このバグは日本語のファイル名でのみ発生します 🐛",
    "Latency p99 jumped from 120 ms to 2.3 s under load.",
    "需要和产品确认新的字段映射规则。",
    "Emoji in titles 🎉🔥 break the CSV export.",
    "Acceptance: the list paginates without duplicates or gaps.",
};

constexpr const char* kCode[] = {
    "SELECT id, key FROM issues WHERE updated >= $1 ORDER BY updated;",
    "if (page.isLast) {\n  return results;\n}",
    "for issue in client.search(jql):\n    print(issue['key'])",
    "kubectl rollout restart deployment/api -n prod",
};
constexpr const char* kLanguages[] = {"sql", "javascript", "python", "bash"};

struct Emoji {
  const char* short_name;
  const char* id;
  const char* text;
};
constexpr Emoji kEmoji[] = {{":smile:", "1f604", "😄"},
                            {":thumbsup:", "1f44d", "👍"},
                            {":warning:", "26a0", "⚠️"},
                            {":fire:", "1f525", "🔥"},
                            {":tada:", "1f389", "🎉"}};

void text_node(JsonWriter& w, const char* text, const char* mark = nullptr,
               const char* href = nullptr) {
  w.StartObject();
  w.Key("type");
  w.String("text");
  w.Key("text");
  w.String(text);
  if (mark != nullptr) {
    w.Key("marks");
    w.StartArray();
    w.StartObject();
    w.Key("type");
    w.String(mark);
    if (href != nullptr) {
      w.Key("attrs");
      w.StartObject();
      w.Key("href");
      w.String(href);
      w.EndObject();
    }
    w.EndObject();
    w.EndArray();
  }
  w.EndObject();
}

void begin(JsonWriter& w, const char* type) {
  w.StartObject();
  w.Key("type");
  w.String(type);
}

void paragraph(JsonWriter& w, SimRandom& r, const std::vector<SimUser>& people) {
  begin(w, "paragraph");
  w.Key("content");
  w.StartArray();
  text_node(w, kSentences[r.below(std::size(kSentences))]);
  switch (r.below(6)) {
    case 0:
      text_node(w, " ");
      text_node(w, "Important:", "strong");
      text_node(w, " see the linked runbook.");
      break;
    case 1:
      text_node(w, " Config key ");
      text_node(w, "sync.batch_size", "code");
      break;
    case 2:
      if (!people.empty()) {
        const SimUser& u = people[r.below(people.size())];
        text_node(w, " cc ");
        begin(w, "mention");
        w.Key("attrs");
        w.StartObject();
        w.Key("id");
        w.String(u.account_id.c_str());
        w.Key("text");
        w.String(("@" + u.display_name).c_str());
        w.Key("accessLevel");
        w.String("");
        w.EndObject();
        w.EndObject();
      }
      break;
    case 3: {
      const Emoji& e = kEmoji[r.below(std::size(kEmoji))];
      text_node(w, " ");
      begin(w, "emoji");
      w.Key("attrs");
      w.StartObject();
      w.Key("shortName");
      w.String(e.short_name);
      w.Key("id");
      w.String(e.id);
      w.Key("text");
      w.String(e.text);
      w.EndObject();
      w.EndObject();
      break;
    }
    case 4:
      text_node(w, " Details in ");
      text_node(w, "the design doc", "link", "https://example.com/docs/design");
      text_node(w, ".");
      break;
    default:
      begin(w, "hardBreak");
      w.EndObject();
      text_node(w, kSentences[r.below(std::size(kSentences))], "em");
  }
  w.EndArray();
  w.EndObject();
}

void list(JsonWriter& w, SimRandom& r, const std::vector<SimUser>& people) {
  bool ordered = r.chance(0.4);
  begin(w, ordered ? "orderedList" : "bulletList");
  if (ordered) {
    w.Key("attrs");
    w.StartObject();
    w.Key("order");
    w.Int(1);
    w.EndObject();
  }
  w.Key("content");
  w.StartArray();
  int items = 2 + static_cast<int>(r.below(3));
  for (int i = 0; i < items; ++i) {
    begin(w, "listItem");
    w.Key("content");
    w.StartArray();
    paragraph(w, r, people);
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

void cell(JsonWriter& w, const char* type, const char* text) {
  begin(w, type);
  w.Key("attrs");
  w.StartObject();
  w.EndObject();
  w.Key("content");
  w.StartArray();
  begin(w, "paragraph");
  w.Key("content");
  w.StartArray();
  text_node(w, text);
  w.EndArray();
  w.EndObject();
  w.EndArray();
  w.EndObject();
}

void table(JsonWriter& w, SimRandom& r) {
  begin(w, "table");
  w.Key("attrs");
  w.StartObject();
  w.Key("isNumberColumnEnabled");
  w.Bool(false);
  w.Key("layout");
  w.String("default");
  w.EndObject();
  w.Key("content");
  w.StartArray();
  const char* headers[] = {"Environment", "Result", "备注"};
  begin(w, "tableRow");
  w.Key("content");
  w.StartArray();
  for (const char* h : headers) cell(w, "tableHeader", h);
  w.EndArray();
  w.EndObject();
  const char* envs[] = {"staging", "production", "локально"};
  const char* results[] = {"pass", "fail ❌", "flaky"};
  int rows = 1 + static_cast<int>(r.below(3));
  for (int i = 0; i < rows; ++i) {
    begin(w, "tableRow");
    w.Key("content");
    w.StartArray();
    cell(w, "tableCell", envs[i % 3]);
    cell(w, "tableCell", results[r.below(3)]);
    cell(w, "tableCell", kSentences[r.below(std::size(kSentences))]);
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

void block(JsonWriter& w, SimRandom& r, const std::vector<SimUser>& people) {
  switch (r.below(9)) {
    case 0: {
      begin(w, "heading");
      w.Key("attrs");
      w.StartObject();
      w.Key("level");
      w.Int(2 + static_cast<int>(r.below(2)));
      w.EndObject();
      w.Key("content");
      w.StartArray();
      const char* titles[] = {"Steps to reproduce", "Expected result", "Контекст", "再現手順"};
      text_node(w, titles[r.below(4)]);
      w.EndArray();
      w.EndObject();
      break;
    }
    case 1:
      list(w, r, people);
      break;
    case 2: {
      size_t i = r.below(std::size(kCode));
      begin(w, "codeBlock");
      w.Key("attrs");
      w.StartObject();
      w.Key("language");
      w.String(kLanguages[i]);
      w.EndObject();
      w.Key("content");
      w.StartArray();
      text_node(w, kCode[i]);
      w.EndArray();
      w.EndObject();
      break;
    }
    case 3:
      table(w, r);
      break;
    case 4:
      begin(w, "blockquote");
      w.Key("content");
      w.StartArray();
      paragraph(w, r, people);
      w.EndArray();
      w.EndObject();
      break;
    case 5:
      begin(w, "rule");
      w.EndObject();
      break;
    default:
      paragraph(w, r, people);
  }
}

void append_escaped(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out.push_back(c);
    }
  }
}

bool is_block(std::string_view type) {
  return type == "paragraph" || type == "heading" || type == "codeBlock" || type == "listItem" ||
         type == "blockquote" || type == "tableRow" || type == "rule";
}

void walk_text(const rapidjson::Value& node, std::string& out) {
  if (!node.IsObject()) return;
  auto type_it = node.FindMember("type");
  std::string_view type =
      type_it != node.MemberEnd() && type_it->value.IsString() ? type_it->value.GetString() : "";
  auto attrs = node.FindMember("attrs");
  if (type == "text") {
    auto t = node.FindMember("text");
    if (t != node.MemberEnd() && t->value.IsString()) out += t->value.GetString();
  } else if ((type == "mention" || type == "emoji") && attrs != node.MemberEnd() &&
             attrs->value.IsObject()) {
    auto t = attrs->value.FindMember("text");
    if (t != attrs->value.MemberEnd() && t->value.IsString()) out += t->value.GetString();
  } else if (type == "hardBreak") {
    out += "\n";
  }
  auto content = node.FindMember("content");
  if (content != node.MemberEnd() && content->value.IsArray()) {
    bool row = type == "tableRow";
    bool first = true;
    for (const auto& child : content->value.GetArray()) {
      if (row && !first) out += " | ";
      first = false;
      walk_text(child, out);
    }
  }
  if (is_block(type) && (out.empty() || out.back() != '\n')) out += "\n";
}

const char* html_tag(std::string_view type, const rapidjson::Value& node) {
  if (type == "paragraph") return "p";
  if (type == "bulletList") return "ul";
  if (type == "orderedList") return "ol";
  if (type == "listItem") return "li";
  if (type == "blockquote") return "blockquote";
  if (type == "table") return "table";
  if (type == "tableRow") return "tr";
  if (type == "tableHeader") return "th";
  if (type == "tableCell") return "td";
  if (type == "heading") {
    auto attrs = node.FindMember("attrs");
    int level = 2;
    if (attrs != node.MemberEnd() && attrs->value.IsObject()) {
      auto l = attrs->value.FindMember("level");
      if (l != attrs->value.MemberEnd() && l->value.IsInt()) level = l->value.GetInt();
    }
    static const char* tags[] = {"h1", "h2", "h3", "h4", "h5", "h6"};
    return tags[std::clamp(level, 1, 6) - 1];
  }
  return nullptr;
}

void walk_html(const rapidjson::Value& node, std::string& out) {
  if (!node.IsObject()) return;
  auto type_it = node.FindMember("type");
  std::string_view type =
      type_it != node.MemberEnd() && type_it->value.IsString() ? type_it->value.GetString() : "";
  auto attrs = node.FindMember("attrs");
  bool has_attrs = attrs != node.MemberEnd() && attrs->value.IsObject();
  if (type == "text") {
    auto t = node.FindMember("text");
    std::string inner;
    if (t != node.MemberEnd() && t->value.IsString()) append_escaped(inner, t->value.GetString());
    auto marks = node.FindMember("marks");
    if (marks != node.MemberEnd() && marks->value.IsArray()) {
      for (const auto& m : marks->value.GetArray()) {
        auto mt = m.FindMember("type");
        if (mt == m.MemberEnd() || !mt->value.IsString()) continue;
        std::string_view mark = mt->value.GetString();
        if (mark == "strong") inner = "<b>" + inner + "</b>";
        if (mark == "em") inner = "<em>" + inner + "</em>";
        if (mark == "code") inner = "<tt>" + inner + "</tt>";
        if (mark == "link") {
          std::string href;
          auto a = m.FindMember("attrs");
          if (a != m.MemberEnd() && a->value.IsObject() && a->value.HasMember("href") &&
              a->value["href"].IsString()) {
            append_escaped(href, a->value["href"].GetString());
          }
          inner = "<a href=\"" + href + "\">" + inner + "</a>";
        }
      }
    }
    out += inner;
    return;
  }
  if (type == "mention" && has_attrs) {
    out += "<a class=\"user-hover\" rel=\"";
    if (attrs->value.HasMember("id") && attrs->value["id"].IsString()) {
      append_escaped(out, attrs->value["id"].GetString());
    }
    out += "\">";
    if (attrs->value.HasMember("text") && attrs->value["text"].IsString()) {
      append_escaped(out, attrs->value["text"].GetString());
    }
    out += "</a>";
    return;
  }
  if (type == "emoji" && has_attrs) {
    if (attrs->value.HasMember("text") && attrs->value["text"].IsString()) {
      out += attrs->value["text"].GetString();
    }
    return;
  }
  if (type == "hardBreak") {
    out += "<br/>";
    return;
  }
  if (type == "rule") {
    out += "<hr/>";
    return;
  }
  const char* tag = html_tag(type, node);
  bool code = type == "codeBlock";
  if (code) out += "<pre><code>";
  if (type == "table")
    out += "<table class=\"confluenceTable\"><tbody>";
  else if (tag != nullptr)
    out += std::string("<") + tag + ">";
  auto content = node.FindMember("content");
  if (content != node.MemberEnd() && content->value.IsArray()) {
    for (const auto& child : content->value.GetArray()) walk_html(child, out);
  }
  if (code) out += "</code></pre>";
  if (type == "table")
    out += "</tbody></table>";
  else if (tag != nullptr)
    out += std::string("</") + tag + ">";
}

}  // namespace

std::string generate_adf(uint64_t seed, int64_t issue_id, int version,
                         const std::vector<SimUser>& people) {
  SimRandom r(mix(seed, static_cast<uint64_t>(issue_id) * 131 + 7, static_cast<uint64_t>(version)));
  if (r.chance(0.08)) return "null";
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("type");
  w.String("doc");
  w.Key("version");
  w.Int(1);
  w.Key("content");
  w.StartArray();
  paragraph(w, r, people);
  int blocks = static_cast<int>(r.below(5));
  for (int i = 0; i < blocks; ++i) block(w, r, people);
  w.EndArray();
  w.EndObject();
  return buf.GetString();
}

std::string adf_to_text(std::string_view adf_json) {
  rapidjson::Document doc;
  doc.Parse(adf_json.data(), adf_json.size());
  std::string out;
  if (doc.HasParseError() || !doc.IsObject()) return out;
  walk_text(doc, out);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

std::string adf_to_html(std::string_view adf_json) {
  rapidjson::Document doc;
  doc.Parse(adf_json.data(), adf_json.size());
  std::string out;
  if (doc.HasParseError() || !doc.IsObject()) return out;
  walk_html(doc, out);
  return out;
}

std::string adf_from_text(std::string_view text) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("type");
  w.String("doc");
  w.Key("version");
  w.Int(1);
  w.Key("content");
  w.StartArray();
  begin(w, "paragraph");
  w.Key("content");
  w.StartArray();
  w.StartObject();
  w.Key("type");
  w.String("text");
  w.Key("text");
  w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
  w.EndObject();
  w.EndArray();
  w.EndObject();
  w.EndArray();
  w.EndObject();
  return buf.GetString();
}

}  // namespace jirasim
