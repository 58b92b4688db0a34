#include "tests/jirasim/jql/lexer.hpp"

#include <cstdio>
#include <string_view>

#include "tests/jirasim/jql/ascii.hpp"
#include "tests/jirasim/jql/jql.hpp"

namespace jirasim::jql {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

bool is_special(char c) {
  return c == '(' || c == ')' || c == ',' || c == '=' || c == '!' || c == '<' || c == '>' ||
         c == '~' || c == '"' || c == '\'' || c == '&' || c == '|';
}

// Jira rejects these outside quotes. '+', '.', '/', ':' stay allowed so that
// "+1d", "1.0" and 2025/01/02 work unquoted, and '@' so that e-mail addresses
// do, as people and connectors commonly send them.
bool is_reserved(char c) {
  return c == '[' || c == ']' || c == '{' || c == '}' || c == ';' || c == '?' || c == '*' ||
         c == '%' || c == '^' || c == '$' || c == '#';
}

void append_utf8(std::string& out, unsigned cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

class Scanner {
 public:
  explicit Scanner(const std::string& src) : src_(src) {}

  std::vector<Token> run() {
    std::vector<Token> out;
    for (;;) {
      while (pos_ < src_.size() && is_space(src_[pos_])) advance();
      Token t;
      t.line = line_;
      t.column = column_;
      if (pos_ >= src_.size()) {
        t.kind = TokenKind::End;
        out.push_back(std::move(t));
        return out;
      }
      const char c = src_[pos_];
      if (c == '(' || c == ')' || c == ',') {
        t.kind = c == '(' ? TokenKind::LParen : c == ')' ? TokenKind::RParen : TokenKind::Comma;
        t.text = std::string(1, c);
        advance();
      } else if (c == '"' || c == '\'') {
        t.kind = TokenKind::String;
        t.text = quoted(c, t.line, t.column);
      } else if (is_special(c)) {
        t.kind = TokenKind::Operator;
        t.text = operator_text();
      } else {
        t.kind = TokenKind::Word;
        t.text = word();
      }
      out.push_back(std::move(t));
    }
  }

 private:
  void advance() {
    if (src_[pos_] == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
    ++pos_;
  }

  [[noreturn]] void fail(const std::string& what, int line, int column) const {
    throw JqlError("Error in the JQL Query: " + what + position_suffix(line, column));
  }

  std::string operator_text() {
    const char c = src_[pos_];
    const char next = pos_ + 1 < src_.size() ? src_[pos_ + 1] : '\0';
    std::string op(1, c);
    if ((c == '!' || c == '<' || c == '>') && next == '=') op += next;
    if (c == '!' && next == '~') op += next;
    if ((c == '&' && next == '&') || (c == '|' && next == '|')) op += next;
    for (size_t i = 0; i < op.size(); ++i) advance();
    return op;
  }

  // Reads one escape after a backslash (already consumed) into `out`.
  void escape(std::string& out, int line, int column) {
    if (pos_ >= src_.size()) fail("The escape sequence '\\' is incomplete.", line, column);
    const char e = src_[pos_];
    switch (e) {
      case '"':
      case '\'':
      case '\\':
      case ' ':
        out += e;
        advance();
        return;
      case 'n':
        out += '\n';
        advance();
        return;
      case 'r':
        out += '\r';
        advance();
        return;
      case 't':
        out += '\t';
        advance();
        return;
      case 'u': {
        advance();
        unsigned cp = 0;
        for (int i = 0; i < 4; ++i) {
          const char h = pos_ < src_.size() ? src_[pos_] : '\0';
          int v = h >= '0' && h <= '9'   ? h - '0'
                  : h >= 'a' && h <= 'f' ? h - 'a' + 10
                  : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                         : -1;
          if (v < 0) fail("The escape sequence '\\u' needs four hexadecimal digits.", line, column);
          cp = cp * 16 + static_cast<unsigned>(v);
          advance();
        }
        append_utf8(out, cp);
        return;
      }
      default:
        fail(std::string("The escape sequence '\\") + e + "' is illegal.", line, column);
    }
  }

  std::string quoted(char quote, int line, int column) {
    advance();  // opening quote
    std::string out;
    while (pos_ < src_.size() && src_[pos_] != quote) {
      if (src_[pos_] == '\\') {
        const int el = line_, ec = column_;
        advance();
        escape(out, el, ec);
      } else {
        out += src_[pos_];
        advance();
      }
    }
    if (pos_ >= src_.size()) {
      fail("The quoted string '" + out + "' has not been completed.", line, column);
    }
    advance();  // closing quote
    return out;
  }

  std::string word() {
    std::string out;
    while (pos_ < src_.size()) {
      const char c = src_[pos_];
      if (is_space(c) || is_special(c)) break;
      // cf[10016]: Jira's name for a custom field by id; the brackets belong to it.
      if (c == '[' && out.size() == 2 && ascii_lower(out[0]) == 'c' && ascii_lower(out[1]) == 'f') {
        const int el = line_, ec = column_;
        std::string id;
        advance();
        while (pos_ < src_.size() && src_[pos_] >= '0' && src_[pos_] <= '9' && id.size() < 18) {
          id += src_[pos_];
          advance();
        }
        if (id.empty() || pos_ >= src_.size() || src_[pos_] != ']') {
          fail("Expecting a custom field id such as 'cf[10010]'.", el, ec);
        }
        advance();
        out = "cf[" + id + "]";
        continue;
      }
      if (is_reserved(c)) {
        char code[8];
        std::snprintf(code, sizeof code, "%04x", static_cast<unsigned char>(c));
        fail(std::string("The character '") + c +
                 "' is a reserved JQL character. You must enclose it in a string or use the "
                 "escape '\\u" +
                 code + "' instead.",
             line_, column_);
      }
      if (c == '\\') {
        const int el = line_, ec = column_;
        advance();
        escape(out, el, ec);
        continue;
      }
      out += c;
      advance();
    }
    return out;
  }

  const std::string& src_;
  size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
};

}  // namespace

std::string position_suffix(int line, int column) {
  return " (line " + std::to_string(line) + ", character " + std::to_string(column) + ")";
}

std::vector<Token> tokenize(const std::string& jql) {
  return Scanner(jql).run();
}

}  // namespace jirasim::jql
