#pragma once

#include <string>

#include "common/bus/bus.hpp"

namespace jirasync {

// The value put on the dead-letter topic: where the bad record came from, why
// it was rejected, and the record itself, so nothing bad blocks a partition
// and nothing is lost.
std::string dead_letter_record(const BusMessage& source, const std::string& reason);

}  // namespace jirasync
