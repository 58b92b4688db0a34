#include "common/log/credential_patterns.hpp"

#include <cstring>
#include <string_view>

#include "common/log/secret_redactor.hpp"

namespace jirasync {
namespace {

constexpr size_t npos = std::string::npos;
// Shorter words after "Basic"/"Bearer" are prose ("Bearer token"), not credentials.
constexpr size_t kMinSchemeTokenLength = 8;

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool is_blank(char c) {
  return c == ' ' || c == '\t';
}
bool is_quote(char c) {
  return c == '"' || c == '\'';
}
bool is_token_char(char c) {
  return is_alnum(c) || (c != '\0' && std::strchr("+/=._~-", c));
}
char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// First position of lower-case `needle` in `text` at or after `from`, ignoring case.
size_t find_ci(std::string_view text, std::string_view needle, size_t from) {
  for (size_t i = from; i + needle.size() <= text.size(); ++i) {
    size_t j = 0;
    while (j < needle.size() && lower(text[i + j]) == needle[j]) ++j;
    if (j == needle.size()) return i;
  }
  return npos;
}

size_t skip_blanks(const std::string& text, size_t i) {
  while (i < text.size() && is_blank(text[i])) ++i;
  return i;
}

// End of a quoted value starting after its opening quote; honours JSON backslash escapes.
size_t closing_quote(const std::string& text, size_t begin, char quote) {
  for (size_t i = begin; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
    } else if (text[i] == quote) {
      return i;
    }
  }
  return text.size();
}

// Replaces [begin, end) with the mask; returns the index just after it.
size_t mask_range(std::string& text, size_t begin, size_t end) {
  text.replace(begin, end - begin, SecretRedactor::kMask);
  return begin + SecretRedactor::kMask.size();
}

bool word_starts_at(const std::string& text, size_t pos) {
  return pos == 0 || !is_alnum(text[pos - 1]);
}

// `Authorization: Basic abc`, `"Authorization":"Bearer x"`, `authorization=...`:
// the whole value goes (to the closing quote, or to the end of the line).
void mask_authorization_values(std::string& text) {
  constexpr std::string_view kName = "authorization";
  size_t pos = 0;
  while ((pos = find_ci(text, kName, pos)) != npos) {
    size_t i = pos + kName.size();
    if (i < text.size() && is_quote(text[i])) ++i;
    i = skip_blanks(text, i);
    if (i >= text.size() || (text[i] != ':' && text[i] != '=')) {
      pos += kName.size();
      continue;
    }
    i = skip_blanks(text, i + 1);
    size_t begin = i;
    size_t end;
    if (i < text.size() && is_quote(text[i])) {
      begin = i + 1;
      end = closing_quote(text, begin, text[i]);
    } else {
      end = text.find_first_of("\r\n", begin);
      if (end == npos) end = text.size();
    }
    pos = end > begin ? mask_range(text, begin, end) : begin;
  }
}

// `Basic dXNlcjp0b2tlbg==` / `Bearer eyJhbGciOi...` anywhere in the text.
void mask_scheme_tokens(std::string& text, std::string_view scheme) {
  size_t pos = 0;
  while ((pos = find_ci(text, scheme, pos)) != npos) {
    const size_t after = pos + scheme.size();
    const size_t begin = skip_blanks(text, after);
    if (!word_starts_at(text, pos) || begin == after) {
      pos = after;
      continue;
    }
    size_t end = begin;
    while (end < text.size() && is_token_char(text[end])) ++end;
    pos = end - begin >= kMinSchemeTokenLength ? mask_range(text, begin, end) : end;
  }
}

// `password=...` (URL query, libpq conninfo) and JSON `"password": "..."`.
void mask_secret_key_values(std::string& text) {
  static constexpr std::string_view kKeys[] = {"password", "passwd",  "pwd",   "token",
                                               "secret",   "api_key", "apikey"};
  for (std::string_view key : kKeys) {
    size_t pos = 0;
    while ((pos = find_ci(text, key, pos)) != npos) {
      const size_t after = pos + key.size();
      // "nextPageToken=" is pagination, not a credential: the key must start a word.
      if (!word_starts_at(text, pos) || after >= text.size()) {
        pos = after;
        continue;
      }
      if (text[after] == '=') {
        size_t begin = after + 1;
        size_t end;
        if (begin < text.size() && text[begin] == '\'') {  // conninfo: password='a b'
          ++begin;
          end = closing_quote(text, begin, '\'');
        } else {
          end = text.find_first_of(" \t\r\n&;,\"'", begin);
          if (end == npos) end = text.size();
        }
        pos = end > begin ? mask_range(text, begin, end) : begin;
        continue;
      }
      if (pos > 0 && text[pos - 1] == '"' && text[after] == '"') {
        size_t i = skip_blanks(text, after + 1);
        if (i < text.size() && text[i] == ':') {
          i = skip_blanks(text, i + 1);
          if (i < text.size() && text[i] == '"') {
            const size_t begin = i + 1;
            const size_t end = closing_quote(text, begin, '"');
            pos = end > begin ? mask_range(text, begin, end) : begin;
            continue;
          }
        }
      }
      pos = after;
    }
  }
}

// `postgresql://user:secret@host/db` -> `postgresql://user:[REDACTED]@host/db`.
void mask_url_passwords(std::string& text) {
  size_t pos = 0;
  while ((pos = text.find("://", pos)) != npos) {
    const size_t begin = pos + 3;
    size_t end = text.find_first_of("/?# \t\r\n\"'<>", begin);
    if (end == npos) end = text.size();
    const std::string_view authority(text.data() + begin, end - begin);
    const size_t at = authority.rfind('@');
    const size_t colon = authority.find(':');
    if (at != npos && colon != npos && colon < at) {
      pos = mask_range(text, begin + colon + 1, begin + at);
    } else {
      pos = begin;
    }
  }
}

}  // namespace

void mask_credential_patterns(std::string& text) {
  mask_authorization_values(text);
  mask_scheme_tokens(text, "basic");
  mask_scheme_tokens(text, "bearer");
  mask_secret_key_values(text);
  mask_url_passwords(text);
}

}  // namespace jirasync
