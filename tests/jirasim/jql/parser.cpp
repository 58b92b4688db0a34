#include "tests/jirasim/jql/parser.hpp"

#include <string_view>
#include <utility>
#include <vector>

#include "tests/jirasim/jql/ascii.hpp"
#include "tests/jirasim/jql/jql.hpp"
#include "tests/jirasim/jql/lexer.hpp"

namespace jirasim::jql {
namespace {

constexpr std::string_view kValidOperators =
    " The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' "
    "and 'IS NOT'.";

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  QuerySyntax parse_query() {
    QuerySyntax q;
    if (peek().kind != TokenKind::End && !keyword(peek(), "order")) q.where = parse_or();
    if (keyword(peek(), "order")) {
      take();
      if (!keyword(peek(), "by")) fail_expecting("'BY'");
      take();
      parse_sort_list(q.order_by);
    }
    if (peek().kind != TokenKind::End) fail_expecting("either 'OR' or 'AND'");
    return q;
  }

 private:
  const Token& peek(size_t ahead = 0) const {
    const size_t i = pos_ + ahead;
    return i < tokens_.size() ? tokens_[i] : tokens_.back();
  }
  Token take() {
    Token t = peek();
    if (pos_ + 1 < tokens_.size()) ++pos_;
    return t;
  }

  static bool keyword(const Token& t, std::string_view lower) {
    return t.kind == TokenKind::Word && equals_lower(t.text, lower);
  }
  static bool is_and(const Token& t) {
    return keyword(t, "and") ||
           (t.kind == TokenKind::Operator && (t.text == "&" || t.text == "&&"));
  }
  static bool is_or(const Token& t) {
    return keyword(t, "or") || (t.kind == TokenKind::Operator && (t.text == "|" || t.text == "||"));
  }
  static bool is_not(const Token& t) {
    return keyword(t, "not") || (t.kind == TokenKind::Operator && t.text == "!");
  }

  static std::string shown(const Token& t) {
    return t.kind == TokenKind::String ? "\"" + t.text + "\"" : t.text;
  }

  // "Expecting <what> but got '<token>'. <extra> (line, character)".
  [[noreturn]] void fail_expecting(std::string_view what, std::string_view extra = {}) const {
    const Token& t = peek();
    std::string msg = "Error in the JQL Query: Expecting " + std::string(what);
    if (t.kind == TokenKind::End) {
      throw JqlError(msg + " before the end of the query." + std::string(extra));
    }
    msg += " but got '" + shown(t) + "'." + std::string(extra);
    throw JqlError(msg + position_suffix(t.line, t.column));
  }

  Clause parse_or() {
    Clause first = parse_and();
    if (!is_or(peek())) return first;
    Clause node;
    node.kind = Clause::Kind::Or;
    node.children.push_back(std::move(first));
    while (is_or(peek())) {
      take();
      node.children.push_back(parse_and());
    }
    return node;
  }

  Clause parse_and() {
    Clause first = parse_not();
    if (!is_and(peek())) return first;
    Clause node;
    node.kind = Clause::Kind::And;
    node.children.push_back(std::move(first));
    while (is_and(peek())) {
      take();
      node.children.push_back(parse_not());
    }
    return node;
  }

  Clause parse_not() {
    if (is_not(peek())) {
      take();
      Clause node;
      node.kind = Clause::Kind::Not;
      node.children.push_back(parse_not());
      return node;
    }
    if (peek().kind == TokenKind::LParen) {
      take();
      Clause inner = parse_or();
      if (peek().kind != TokenKind::RParen) fail_expecting("')'");
      take();
      return inner;
    }
    return parse_terminal();
  }

  Clause parse_terminal() {
    const Token& f = peek();
    if (f.kind == TokenKind::Word && is_reserved_word(f.text)) {
      fail_expecting("a field name", " You must surround '" + f.text +
                                         "' in quotation marks to use it as a field name.");
    }
    if (f.kind != TokenKind::Word && f.kind != TokenKind::String) fail_expecting("a field name");
    Clause c;
    c.kind = Clause::Kind::Terminal;
    c.field = take().text;
    c.op = parse_operator(c.field);
    if (c.op == ClauseOperator::Is || c.op == ClauseOperator::IsNot) {
      if (!keyword(peek(), "empty") && !keyword(peek(), "null")) {
        fail_expecting("either 'EMPTY' or 'NULL'");
      }
      take();
      c.operand.kind = Operand::Kind::Empty;
      return c;
    }
    c.operand = parse_operand(/*allow_list=*/true);
    return c;
  }

  ClauseOperator parse_operator(const std::string& field) {
    const Token& t = peek();
    if (t.kind == TokenKind::Operator) {
      static const std::pair<std::string_view, ClauseOperator> kOps[] = {
          {"=", ClauseOperator::Equals},   {"!=", ClauseOperator::NotEquals},
          {"~", ClauseOperator::Contains}, {"!~", ClauseOperator::NotContains},
          {">", ClauseOperator::Greater},  {">=", ClauseOperator::GreaterOrEqual},
          {"<", ClauseOperator::Less},     {"<=", ClauseOperator::LessOrEqual},
      };
      for (const auto& [text, op] : kOps) {
        if (t.text == text) {
          take();
          return op;
        }
      }
    }
    if (keyword(t, "in")) {
      take();
      return ClauseOperator::In;
    }
    if (keyword(t, "not") && keyword(peek(1), "in")) {
      take();
      take();
      return ClauseOperator::NotIn;
    }
    if (keyword(t, "is")) {
      take();
      if (keyword(peek(), "not")) {
        take();
        return ClauseOperator::IsNot;
      }
      return ClauseOperator::Is;
    }
    if (keyword(t, "was") || keyword(t, "changed")) {
      // History operators need the changelog search Jira keeps; the simulator
      // says so plainly instead of answering wrongly.
      std::string op = t.text;
      for (char& ch : op) ch = ascii_lower(ch);
      throw JqlError("The operator '" + op + "' is not supported by the '" + field +
                     "' field in the Jira simulator.");
    }
    fail_expecting("operator", kValidOperators);
  }

  Operand parse_operand(bool allow_list) {
    const Token& t = peek();
    Operand o;
    if (t.kind == TokenKind::LParen && allow_list) {
      take();
      o.kind = Operand::Kind::List;
      o.values.push_back(parse_operand(false));
      while (peek().kind == TokenKind::Comma) {
        take();
        o.values.push_back(parse_operand(false));
      }
      if (peek().kind != TokenKind::RParen) fail_expecting("either ',' or ')'");
      take();
      return o;
    }
    if (t.kind == TokenKind::Word) {
      if (keyword(t, "empty") || keyword(t, "null")) {
        take();
        o.kind = Operand::Kind::Empty;
        return o;
      }
      if (peek(1).kind == TokenKind::LParen) return parse_function();
      if (is_reserved_word(t.text)) {
        fail_expecting(
            "either a value, list or function",
            " You must surround '" + t.text + "' in quotation marks to use it as a value.");
      }
      o.value = take().text;
      return o;
    }
    if (t.kind == TokenKind::String) {
      o.value = take().text;
      o.quoted = true;
      return o;
    }
    fail_expecting("either a value, list or function");
  }

  Operand parse_function() {
    Operand o;
    o.kind = Operand::Kind::Function;
    o.value = take().text;
    take();  // (
    if (peek().kind == TokenKind::RParen) {
      take();
      return o;
    }
    for (;;) {
      const Token& a = peek();
      if (a.kind != TokenKind::Word && a.kind != TokenKind::String) {
        fail_expecting("a function argument");
      }
      o.arguments.push_back(take().text);
      if (peek().kind == TokenKind::Comma) {
        take();
        continue;
      }
      if (peek().kind != TokenKind::RParen) fail_expecting("either ',' or ')'");
      take();
      return o;
    }
  }

  void parse_sort_list(std::vector<SortField>& out) {
    for (;;) {
      const Token& f = peek();
      if (f.kind != TokenKind::Word && f.kind != TokenKind::String) fail_expecting("a field name");
      SortField s;
      s.field = take().text;
      if (keyword(peek(), "asc") || keyword(peek(), "desc")) {
        s.ascending = keyword(take(), "asc");
      }
      out.push_back(std::move(s));
      if (peek().kind == TokenKind::Comma) {
        take();
        continue;
      }
      if (peek().kind == TokenKind::End) return;
      if (!out.back().ascending) fail_expecting("either 'ASC' or 'DESC'");
      fail_expecting("either ',' or the end of the query");
    }
  }

  std::vector<Token> tokens_;
  size_t pos_ = 0;
};

}  // namespace

QuerySyntax parse_syntax(const std::string& jql) {
  return Parser(tokenize(jql)).parse_query();
}

}  // namespace jirasim::jql
