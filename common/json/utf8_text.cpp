#include "common/json/utf8_text.hpp"

#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace jirasync {
namespace {

constexpr uint64_t kHighBits = 0x8080808080808080ULL;
constexpr uint64_t kLowBits = 0x0101010101010101ULL;

bool has_zero_byte(uint64_t word) {
  return ((word - kLowBits) & ~word & kHighBits) != 0;
}

bool continuation(unsigned char c) {
  return (c & 0xC0) == 0x80;
}

// Length of the valid sequence starting at text[i] (a non-ASCII lead byte),
// or 0 when it is invalid.
std::size_t sequence_length(std::string_view text, std::size_t i) {
  const auto at = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
  const unsigned char lead = at(0);
  const std::size_t left = text.size() - i;
  if (lead >= 0xC2 && lead <= 0xDF) {
    return left >= 2 && continuation(at(1)) ? 2 : 0;
  }
  if (lead >= 0xE0 && lead <= 0xEF) {
    if (left < 3 || !continuation(at(1)) || !continuation(at(2))) return 0;
    if (lead == 0xE0 && at(1) < 0xA0) return 0;  // overlong
    if (lead == 0xED && at(1) > 0x9F) return 0;  // surrogate
    return 3;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    if (left < 4 || !continuation(at(1)) || !continuation(at(2)) || !continuation(at(3))) return 0;
    if (lead == 0xF0 && at(1) < 0x90) return 0;  // overlong
    if (lead == 0xF4 && at(1) > 0x8F) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;  // continuation byte, C0/C1 or F5..FF as a lead
}

}  // namespace

std::size_t find_invalid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
#if defined(__SSE2__)
    // 16 bytes at a time past ASCII without NUL (most of any JSON text).
    while (i + 16 <= text.size()) {
      const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i));
      const unsigned stop =
          static_cast<unsigned>(_mm_movemask_epi8(block)) |
          static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(block, _mm_setzero_si128())));
      if (stop != 0) {
        i += static_cast<std::size_t>(__builtin_ctz(stop));
        break;
      }
      i += 16;
    }
    if (i == text.size()) break;
#endif
    if (i + 8 <= text.size()) {
      uint64_t word;
      std::memcpy(&word, text.data() + i, sizeof word);
      if ((word & kHighBits) == 0 && !has_zero_byte(word)) {
        i += 8;
        continue;
      }
    }
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == 0) return i;
    if (c < 0x80) {
      ++i;
      continue;
    }
    const std::size_t n = sequence_length(text, i);
    if (n == 0) return i;
    i += n;
  }
  return std::string_view::npos;
}

namespace {

constexpr unsigned char kSurrogateLead = 0xED;  // U+D000..U+DFFF start with it

bool surrogate_at(std::string_view text, size_t i) {
  return static_cast<unsigned char>(text[i]) == kSurrogateLead && i + 1 < text.size() &&
         static_cast<unsigned char>(text[i + 1]) >= 0xA0;
}

}  // namespace

bool has_encoded_surrogate(std::string_view text) {
  const char* begin = text.data();
  const char* end = begin + text.size();
  for (const char* p = begin; p < end;) {
    p = static_cast<const char*>(std::memchr(p, kSurrogateLead, static_cast<size_t>(end - p)));
    if (p == nullptr) return false;
    if (surrogate_at(text, static_cast<size_t>(p - begin))) return true;
    ++p;
  }
  return false;
}

std::string replace_encoded_surrogates(std::string_view text) {
  std::string out(text);
  for (size_t i = 0; i + 2 < out.size(); ++i) {
    if (surrogate_at(out, i)) {
      out[i] = static_cast<char>(0xEF);
      out[i + 1] = static_cast<char>(0xBF);
      out[i + 2] = static_cast<char>(0xBD);
      i += 2;
    }
  }
  return out;
}

}  // namespace jirasync
