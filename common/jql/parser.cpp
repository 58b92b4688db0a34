#include "common/jql/parser.hpp"

#include <vector>

#include "common/jql/lexer.hpp"

namespace jirasync {
namespace {

bool equals_word(const JqlToken& t, std::string_view word) {
  if (t.kind != JqlToken::Kind::kWord || t.text.size() != word.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    char c = t.text[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c != word[i]) return false;
  }
  return true;
}

// Words that cannot be a field name or an unquoted value.
bool is_keyword(const JqlToken& t) {
  for (std::string_view k : {"AND", "OR", "NOT", "IN", "IS", "EMPTY", "NULL", "ORDER", "BY", "ASC",
                             "DESC", "WAS", "CHANGED"}) {
    if (equals_word(t, k)) return true;
  }
  return false;
}

constexpr const char* kValidOperators =
    "The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS', "
    "'IS NOT', 'WAS', 'WAS IN', 'WAS NOT', 'WAS NOT IN' and 'CHANGED'.";

// Nesting bound: deeper parentheses or NOTs than any person writes, well
// before the stack is at risk.
constexpr int kMaxDepth = 200;

class Parser {
 public:
  explicit Parser(std::vector<JqlToken> tokens) : t_(std::move(tokens)) {}

  JqlQuery run() {
    JqlQuery q;
    if (!at_order_by()) {
      if (peek().kind == JqlToken::Kind::kEnd) return q;
      q.where = or_clause();
    }
    if (at_order_by()) {
      next();
      if (!equals_word(peek(), "BY")) expecting("'BY'");
      next();
      q.order_by.push_back(sort_key());
      while (peek().kind == JqlToken::Kind::kComma) {
        next();
        q.order_by.push_back(sort_key());
      }
    }
    if (peek().kind != JqlToken::Kind::kEnd) {
      if (q.order_by.empty()) expecting("either 'OR' or 'AND'");
      expecting("either 'ASC' or 'DESC'");
    }
    return q;
  }

 private:
  const JqlToken& peek(size_t ahead = 0) const {
    const size_t i = pos_ + ahead;
    return i < t_.size() ? t_[i] : t_.back();
  }
  const JqlToken& next() {
    const JqlToken& t = peek();
    if (pos_ + 1 < t_.size()) ++pos_;
    return t;
  }

  bool at_order_by() const { return equals_word(peek(), "ORDER"); }

  [[noreturn]] void expecting(const std::string& what, const std::string& tail = "") const {
    const JqlToken& t = peek();
    if (t.kind == JqlToken::Kind::kEnd) {
      throw JqlError(JqlError::Kind::kSyntax,
                     "Error in the JQL Query: Expecting " + what + " before the end of the query." +
                         (tail.empty() ? "" : " " + tail),
                     t.line, t.character);
    }
    throw JqlError(JqlError::Kind::kSyntax,
                   "Error in the JQL Query: Expecting " + what + " but got '" + t.text + "'." +
                       (tail.empty() ? "" : " " + tail) + " (line " + std::to_string(t.line) +
                       ", character " + std::to_string(t.character) + ")",
                   t.line, t.character);
  }

  JqlClause or_clause() {
    JqlClause first = and_clause();
    if (!equals_word(peek(), "OR")) return first;
    JqlClause any;
    any.kind = JqlClause::Kind::kOr;
    any.line = first.line;
    any.character = first.character;
    any.children.push_back(std::move(first));
    while (equals_word(peek(), "OR")) {
      next();
      any.children.push_back(and_clause());
    }
    return any;
  }

  JqlClause and_clause() {
    JqlClause first = not_clause();
    if (!equals_word(peek(), "AND")) return first;
    JqlClause all;
    all.kind = JqlClause::Kind::kAnd;
    all.line = first.line;
    all.character = first.character;
    all.children.push_back(std::move(first));
    while (equals_word(peek(), "AND")) {
      next();
      all.children.push_back(not_clause());
    }
    return all;
  }

  JqlClause not_clause() {
    const JqlToken& t = peek();
    if (++depth_ > kMaxDepth) {
      throw JqlError(JqlError::Kind::kSyntax,
                     "Error in the JQL Query: The query is nested deeper than " +
                         std::to_string(kMaxDepth) + " levels. (line " + std::to_string(t.line) +
                         ", character " + std::to_string(t.character) + ")",
                     t.line, t.character);
    }
    JqlClause out;
    if (equals_word(t, "NOT") || (t.kind == JqlToken::Kind::kOperator && t.text == "!")) {
      out.kind = JqlClause::Kind::kNot;
      out.line = t.line;
      out.character = t.character;
      next();
      out.children.push_back(not_clause());
    } else if (t.kind == JqlToken::Kind::kLeftParen) {
      next();
      out = or_clause();
      if (peek().kind != JqlToken::Kind::kRightParen) expecting("')'");
      next();
    } else {
      out = terminal();
    }
    --depth_;
    return out;
  }

  JqlClause terminal() {
    const JqlToken& f = peek();
    if ((f.kind != JqlToken::Kind::kWord && f.kind != JqlToken::Kind::kString) || is_keyword(f) ||
        f.text.empty()) {
      expecting("a field name");
    }
    JqlClause c;
    c.field = f.text;
    c.line = f.line;
    c.character = f.character;
    next();
    c.op = read_operator();
    if (c.op == JqlOperator::kWas || c.op == JqlOperator::kWasNot || c.op == JqlOperator::kWasIn ||
        c.op == JqlOperator::kWasNotIn || c.op == JqlOperator::kChanged) {
      throw JqlError(JqlError::Kind::kUnsupported,
                     "The operator '" + upper(to_string(c.op)) + "' (on field '" + c.field +
                         "') searches the issue history, which the cache does not keep; run "
                         "this query with --source live.",
                     c.line, c.character);
    }
    if (c.op == JqlOperator::kIs || c.op == JqlOperator::kIsNot) {
      const JqlToken& v = peek();
      if (!equals_word(v, "EMPTY") && !equals_word(v, "NULL"))
        expecting("either 'EMPTY' or 'NULL'");
      c.operand.kind = JqlOperand::Kind::kEmpty;
      c.operand.value = v.text;
      c.operand.line = v.line;
      c.operand.character = v.character;
      next();
      return c;
    }
    c.operand = operand(/*list_allowed=*/true);
    return c;
  }

  static std::string upper(std::string s) {
    for (char& c : s) {
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    return s;
  }

  JqlOperator read_operator() {
    const JqlToken& t = peek();
    if (t.kind == JqlToken::Kind::kOperator) {
      static const std::pair<std::string_view, JqlOperator> kOps[] = {
          {"=", JqlOperator::kEquals},   {"!=", JqlOperator::kNotEquals},
          {">", JqlOperator::kGreater},  {">=", JqlOperator::kGreaterOrEqual},
          {"<", JqlOperator::kLess},     {"<=", JqlOperator::kLessOrEqual},
          {"~", JqlOperator::kContains}, {"!~", JqlOperator::kNotContains},
      };
      for (const auto& [text, op] : kOps) {
        if (t.text == text) {
          next();
          return op;
        }
      }
    }
    if (equals_word(t, "IN")) {
      next();
      return JqlOperator::kIn;
    }
    if (equals_word(t, "NOT") && equals_word(peek(1), "IN")) {
      next();
      next();
      return JqlOperator::kNotIn;
    }
    if (equals_word(t, "IS")) {
      next();
      if (equals_word(peek(), "NOT")) {
        next();
        return JqlOperator::kIsNot;
      }
      return JqlOperator::kIs;
    }
    if (equals_word(t, "WAS")) {
      next();
      const bool negated = equals_word(peek(), "NOT");
      if (negated) next();
      if (equals_word(peek(), "IN")) {
        next();
        return negated ? JqlOperator::kWasNotIn : JqlOperator::kWasIn;
      }
      return negated ? JqlOperator::kWasNot : JqlOperator::kWas;
    }
    if (equals_word(t, "CHANGED")) {
      next();
      return JqlOperator::kChanged;
    }
    expecting("operator", kValidOperators);
  }

  JqlOperand operand(bool list_allowed) {
    const JqlToken& t = peek();
    JqlOperand o;
    o.line = t.line;
    o.character = t.character;
    if (t.kind == JqlToken::Kind::kLeftParen && list_allowed) {
      next();
      o.kind = JqlOperand::Kind::kList;
      o.items.push_back(operand(false));
      while (peek().kind == JqlToken::Kind::kComma) {
        next();
        o.items.push_back(operand(false));
      }
      if (peek().kind != JqlToken::Kind::kRightParen) expecting("either ',' or ')'");
      next();
      return o;
    }
    if (equals_word(t, "EMPTY") || equals_word(t, "NULL")) {
      o.kind = JqlOperand::Kind::kEmpty;
      o.value = t.text;
      next();
      return o;
    }
    if (t.kind == JqlToken::Kind::kString) {
      o.value = t.text;
      o.quoted = true;
      next();
      return o;
    }
    if (t.kind != JqlToken::Kind::kWord || is_keyword(t) || t.text.empty()) {
      expecting(list_allowed ? "either a value, list or function" : "either a value or function");
    }
    o.value = t.text;
    next();
    if (peek().kind == JqlToken::Kind::kLeftParen) {
      next();
      o.kind = JqlOperand::Kind::kFunction;
      if (peek().kind != JqlToken::Kind::kRightParen) {
        o.arguments.push_back(argument());
        while (peek().kind == JqlToken::Kind::kComma) {
          next();
          o.arguments.push_back(argument());
        }
      }
      if (peek().kind != JqlToken::Kind::kRightParen) expecting("either ',' or ')'");
      next();
    }
    return o;
  }

  std::string argument() {
    const JqlToken& t = peek();
    if (t.kind != JqlToken::Kind::kWord && t.kind != JqlToken::Kind::kString) {
      expecting("a function argument");
    }
    next();
    return t.text;
  }

  JqlSortKey sort_key() {
    const JqlToken& f = peek();
    if ((f.kind != JqlToken::Kind::kWord && f.kind != JqlToken::Kind::kString) || is_keyword(f) ||
        f.text.empty()) {
      expecting("a field name");
    }
    JqlSortKey k;
    k.field = f.text;
    k.line = f.line;
    k.character = f.character;
    next();
    if (equals_word(peek(), "ASC")) {
      k.ascending = true;
      next();
    } else if (equals_word(peek(), "DESC")) {
      k.ascending = false;
      next();
    }
    return k;
  }

  std::vector<JqlToken> t_;
  size_t pos_ = 0;
  int depth_ = 0;
};

}  // namespace

JqlQuery parse_jql(std::string_view text) {
  return Parser(lex_jql(text)).run();
}

}  // namespace jirasync
