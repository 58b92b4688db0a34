#pragma once

#include <functional>
#include <future>
#include <vector>

namespace jirasync {

// Runs `here` on this thread while `others` run on theirs, waits for every
// one, then rethrows the first failure (this thread's before the others'):
// nothing is still running, on a connection the caller owns, when it throws.
void finish_together(const std::function<void()>& here, std::vector<std::future<void>>& others);

}  // namespace jirasync
