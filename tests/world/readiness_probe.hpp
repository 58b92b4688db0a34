#pragma once

#include <string>

namespace jirasync::world {

// One GET of http://ADDRESS/PATH on loopback ("127.0.0.1:8081", "/readyz"):
// true when it answers 2xx within a second, false for anything else
// (refused, not ready, slow) — the caller polls with its own deadline.
bool answers_ok(const std::string& address, const std::string& path);

}  // namespace jirasync::world
