#include "common/jql/search_cursor.hpp"

#include <algorithm>
#include <stdexcept>

namespace jirasync {
namespace {

constexpr char kHex[] = "0123456789abcdef";

[[noreturn]] void bad_cursor(const std::string& why) {
  throw std::invalid_argument("cursor does not belong to this query (" + why +
                              "); start again without --after");
}

}  // namespace

// c1.<i|s><value>.<...>: integers in decimal, text in hex.
std::string encode_search_cursor(const std::vector<JqlParam>& values) {
  std::string out = "c1";
  for (const JqlParam& v : values) {
    out += '.';
    if (const auto* i = std::get_if<int64_t>(&v)) {
      out += 'i' + std::to_string(*i);
    } else {
      out += 's';
      for (unsigned char c : std::get<std::string>(v)) {
        out += kHex[c >> 4];
        out += kHex[c & 15];
      }
    }
  }
  return out;
}

std::vector<JqlParam> decode_search_cursor(const std::string& cursor,
                                           const std::vector<JqlSortColumn>& order) {
  if (cursor.rfind("c1", 0) != 0) bad_cursor("unknown format");
  std::vector<JqlParam> out;
  size_t pos = 2;
  while (pos < cursor.size()) {
    if (cursor[pos] != '.' || pos + 1 >= cursor.size()) bad_cursor("malformed");
    const size_t end = std::min(cursor.find('.', pos + 1), cursor.size());
    const char kind = cursor[pos + 1];
    const std::string body = cursor.substr(pos + 2, end - pos - 2);
    if (out.size() >= order.size()) bad_cursor("too many values");
    const bool text = order[out.size()].text;
    if (kind == 'i' && !text) {
      size_t used = 0;
      int64_t v = 0;
      try {
        v = std::stoll(body, &used);
      } catch (const std::exception&) {
        bad_cursor("bad number");
      }
      if (used != body.size() || body.empty()) bad_cursor("bad number");
      out.emplace_back(v);
    } else if (kind == 's' && text) {
      if (body.size() % 2) bad_cursor("bad text");
      std::string s;
      for (size_t i = 0; i < body.size(); i += 2) {
        const auto hex = [&](char c) -> int {
          if (c >= '0' && c <= '9') return c - '0';
          if (c >= 'a' && c <= 'f') return c - 'a' + 10;
          bad_cursor("bad text");
        };
        s += static_cast<char>(hex(body[i]) * 16 + hex(body[i + 1]));
      }
      out.emplace_back(std::move(s));
    } else {
      bad_cursor("values of the wrong kind");
    }
    pos = end;
  }
  if (out.size() != order.size()) bad_cursor("too few values");
  return out;
}

std::string keyset_condition(const std::vector<JqlSortColumn>& order,
                             const std::vector<JqlParam>& after, std::vector<JqlParam>& params) {
  // One direction: one row comparison, which an index on the sort columns
  // seeks to (PostgreSQL reads every row before the page for the OR below).
  const bool one_direction = std::all_of(order.begin(), order.end(), [&](const JqlSortColumn& c) {
    return c.ascending == order.front().ascending;
  });
  if (one_direction && !order.empty()) {
    std::string columns, marks;
    for (size_t i = 0; i < order.size(); ++i) {
      columns += (i ? ", " : "") + order[i].sql;
      marks += i ? ", ?" : "?";
      params.push_back(after[i]);
    }
    return "((" + columns + ") " + (order.front().ascending ? ">" : "<") + " (" + marks + "))";
  }
  std::string s = "(";
  for (size_t i = 0; i < order.size(); ++i) {
    s += i ? " OR (" : "(";
    for (size_t k = 0; k < i; ++k) {
      s += order[k].sql + " = ? AND ";
      params.push_back(after[k]);
    }
    s += order[i].sql + (order[i].ascending ? " > ?" : " < ?") + ")";
    params.push_back(after[i]);
  }
  return s + ")";
}

}  // namespace jirasync
