#include "common/jql/lexer.hpp"

#include <cstdio>

#include "common/jql/jql_error.hpp"

namespace jirasync {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Characters that end an unquoted word.
bool ends_word(char c) {
  return is_space(c) || c == '(' || c == ')' || c == ',' || c == '=' || c == '!' || c == '<' ||
         c == '>' || c == '~' || c == '"' || c == '\'' || c == '&' || c == '|';
}

// Jira refuses these outside quotes; '.', '/', '+', ':', '@' and '-' stay usable
// so that 1.0, 2025/01/02, +1d, testcase:TC-17 and e-mail addresses work unquoted.
bool is_reserved(char c) {
  return c == '[' || c == ']' || c == '{' || c == '}' || c == ';' || c == '?' || c == '*' ||
         c == '%' || c == '^' || c == '$' || c == '#' || static_cast<unsigned char>(c) < 0x20 ||
         c == 0x7f;
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

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

class Lexer {
 public:
  explicit Lexer(std::string_view src) : src_(src) {}

  std::vector<JqlToken> run() {
    std::vector<JqlToken> out;
    for (;;) {
      while (pos_ < src_.size() && is_space(src_[pos_])) advance();
      JqlToken t;
      t.line = line_;
      t.character = character_;
      if (pos_ >= src_.size()) {
        t.kind = JqlToken::Kind::kEnd;
        out.push_back(std::move(t));
        return out;
      }
      const char c = src_[pos_];
      if (c == '(' || c == ')' || c == ',') {
        t.kind = c == '('   ? JqlToken::Kind::kLeftParen
                 : c == ')' ? JqlToken::Kind::kRightParen
                            : JqlToken::Kind::kComma;
        t.text = std::string(1, c);
        advance();
      } else if (c == '=' || c == '~') {
        t.kind = JqlToken::Kind::kOperator;
        t.text = std::string(1, c);
        advance();
      } else if (c == '!' || c == '<' || c == '>') {
        t.kind = JqlToken::Kind::kOperator;
        t.text = std::string(1, c);
        advance();
        if (pos_ < src_.size() && (src_[pos_] == '=' || (c == '!' && src_[pos_] == '~'))) {
          t.text += src_[pos_];
          advance();
        } else if (c == '!') {
          fail("Expecting either '!=' or '!~' but got '!'.", t.line, t.character);
        }
      } else if (c == '&' || c == '|') {
        // Jira's && and || are AND and OR.
        advance();
        if (pos_ < src_.size() && src_[pos_] == c) advance();
        t.kind = JqlToken::Kind::kWord;
        t.text = c == '&' ? "AND" : "OR";
      } else if (c == '"' || c == '\'') {
        t.kind = JqlToken::Kind::kString;
        t.text = quoted(c);
      } else {
        t.kind = JqlToken::Kind::kWord;
        t.text = word();
      }
      out.push_back(std::move(t));
    }
  }

 private:
  [[noreturn]] static void fail(const std::string& what, int line, int character) {
    throw JqlError(JqlError::Kind::kSyntax,
                   "Error in the JQL Query: " + what + " (line " + std::to_string(line) +
                       ", character " + std::to_string(character) + ")",
                   line, character);
  }

  void advance() {
    const char c = src_[pos_++];
    if (c == '\n') {
      ++line_;
      character_ = 1;
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      // One character per UTF-8 lead byte: positions count characters.
      ++character_;
    }
  }

  // At a backslash: appends the escaped character.
  void escape(std::string& out) {
    const int line = line_, character = character_;
    advance();  // the backslash
    if (pos_ >= src_.size()) fail("The escape sequence '\\' is illegal.", line, character);
    const char c = src_[pos_];
    switch (c) {
      case '"':
      case '\'':
      case '\\':
      case ' ':
        out += c;
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
          const int d = pos_ < src_.size() ? hex_digit(src_[pos_]) : -1;
          if (d < 0) {
            fail("The escape sequence '\\u" + std::string(src_.substr(pos_ - i, i)) +
                     "' is illegal.",
                 line, character);
          }
          cp = cp * 16 + static_cast<unsigned>(d);
          advance();
        }
        // A lone surrogate is no character; keep the text valid UTF-8.
        append_utf8(out, cp >= 0xD800 && cp <= 0xDFFF ? 0xFFFD : cp);
        return;
      }
      default: {
        std::string seq = "\\";
        const size_t start = pos_;
        advance();
        seq += std::string(src_.substr(start, pos_ - start));
        fail("The escape sequence '" + seq + "' is illegal.", line, character);
      }
    }
  }

  std::string quoted(char quote) {
    const int line = line_, character = character_;
    advance();
    std::string out;
    while (pos_ < src_.size() && src_[pos_] != quote) {
      if (src_[pos_] == '\\') {
        escape(out);
      } else {
        out += src_[pos_];
        advance();
      }
    }
    if (pos_ >= src_.size()) {
      fail("The quoted string '" + out + "' has not been completed.", line, character);
    }
    advance();
    return out;
  }

  std::string word() {
    std::string out;
    while (pos_ < src_.size() && !ends_word(src_[pos_])) {
      const char c = src_[pos_];
      if (c == '[' && is_custom_field_prefix(out)) {
        custom_field_id(out);
        continue;
      }
      if (is_reserved(c)) {
        char code[8];
        std::snprintf(code, sizeof code, "%04x", static_cast<unsigned char>(c));
        const std::string shown = static_cast<unsigned char>(c) < 0x20 || c == 0x7f
                                      ? std::string("\\u") + code
                                      : std::string(1, c);
        fail("The character '" + shown +
                 "' is a reserved JQL character. You must enclose it in a string or use the "
                 "escape '\\u" +
                 code + "' instead.",
             line_, character_);
      }
      if (c == '\\') {
        escape(out);
        continue;
      }
      out += c;
      advance();
    }
    return out;
  }

  static bool is_custom_field_prefix(const std::string& s) {
    return s.size() == 2 && (s[0] == 'c' || s[0] == 'C') && (s[1] == 'f' || s[1] == 'F');
  }

  // cf[10010]: the brackets are part of the field name.
  void custom_field_id(std::string& out) {
    const int line = line_, character = character_;
    std::string id;
    advance();  // [
    while (pos_ < src_.size() && src_[pos_] >= '0' && src_[pos_] <= '9' && id.size() < 18) {
      id += src_[pos_];
      advance();
    }
    if (id.empty() || pos_ >= src_.size() || src_[pos_] != ']') {
      fail("Expecting a custom field id such as 'cf[10010]'.", line, character);
    }
    advance();  // ]
    out = "cf[" + id + "]";
  }

  std::string_view src_;
  size_t pos_ = 0;
  int line_ = 1;
  int character_ = 1;
};

}  // namespace

std::vector<JqlToken> lex_jql(std::string_view text) {
  return Lexer(text).run();
}

}  // namespace jirasync
