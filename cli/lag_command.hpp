#pragma once

#include <string>

#include "cli/cli_context.hpp"
#include "cli/output_format.hpp"

namespace jirasync {

// `jirasync lag`: per consumer group, topic and partition the committed
// offset, the high watermark and the lag, read from the brokers (the roles may
// be running or stopped). `role` "" means every consuming role. Exit 1 when
// the brokers do not answer or the bus is not Kafka.
int lag_command(CliContext& ctx, const std::string& role, OutputFormat format);

}  // namespace jirasync
