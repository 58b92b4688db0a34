#include "common/adf/adf_text.hpp"

#include <cstdint>
#include <cstdio>
#include <string_view>
#include <vector>

#include "common/json/json_document.hpp"
#include "common/json/payload_error.hpp"

namespace jirasync {
namespace {

using rapidjson::Value;

std::string_view view_of(const Value& v) {
  return {v.GetString(), v.GetStringLength()};
}

// Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm), so the
// adf library needs no time-zone database for `date` nodes.
std::string iso_date_from_ms(int64_t ms) {
  int64_t z = (ms >= 0 ? ms : ms - 86399999) / 86400000;
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  char buf[80];
  std::snprintf(buf, sizeof buf, "%04lld-%02d-%02d", static_cast<long long>(y), static_cast<int>(m),
                static_cast<int>(d));
  return buf;
}

// Prefixes the first line with `first` and every later non-empty line with
// `rest`, for list markers and quotes.
std::string prefix_lines(std::string_view body, std::string_view first, std::string_view rest) {
  std::string out;
  bool at_start = true;
  bool first_line = true;
  for (char c : body) {
    if (at_start) {
      if (c != '\n' || first_line) out += first_line ? first : rest;
      at_start = false;
      first_line = false;
    }
    out += c;
    if (c == '\n') at_start = true;
  }
  if (first_line) out += first;
  return out;
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (const auto& p : parts) {
    if (p.empty()) continue;
    if (!out.empty()) out += sep;
    out += p;
  }
  return out;
}

// Trims trailing whitespace on every line, collapses blank-line runs to one,
// drops leading and trailing blank lines.
std::string tidy(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  bool pending_blank = false;
  for (size_t start = 0; start <= text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    size_t stop = end;
    while (stop > start &&
           (text[stop - 1] == ' ' || text[stop - 1] == '\t' || text[stop - 1] == '\r')) {
      --stop;
    }
    if (stop == start) {
      pending_blank = !out.empty();
    } else {
      if (!out.empty()) out += pending_blank ? "\n\n" : "\n";
      pending_blank = false;
      out.append(text, start, stop - start);
    }
    start = end + 1;
  }
  return out;
}

bool is_inline_type(std::string_view t) {
  return t == "text" || t == "hardBreak" || t == "mention" || t == "emoji" || t == "inlineCard" ||
         t == "status" || t == "date" || t == "mediaInline" || t == "placeholder" ||
         t == "inlineExtension";
}

bool is_block_type(std::string_view t) {
  static constexpr std::string_view kBlocks[] = {
      "doc",          "paragraph",  "heading",       "bulletList",   "orderedList",    "listItem",
      "codeBlock",    "blockquote", "panel",         "rule",         "table",          "tableRow",
      "tableHeader",  "tableCell",  "mediaSingle",   "mediaGroup",   "media",          "expand",
      "nestedExpand", "taskList",   "taskItem",      "decisionList", "decisionItem",   "blockCard",
      "embedCard",    "caption",    "layoutSection", "layoutColumn", "bodiedExtension"};
  for (auto known : kBlocks) {
    if (t == known) return true;
  }
  return false;
}

// Where a node is ("description.content[2].marks[0]"), spelled out only
// when an error names it: most documents render without one.
class NodePath {
 public:
  enum Array { kContent, kMarks };
  explicit NodePath(const std::string& root) : root_(&root) {}
  NodePath(const NodePath& parent, Array array, rapidjson::SizeType index)
      : parent_(&parent), array_(array), index_(index) {}

  std::string str() const {
    if (parent_ == nullptr) return *root_;
    return parent_->str() + (array_ == kContent ? ".content[" : ".marks[") +
           std::to_string(index_) + "]";
  }
  std::string operator+(const char* suffix) const { return str() + suffix; }

 private:
  const std::string* root_ = nullptr;
  const NodePath* parent_ = nullptr;
  Array array_ = kContent;
  rapidjson::SizeType index_ = 0;
};

class AdfRenderer {
 public:
  std::string block(const Value& node, const NodePath& path, int depth) {
    std::string_view type = type_of(node, path, depth);
    if (type == "doc" || type == "panel" || type == "bodiedExtension" || type == "layoutSection" ||
        type == "layoutColumn") {
      return blocks(node, path, depth, "\n\n");
    }
    if (type == "paragraph" || type == "heading" || type == "codeBlock" || type == "decisionItem" ||
        type == "caption") {
      return inlines(node, path, depth);
    }
    if (type == "bulletList" || type == "orderedList") return list(node, path, depth, type);
    if (type == "listItem") return blocks(node, path, depth, "\n");
    if (type == "taskList") return task_list(node, path, depth);
    if (type == "taskItem") return task_marker(node, path) + inlines(node, path, depth);
    if (type == "decisionList") return marked_items(node, path, depth, "- ");
    if (type == "blockquote") return prefix_lines(blocks(node, path, depth, "\n\n"), "> ", "> ");
    if (type == "rule") return "---";
    if (type == "table") return table(node, path, depth);
    if (type == "tableRow") return table_row(node, path, depth);
    if (type == "tableHeader" || type == "tableCell") return cell(node, path, depth);
    if (type == "mediaSingle" || type == "mediaGroup") {
      return each_child(node, path, depth, "\n",
                        [&](const Value& c, const NodePath& p) { return block(c, p, depth + 1); });
    }
    if (type == "media") return media_label(node, path);
    if (type == "blockCard" || type == "embedCard") return attr_string(node, "url", path);
    if (type == "expand" || type == "nestedExpand") {
      return join({attr_string(node, "title", path), blocks(node, path, depth, "\n\n")}, "\n");
    }
    if (is_inline_type(type)) return inline_text(node, path, depth);
    // Unknown block: the text inside it.
    if (content_of(node, path) != nullptr) return blocks(node, path, depth, "\n\n");
    return own_text(node, path);
  }

 private:
  std::string_view type_of(const Value& node, const NodePath& path, int depth) {
    if (depth > kMaxAdfDepth) {
      throw PayloadError(path.str(),
                         "ADF nested deeper than " + std::to_string(kMaxAdfDepth) + " node levels");
    }
    if (!node.IsObject()) throw PayloadError(path.str(), "ADF node must be a JSON object");
    auto it = node.FindMember("type");
    if (it == node.MemberEnd()) return {};
    if (!it->value.IsString()) throw PayloadError(path + ".type", "must be a string");
    return view_of(it->value);
  }

  const Value* content_of(const Value& node, const NodePath& path) {
    auto it = node.FindMember("content");
    if (it == node.MemberEnd() || it->value.IsNull()) return nullptr;
    if (!it->value.IsArray()) throw PayloadError(path + ".content", "must be an array");
    return &it->value;
  }

  const Value* attr(const Value& node, const char* name, const NodePath& path) {
    auto it = node.FindMember("attrs");
    if (it == node.MemberEnd() || it->value.IsNull()) return nullptr;
    if (!it->value.IsObject()) throw PayloadError(path + ".attrs", "must be an object");
    auto a = it->value.FindMember(name);
    if (a == it->value.MemberEnd() || a->value.IsNull()) return nullptr;
    return &a->value;
  }

  std::string attr_string(const Value& node, const char* name, const NodePath& path) {
    const Value* v = attr(node, name, path);
    if (v == nullptr) return {};
    if (!v->IsString()) throw PayloadError(path + ".attrs." + name, "must be a string");
    return std::string(view_of(*v));
  }

  std::string own_text(const Value& node, const NodePath& path) {
    auto it = node.FindMember("text");
    if (it == node.MemberEnd() || it->value.IsNull()) return {};
    if (!it->value.IsString()) throw PayloadError(path + ".text", "must be a string");
    return std::string(view_of(it->value));
  }

  template <typename RenderChild>
  std::string each_child(const Value& node, const NodePath& path, int /*depth*/,
                         std::string_view sep, RenderChild render) {
    const Value* content = content_of(node, path);
    if (content == nullptr) return {};
    std::vector<std::string> parts;
    for (rapidjson::SizeType i = 0; i < content->Size(); ++i) {
      parts.push_back(render((*content)[i], NodePath(path, NodePath::kContent, i)));
    }
    return join(parts, sep);
  }

  // Children as blocks; runs of inline children (text directly under a doc or
  // an unknown container) form one block.
  std::string blocks(const Value& node, const NodePath& path, int depth, std::string_view sep) {
    const Value* content = content_of(node, path);
    if (content == nullptr) return {};
    std::vector<std::string> parts;
    std::string run;
    bool in_run = false;
    for (rapidjson::SizeType i = 0; i < content->Size(); ++i) {
      const Value& child = (*content)[i];
      const NodePath child_path(path, NodePath::kContent, i);
      if (is_inline_type(type_of(child, child_path, depth + 1))) {
        run += inline_text(child, child_path, depth + 1);
        in_run = true;
        continue;
      }
      if (in_run) parts.push_back(std::move(run));
      run.clear();
      in_run = false;
      parts.push_back(block(child, child_path, depth + 1));
    }
    if (in_run) parts.push_back(std::move(run));
    return join(parts, sep);
  }

  std::string inlines(const Value& node, const NodePath& path, int depth) {
    const Value* content = content_of(node, path);
    if (content == nullptr) return {};
    std::string out;
    for (rapidjson::SizeType i = 0; i < content->Size(); ++i) {
      out += inline_text((*content)[i], NodePath(path, NodePath::kContent, i), depth + 1);
    }
    return out;
  }

  std::string inline_text(const Value& node, const NodePath& path, int depth) {
    std::string_view type = type_of(node, path, depth);
    if (type == "text") return text_node(node, path);
    if (type == "hardBreak") return "\n";
    if (type == "mention") {
      std::string text = attr_string(node, "text", path);
      if (!text.empty()) return text;
      std::string id = attr_string(node, "id", path);
      return id.empty() ? std::string() : "@" + id;
    }
    if (type == "emoji") {
      std::string text = attr_string(node, "text", path);
      return text.empty() ? attr_string(node, "shortName", path) : text;
    }
    if (type == "inlineCard") return attr_string(node, "url", path);
    if (type == "status") return attr_string(node, "text", path);
    if (type == "date") return date_node(node, path);
    if (type == "mediaInline" || type == "media") return media_label(node, path);
    if (type == "placeholder") return {};  // an editor hint, not content
    if (is_inline_type(type)) return own_text(node, path);
    // A block where an inline was expected: render it whole rather than lose it.
    if (is_block_type(type)) return block(node, path, depth);
    if (content_of(node, path) != nullptr) return inlines(node, path, depth);
    return own_text(node, path);
  }

  std::string text_node(const Value& node, const NodePath& path) {
    auto it = node.FindMember("text");
    if (it == node.MemberEnd() || !it->value.IsString()) {
      throw PayloadError(path + ".text", "text node needs a string \"text\"");
    }
    std::string text(view_of(it->value));
    auto marks = node.FindMember("marks");
    if (marks == node.MemberEnd() || marks->value.IsNull()) return text;
    if (!marks->value.IsArray()) throw PayloadError(path + ".marks", "must be an array");
    for (rapidjson::SizeType i = 0; i < marks->value.Size(); ++i) {
      const Value& mark = marks->value[i];
      const NodePath mark_path(path, NodePath::kMarks, i);
      if (!mark.IsObject()) throw PayloadError(mark_path.str(), "mark must be a JSON object");
      auto type = mark.FindMember("type");
      if (type == mark.MemberEnd() || !type->value.IsString()) {
        throw PayloadError(mark_path + ".type", "mark needs a string \"type\"");
      }
      if (view_of(type->value) != "link") continue;
      std::string href = attr_string(mark, "href", mark_path);
      if (!href.empty() && href != text) text += " (" + href + ")";
    }
    return text;
  }

  std::string date_node(const Value& node, const NodePath& path) {
    const Value* ts = attr(node, "timestamp", path);
    auto ts_path = [&path] { return path + ".attrs.timestamp"; };
    if (ts == nullptr) throw PayloadError(ts_path(), "date node needs a timestamp");
    int64_t ms = 0;
    if (ts->IsInt64()) {
      ms = ts->GetInt64();
    } else if (ts->IsString()) {
      std::string_view s = view_of(*ts);
      bool negative = !s.empty() && s[0] == '-';
      if (negative) s.remove_prefix(1);
      if (s.empty() || s.size() > 15) {
        throw PayloadError(ts_path(), "must be epoch milliseconds");
      }
      for (char c : s) {
        if (c < '0' || c > '9') throw PayloadError(ts_path(), "must be epoch milliseconds");
        ms = ms * 10 + (c - '0');
      }
      if (negative) ms = -ms;
    } else {
      throw PayloadError(ts_path(), "must be epoch milliseconds (string or integer)");
    }
    return iso_date_from_ms(ms);
  }

  std::string media_label(const Value& node, const NodePath& path) {
    std::string alt = attr_string(node, "alt", path);
    if (!alt.empty()) return alt;
    std::string filename = attr_string(node, "filename", path);
    return filename.empty() ? "[media]" : filename;
  }

  std::string task_marker(const Value& node, const NodePath& path) {
    return attr_string(node, "state", path) == "DONE" ? "[x] " : "[ ] ";
  }

  std::string list(const Value& node, const NodePath& path, int depth, std::string_view type) {
    int64_t number = 1;
    if (type == "orderedList") {
      if (const Value* order = attr(node, "order", path)) {
        if (!order->IsInt64() || order->GetInt64() < 0) {
          throw PayloadError(path + ".attrs.order", "must be a non-negative integer");
        }
        number = order->GetInt64();
      }
    }
    return each_child(node, path, depth, "\n", [&](const Value& item, const NodePath& p) {
      std::string marker = type == "orderedList" ? std::to_string(number++) + ". " : "- ";
      std::string body = block(item, p, depth + 1);
      return prefix_lines(body, marker, std::string(marker.size(), ' '));
    });
  }

  std::string task_list(const Value& node, const NodePath& path, int depth) {
    return each_child(node, path, depth, "\n", [&](const Value& item, const NodePath& p) {
      std::string body = block(item, p, depth + 1);
      // A taskList directly inside a taskList is Atlassian's way to nest.
      if (type_of(item, p, depth + 1) == "taskList") return prefix_lines(body, "  ", "  ");
      return body;
    });
  }

  std::string marked_items(const Value& node, const NodePath& path, int depth,
                           std::string_view marker) {
    return each_child(node, path, depth, "\n", [&](const Value& item, const NodePath& p) {
      return prefix_lines(block(item, p, depth + 1), marker, std::string(marker.size(), ' '));
    });
  }

  std::string table(const Value& node, const NodePath& path, int depth) {
    return each_child(node, path, depth, "\n", [&](const Value& row, const NodePath& p) {
      return block(row, p, depth + 1);
    });
  }

  std::string table_row(const Value& node, const NodePath& path, int depth) {
    const Value* content = content_of(node, path);
    if (content == nullptr) return {};
    std::string out;
    for (rapidjson::SizeType i = 0; i < content->Size(); ++i) {
      if (i > 0) out += " | ";
      out += block((*content)[i], NodePath(path, NodePath::kContent, i), depth + 1);
    }
    return out;
  }

  // A cell stays on its row's line.
  std::string cell(const Value& node, const NodePath& path, int depth) {
    std::string text = blocks(node, path, depth, " ");
    for (char& c : text) {
      if (c == '\n') c = ' ';
    }
    return text;
  }
};

}  // namespace

std::string adf_to_text(const rapidjson::Value& adf, const std::string& field) {
  if (!adf.IsObject()) throw PayloadError(field, "ADF document must be a JSON object");
  AdfRenderer renderer;
  return tidy(renderer.block(adf, NodePath(field), 0));
}

std::string adf_to_text(std::string_view json, const std::string& field) {
  rapidjson::Document doc;
  parse_json_text(json, doc, field);
  return adf_to_text(doc, field);
}

}  // namespace jirasync
