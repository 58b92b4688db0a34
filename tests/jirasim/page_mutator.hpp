#pragma once

#include <cstdint>

#include "tests/jirasim/runtime_settings.hpp"

namespace jirasim {

class Simulator;

// Changes one project the way people do while a client pages through it:
// random plausible edits (each jumps to the end of an `updated` order),
// new issues and deletions. `round` makes each call pick other issues,
// deterministically for a seed. Changes publish webhooks like any other.
void mutate_project(Simulator& sim, const PageMutations& mutations, uint64_t round);

}  // namespace jirasim
