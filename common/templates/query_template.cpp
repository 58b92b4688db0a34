#include "common/templates/query_template.hpp"

#include <algorithm>

namespace jirasync {
namespace {

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

struct Placeholder {
  size_t begin = 0, end = 0;  // [begin, end) in the JQL text
  TemplateParam param;
};

ParamKind kind_named(const std::string& kind, const QueryTemplate& t, const std::string& name) {
  if (kind.empty()) return ParamKind::kText;
  if (kind == "int") return ParamKind::kInteger;
  if (kind == "list") return ParamKind::kList;
  if (kind == "date") return ParamKind::kDate;
  throw TemplateError("template " + t.name + ": placeholder ${" + name + ":" + kind +
                      "} has an unknown kind (text, int, list or date)");
}

std::vector<Placeholder> scan(const QueryTemplate& t) {
  std::vector<Placeholder> out;
  for (size_t pos = t.jql.find("${"); pos != std::string::npos; pos = t.jql.find("${", pos)) {
    const size_t close = t.jql.find('}', pos);
    if (close == std::string::npos)
      throw TemplateError("template " + t.name + ": '${' at character " + std::to_string(pos + 1) +
                          " is not closed by '}'");
    const std::string inside = t.jql.substr(pos + 2, close - pos - 2);
    const size_t colon = inside.find(':');
    Placeholder p;
    p.begin = pos;
    p.end = close + 1;
    p.param.name = inside.substr(0, colon);
    const std::string kind = colon == std::string::npos ? "" : inside.substr(colon + 1);
    if (p.param.name.empty() ||
        !std::all_of(p.param.name.begin(), p.param.name.end(), is_name_char))
      throw TemplateError("template " + t.name + ": placeholder ${" + inside +
                          "} needs a name of letters, digits, '_' or '-'");
    p.param.kind = kind_named(kind, t, p.param.name);
    out.push_back(std::move(p));
    pos = close + 1;
  }
  return out;
}

std::vector<std::string> split_list(const std::string& value) {
  std::vector<std::string> items;
  size_t pos = 0;
  for (;;) {
    const size_t comma = value.find(',', pos);
    std::string item =
        value.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    const size_t first = item.find_first_not_of(' ');
    const size_t last = item.find_last_not_of(' ');
    items.push_back(first == std::string::npos ? "" : item.substr(first, last - first + 1));
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return items;
}

// -7d, +2w, 4h, 30m: what JQL reads as an offset from now.
bool is_relative_date(const std::string& v) {
  size_t i = (!v.empty() && (v[0] == '-' || v[0] == '+')) ? 1 : 0;
  const size_t digits = i;
  while (i < v.size() && v[i] >= '0' && v[i] <= '9') ++i;
  if (i == digits || i - digits > 6 || i + 1 != v.size()) return false;
  return std::string("wdhm").find(v[i]) != std::string::npos;
}

// 2024-03-05 or 2024-03-05 10:30 (also with '/'), as JQL reads date literals.
bool is_date_literal(const std::string& v) {
  const auto digit = [&](size_t i) { return i < v.size() && v[i] >= '0' && v[i] <= '9'; };
  const auto sep = [&](size_t i) { return i < v.size() && (v[i] == '-' || v[i] == '/'); };
  const bool date = digit(0) && digit(1) && digit(2) && digit(3) && sep(4) && digit(5) &&
                    digit(6) && sep(7) && digit(8) && digit(9);
  if (!date) return false;
  if (v.size() == 10) return true;
  return v.size() == 16 && v[10] == ' ' && digit(11) && digit(12) && v[13] == ':' && digit(14) &&
         digit(15);
}

std::string render(const QueryTemplate& t, const TemplateParam& p, const std::string& value,
                   const TemplateContext& context) {
  const std::string where = "template " + t.name + ", parameter " + p.name + ": ";
  try {
    switch (p.kind) {
      case ParamKind::kText:
        return quote_jql_string(value);
      case ParamKind::kInteger:
        if (!all_digits(value) || value.size() > 9)
          throw TemplateError("expected a whole number 0..999999999, got '" + value.substr(0, 40) +
                              "'");
        return std::to_string(std::stoll(value));
      case ParamKind::kList: {
        std::string out;
        for (const std::string& item : split_list(value)) {
          if (item.empty())
            throw TemplateError("has an empty item in '" + value.substr(0, 40) + "'");
          out += (out.empty() ? "" : ", ") + quote_jql_string(item);
        }
        return out;
      }
      case ParamKind::kDate:
        if (value == "last-sync") {
          if (context.last_sync_ms <= 0)
            throw TemplateError("'last-sync' but no sync has succeeded yet");
          return std::to_string(context.last_sync_ms);
        }
        if (is_relative_date(value)) return value;
        if (all_digits(value) && value.size() <= 15) return value;
        if (is_date_literal(value)) return quote_jql_string(value);
        throw TemplateError(
            "expected -7d, 4h, 2024-03-05, \"2024-03-05 10:30\", epoch ms or "
            "last-sync, got '" +
            value.substr(0, 40) + "'");
    }
  } catch (const TemplateError& e) {
    throw TemplateError(where + e.what());
  }
  return {};
}

}  // namespace

const char* to_string(ParamKind kind) {
  switch (kind) {
    case ParamKind::kText:
      return "text";
    case ParamKind::kInteger:
      return "int";
    case ParamKind::kList:
      return "list";
    case ParamKind::kDate:
      return "date";
  }
  return "?";
}

std::vector<TemplateParam> QueryTemplate::params() const {
  std::vector<TemplateParam> out;
  for (const Placeholder& p : scan(*this)) {
    auto same = std::find_if(out.begin(), out.end(),
                             [&](const TemplateParam& q) { return q.name == p.param.name; });
    if (same == out.end()) {
      out.push_back(p.param);
      if (auto d = defaults.find(p.param.name); d != defaults.end())
        out.back().fallback = d->second;
    } else if (same->kind != p.param.kind) {
      throw TemplateError("template " + name + ": parameter " + p.param.name + " is used as " +
                          to_string(same->kind) + " and as " + to_string(p.param.kind));
    }
  }
  for (const auto& [param, value] : defaults) {
    if (std::none_of(out.begin(), out.end(),
                     [&](const TemplateParam& q) { return q.name == param; }))
      throw TemplateError("template " + name + ": parameter " + param + " has a default but no ${" +
                          param + "} in the JQL");
  }
  return out;
}

std::string expand_template(const QueryTemplate& t, const std::map<std::string, std::string>& given,
                            const TemplateContext& context) {
  const std::vector<TemplateParam> params = t.params();
  for (const auto& [name, value] : given) {
    if (std::none_of(params.begin(), params.end(),
                     [&](const TemplateParam& p) { return p.name == name; })) {
      std::string known;
      for (const TemplateParam& p : params) known += (known.empty() ? "" : ", ") + p.name;
      throw TemplateError("template " + t.name + " has no parameter " + name +
                          (known.empty() ? " (it takes none)" : " (it takes " + known + ")"));
    }
  }
  std::string out;
  size_t copied = 0;
  for (const Placeholder& p : scan(t)) {
    out.append(t.jql, copied, p.begin - copied);
    copied = p.end;
    auto it = given.find(p.param.name);
    std::string value = it != given.end() ? it->second : "";
    if (it == given.end()) {
      if (auto d = t.defaults.find(p.param.name); d != t.defaults.end()) value = d->second;
    }
    if (value.empty())
      throw TemplateError("template " + t.name + " needs --param " + p.param.name + "=" +
                          (p.param.kind == ParamKind::kText ? "TEXT" : to_string(p.param.kind)));
    out += render(t, p.param, value, context);
  }
  out.append(t.jql, copied);
  return out;
}

std::string quote_jql_string(const std::string& value) {
  std::string out = "\"";
  for (const char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f)
      throw TemplateError("holds a control character (byte " + std::to_string(u) + ")");
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace jirasync
