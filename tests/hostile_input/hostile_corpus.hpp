#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace jirasync::hostile {

// Fixed shapes that broke or could break a parser: ~150 KB of '[' or of
// {"a": (what crashed the scheduler), nesting just under, at and over the
// limit, unterminated strings, NULs, invalid UTF-8, a BOM, empty text.
std::vector<std::string> fixed_cases();

// A deterministic stream of mutations of real payloads (the same seed gives
// the same inputs on every machine, so a failure can be replayed by its
// index): truncation, byte flips, inserted structural bytes, deleted or
// duplicated slices, deep nesting spliced in at a random place.
class Mutator {
 public:
  explicit Mutator(uint64_t seed) : rng_(seed) {}
  std::string mutate(const std::string& text);

 private:
  uint64_t below(uint64_t n) { return n == 0 ? 0 : rng_() % n; }
  std::string nesting();
  void mutate_once(std::string& text);

  std::mt19937_64 rng_;
};

// Every fixed case, then `count` mutations of the seeds, in turn.
std::vector<std::string> corpus(const std::vector<std::string>& seeds, int count, uint64_t seed);

// A file of the repository as text (test data, example configuration).
std::string source_file(const std::string& relative_path);

}  // namespace jirasync::hostile
