#pragma once

namespace jirasync {

// Shown by --version. Keep in step with project(VERSION) in the root CMakeLists.txt.
inline constexpr const char* kJirasyncVersion = "0.1.0";

}  // namespace jirasync
