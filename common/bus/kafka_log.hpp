#pragma once

namespace RdKafka {
class Conf;
}

namespace jirasync {

// Sends librdkafka's log lines and error events of the client built from
// `conf` into the process log (common/log: its format and its redaction).
// Without it a client writes its own unformatted lines to stderr.
void route_kafka_logs(RdKafka::Conf& conf);

}  // namespace jirasync
