#include "tests/hostile_input/hostile_corpus.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace jirasync::hostile {
namespace {

std::string repeat(const std::string& unit, size_t times) {
  std::string out;
  out.reserve(unit.size() * times);
  for (size_t i = 0; i < times; ++i) out += unit;
  return out;
}

std::string closed_arrays(size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

}  // namespace

std::vector<std::string> fixed_cases() {
  return {
      std::string(150000, '['),
      repeat(R"({"a":)", 30000),
      std::string(150000, '{'),
      repeat(R"([{"a":)", 20000),
      closed_arrays(511),
      closed_arrays(512),
      closed_arrays(513),
      closed_arrays(100000),
      R"({"issues":[{"id":"1","a":)" + closed_arrays(100000) + "}]}",
      R"({"issues":[)" + std::string(150000, '['),
      "",
      " ",
      "null",
      "\"",
      "{\"a\":\"\\",
      std::string("{\"a\":1}\0", 8),
      std::string("{\"a\":\"\0\"}", 9),
      "{\"a\":\"\xC3\x28\"}",
      "{\"a\":\"\xED\xA0\x80\"}",  // a UTF-16 surrogate in UTF-8
      "\xEF\xBB\xBF{}",            // a byte-order mark
      "{\"a\":\"\\uD800\"}",
      "{\"a\":1e999999999}",
      "{\"a\":-" + std::string(5000, '9') + "}",
      "[" + repeat("1,", 50000) + "1]",
  };
}

std::string Mutator::nesting() {
  static const size_t kDepths[] = {100, 511, 512, 513, 600, 5000, 100000};
  static const char* const kUnits[] = {"[", R"({"a":)", R"({"content":[)", "[{\"x\":"};
  const size_t depth = kDepths[below(std::size(kDepths))];
  std::string out = repeat(kUnits[below(std::size(kUnits))], depth);
  if (below(2) == 0) out += std::string(depth, ']');  // closed with the wrong brackets, or not
  return out;
}

void Mutator::mutate_once(std::string& text) {
  static const char kStructural[] = {'{',  '}', '[', ']', '"', ':', ',', '\\',
                                     '\0', 'n', '-', '0', 'e', '.', ' '};
  static const char* const kBytes[] = {"\xFF",    "\xC3",    "\xED\xA0\x80", "\xF4\x90\x80\x80",
                                       "\\u0000", "\\uDC00", "1e400",        "null",
                                       "\"\""};
  const size_t at = below(text.size() + 1);
  switch (below(7)) {
    case 0:  // truncate
      text.resize(at);
      break;
    case 1:  // flip bits of a few bytes
      for (uint64_t i = 0, n = 1 + below(8); i < n && !text.empty(); ++i) {
        text[below(text.size())] ^= static_cast<char>(1u << below(8));
      }
      break;
    case 2:  // insert a structural byte
      text.insert(at, 1, kStructural[below(std::size(kStructural))]);
      break;
    case 3:  // insert an awkward byte sequence
      text.insert(at, kBytes[below(std::size(kBytes))]);
      break;
    case 4:  // delete a slice
      text.erase(at, below(64));
      break;
    case 5: {  // duplicate a slice (nests what it copies)
      const size_t from = below(text.size() + 1);
      const std::string slice = text.substr(from, below(256));
      text.insert(at, slice);
      break;
    }
    default:  // splice deep nesting in
      text.insert(at, nesting());
      break;
  }
}

std::string Mutator::mutate(const std::string& text) {
  std::string out = text;
  for (uint64_t i = 0, n = 1 + below(3); i < n; ++i) mutate_once(out);
  return out;
}

std::vector<std::string> corpus(const std::vector<std::string>& seeds, int count, uint64_t seed) {
  std::vector<std::string> out = fixed_cases();
  out.insert(out.end(), seeds.begin(), seeds.end());
  Mutator mutator(seed);
  for (int i = 0; i < count; ++i) {
    out.push_back(mutator.mutate(seeds[static_cast<size_t>(i) % seeds.size()]));
  }
  return out;
}

std::string source_file(const std::string& relative_path) {
  std::ifstream in(std::string(JIRASYNC_SOURCE_DIR) + "/" + relative_path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + relative_path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace jirasync::hostile
