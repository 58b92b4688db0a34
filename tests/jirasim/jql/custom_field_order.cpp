#include "tests/jirasim/jql/custom_field_order.hpp"

#include <rapidjson/document.h>

#include <cstring>

#include "tests/jirasim/jql/ascii.hpp"

namespace jirasim::jql {
namespace {

struct SortValue {
  bool empty = true;
  double number = 0;
  std::string text;
};

SortValue sort_value(const SimIssue& issue, const std::string& id) {
  SortValue out;
  const auto it = issue.custom_fields.find(id);
  if (it == issue.custom_fields.end()) return out;
  rapidjson::Document doc;
  doc.Parse(it->second.data(), it->second.size());
  if (doc.HasParseError()) return out;
  const rapidjson::Value* v = &doc;
  if (v->IsArray()) {
    if (v->Empty()) return out;
    v = &(*v)[0];
  }
  if (v->IsNumber()) {
    out.empty = false;
    out.number = v->GetDouble();
    return out;
  }
  if (v->IsObject()) {
    const rapidjson::Value* named = nullptr;
    for (const char* member : {"value", "name", "displayName"}) {
      const auto m = v->FindMember(member);
      if (m != v->MemberEnd() && m->value.IsString()) {
        named = &m->value;
        break;
      }
    }
    v = named;
  }
  if (v && v->IsString()) {
    out.empty = false;
    out.text.assign(v->GetString(), v->GetStringLength());
    for (char& c : out.text) c = ascii_lower(c);
  }
  return out;
}

}  // namespace

int compare_custom_field(const std::string& id, const SimIssue& a, const SimIssue& b) {
  const SortValue x = sort_value(a, id), y = sort_value(b, id);
  if (x.empty != y.empty) return x.empty ? 1 : -1;
  if (x.number != y.number) return x.number < y.number ? -1 : 1;
  const int c = x.text.compare(y.text);  // bytes, as the cache's binary collation
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

}  // namespace jirasim::jql
