// jirasync-kafka-mock: librdkafka's mock cluster (rdkafka_mock.h) as a process
// of its own, on real TCP ports of 127.0.0.1, so the services and tests can
// run against the modern protocol (ApiVersions, idempotent producer, consumer
// groups with the current request versions) where no modern broker exists.
//
//   jirasync-kafka-mock [--brokers N] [--bootstrap-file PATH]
//
// Prints the bootstrap servers on one line of stdout (and writes them to
// PATH, atomically, when asked), then serves until SIGTERM or SIGINT. Topics
// are created on first use (4 partitions). It keeps everything in memory and
// never compacts: a test tool, not a broker.
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

volatile sig_atomic_t g_stop = 0;

void on_signal(int) {
  g_stop = 1;
}

int usage(const char* why) {
  std::fprintf(stderr,
               "jirasync-kafka-mock: %s\n"
               "usage: jirasync-kafka-mock [--brokers N] [--bootstrap-file PATH]\n",
               why);
  return 2;
}

bool write_file(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  FILE* f = std::fopen(tmp.c_str(), "w");
  if (f == nullptr) return false;
  const bool written = std::fputs(text.c_str(), f) >= 0;
  if (std::fclose(f) != 0 || !written) return false;
  return std::rename(tmp.c_str(), path.c_str()) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  int brokers = 1;
  std::string bootstrap_file;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::printf(
          "jirasync-kafka-mock: librdkafka's mock Kafka cluster on 127.0.0.1 (test tool).\n"
          "usage: jirasync-kafka-mock [--brokers N] [--bootstrap-file PATH]\n"
          "  --brokers N            brokers in the cluster (1..5, default 1)\n"
          "  --bootstrap-file PATH  also write the bootstrap servers to PATH\n"
          "Prints the bootstrap servers, then serves until SIGTERM/SIGINT.\n");
      return 0;
    }
    if (i + 1 >= argc) return usage(("missing value for " + arg).c_str());
    const std::string value = argv[++i];
    if (arg == "--brokers") {
      char* end = nullptr;
      const long n = std::strtol(value.c_str(), &end, 10);
      if (end == value.c_str() || *end != '\0' || n < 1 || n > 5) {
        return usage("--brokers: expected 1..5");
      }
      brokers = static_cast<int>(n);
    } else if (arg == "--bootstrap-file") {
      bootstrap_file = value;
    } else {
      return usage(("unknown option " + arg).c_str());
    }
  }

  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  // The handle only anchors the cluster; it never connects anywhere.
  if (rd_kafka_conf_set(conf, "bootstrap.servers", "", err, sizeof err) != RD_KAFKA_CONF_OK) {
    std::fprintf(stderr, "jirasync-kafka-mock: %s\n", err);
    return 1;
  }
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  if (rk == nullptr) {
    std::fprintf(stderr, "jirasync-kafka-mock: %s\n", err);
    return 1;
  }
  rd_kafka_mock_cluster_t* cluster = rd_kafka_mock_cluster_new(rk, brokers);
  if (cluster == nullptr) {
    std::fprintf(stderr, "jirasync-kafka-mock: could not start the mock cluster\n");
    rd_kafka_destroy(rk);
    return 1;
  }
  const std::string bootstraps = rd_kafka_mock_cluster_bootstraps(cluster);
  if (!bootstrap_file.empty() && !write_file(bootstrap_file, bootstraps + "\n")) {
    std::fprintf(stderr, "jirasync-kafka-mock: cannot write %s: %s\n", bootstrap_file.c_str(),
                 std::strerror(errno));
    rd_kafka_mock_cluster_destroy(cluster);
    rd_kafka_destroy(rk);
    return 1;
  }
  std::printf("%s\n", bootstraps.c_str());
  std::fflush(stdout);

  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  while (!g_stop) pause();

  rd_kafka_mock_cluster_destroy(cluster);
  rd_kafka_destroy(rk);
  return 0;
}
