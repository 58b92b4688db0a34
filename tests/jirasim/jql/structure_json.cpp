#include "tests/jirasim/jql/structure_json.hpp"

#include <cstdio>

namespace jirasim::jql {
namespace {

void put_string(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned char>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void put_field(std::string& out, const std::string& name) {
  out += "{\"encodedName\":";
  put_string(out, encode_value(name));
  out += ",\"name\":";
  put_string(out, name);
  out += '}';
}

void put_operand(std::string& out, const Operand& o) {
  switch (o.kind) {
    case Operand::Kind::Value:
      out += "{\"encodedValue\":";
      put_string(out, encode_value(o.value));
      out += ",\"value\":";
      put_string(out, o.value);
      out += '}';
      return;
    case Operand::Kind::Empty:
      out += "{\"keyword\":\"empty\"}";
      return;
    case Operand::Kind::Function:
      out += "{\"arguments\":[";
      for (size_t i = 0; i < o.arguments.size(); ++i) {
        if (i) out += ',';
        put_string(out, o.arguments[i]);
      }
      out += "],\"encodedOperand\":";
      put_string(out, encode_operand(o));
      out += ",\"function\":";
      put_string(out, o.value);
      out += '}';
      return;
    case Operand::Kind::List:
      out += "{\"encodedOperand\":";
      put_string(out, encode_operand(o));
      out += ",\"values\":[";
      for (size_t i = 0; i < o.values.size(); ++i) {
        if (i) out += ',';
        put_operand(out, o.values[i]);
      }
      out += "]}";
      return;
  }
}

void put_clause(std::string& out, const Clause& c) {
  if (c.kind == Clause::Kind::Terminal) {
    out += "{\"field\":";
    put_field(out, c.field);
    out += ",\"operand\":";
    put_operand(out, c.operand);
    out += ",\"operator\":";
    put_string(out, operator_name(c.op));
    out += '}';
    return;
  }
  out += "{\"clauses\":[";
  for (size_t i = 0; i < c.children.size(); ++i) {
    if (i) out += ',';
    put_clause(out, c.children[i]);
  }
  out += "],\"operator\":";
  put_string(out, c.kind == Clause::Kind::And ? "and" : c.kind == Clause::Kind::Or ? "or" : "not");
  out += '}';
}

}  // namespace

std::string structure_json(const QuerySyntax& q) {
  std::string out = "{";
  if (!q.order_by.empty()) {
    out += "\"orderBy\":{\"fields\":[";
    for (size_t i = 0; i < q.order_by.size(); ++i) {
      if (i) out += ',';
      out += '{';
      if (q.order_by[i].ascending) {
        out += *q.order_by[i].ascending ? "\"direction\":\"asc\"," : "\"direction\":\"desc\",";
      }
      out += "\"field\":";
      put_field(out, q.order_by[i].field);
      out += '}';
    }
    out += "]}";
  }
  if (q.where) {
    if (!q.order_by.empty()) out += ',';
    out += "\"where\":";
    put_clause(out, *q.where);
  }
  out += '}';
  return out;
}

}  // namespace jirasim::jql
