#pragma once

#include <cstdint>

namespace jirasim {

// splitmix64 finaliser: every generated attribute is a pure function of
// (seed, salt, id), so any issue can be regenerated alone, in any order.
constexpr uint64_t splitmix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

constexpr uint64_t mix(uint64_t a, uint64_t b, uint64_t c = 0) {
  return splitmix(splitmix(splitmix(a) ^ b) ^ c);
}

// A small deterministic stream for one generated object.
class SimRandom {
 public:
  explicit SimRandom(uint64_t state) : state_(state) {}
  uint64_t next() { return state_ = splitmix(state_); }
  // Uniform in [0, n).
  uint64_t below(uint64_t n) { return n == 0 ? 0 : next() % n; }
  double unit() { return static_cast<double>(next() >> 11) / 9007199254740992.0; }
  bool chance(double p) { return unit() < p; }

 private:
  uint64_t state_;
};

}  // namespace jirasim
