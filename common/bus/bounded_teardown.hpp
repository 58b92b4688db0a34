#pragma once

#include <chrono>
#include <functional>
#include <string>

namespace jirasync {

// Runs `teardown` on its own thread and waits for it at most `budget`.
// Returns true when it finished; otherwise logs a warning naming `what`,
// leaves the thread running detached (with whatever `teardown` owns) and
// returns false.
//
// Why: librdkafka 2.0.x (Debian 12's) can hang for ever destroying a group
// consumer after its broker went away and came back (librdkafka#4674: a
// partition keeps a reference to its broker, whose thread then never ends).
// A stop must not hang on that; a leaked handle at exit costs nothing.
bool finish_within(std::chrono::milliseconds budget, const std::string& what,
                   std::function<void()> teardown);

}  // namespace jirasync
