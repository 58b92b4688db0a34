// KafkaBus without a broker: configuration errors and delivery failures.
// The broker round trips are proven in tests/integration.
#include "common/bus/kafka_bus.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace jirasync {
namespace {

using namespace std::chrono_literals;

// Nothing listens on port 1, so every connection is refused at once.
KafkaSettings unreachable() {
  KafkaSettings s;
  s.brokers = "127.0.0.1:1";
  s.api_version_request = "false";
  s.broker_version_fallback = "0.9.0.1";
  s.extra["log_level"] = "0";  // keep the refused connections out of the test output
  return s;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const BusError& e) {
    return e.what();
  }
  return "";
}

TEST(KafkaBus, RejectsEmptyBrokers) {
  KafkaSettings s = unreachable();
  s.brokers.clear();
  EXPECT_NE(error_of([&] { KafkaBus bus(s); }).find("kafka.brokers"), std::string::npos);
}

TEST(KafkaBus, RejectsNonPositiveSessionTimeout) {
  KafkaSettings s = unreachable();
  s.session_timeout_ms = 0;
  EXPECT_NE(error_of([&] { KafkaBus bus(s); }).find("kafka.session_timeout_ms"), std::string::npos);
}

TEST(KafkaBus, UnknownExtraPropertyIsNamedAtConstruction) {
  KafkaSettings s = unreachable();
  s.extra["no.such.property"] = "1";
  std::string err = error_of([&] { KafkaBus bus(s); });
  EXPECT_NE(err.find("no.such.property"), std::string::npos) << err;
}

TEST(KafkaBus, InvalidValueOfKnownPropertyIsExplained) {
  KafkaSettings s = unreachable();
  s.api_version_request = "maybe";
  std::string err = error_of([&] { KafkaBus bus(s); });
  EXPECT_NE(err.find("api.version.request"), std::string::npos) << err;
}

TEST(KafkaBus, SecretValuesNeverAppearInErrors) {
  KafkaSettings s = unreachable();
  s.extra["sasl.password"] = "hunter2-secret";
  s.extra["ssl.key.password.bogus"] = "hunter2-secret";  // unknown, named like a secret
  std::string err = error_of([&] { KafkaBus bus(s); });
  EXPECT_FALSE(err.empty());
  EXPECT_EQ(err.find("hunter2"), std::string::npos) << err;
}

TEST(KafkaBus, ConsumerNeedsAGroup) {
  KafkaBus bus(unreachable());
  EXPECT_THROW(bus.consumer(""), BusError);
}

TEST(KafkaBus, FlushReportsUndeliveredRecords) {
  KafkaSettings s = unreachable();
  s.extra["message.timeout.ms"] = "300";
  KafkaBus bus(s);
  auto p = bus.producer();
  EXPECT_EQ(p->refused_records(), 0);
  p->produce("t", "k", "v");  // queued locally: fine
  std::string err = error_of([&] { p->flush(10s); });
  EXPECT_NE(err.find("not delivered"), std::string::npos) << err;
  // Reported once: a later flush with nothing queued succeeds.
  EXPECT_NO_THROW(p->flush(1s));
  // But counted for good, for whoever shares the producer.
  EXPECT_EQ(p->refused_records(), 1);
}

TEST(KafkaBus, FlushTimesOutWhileRecordsWait) {
  KafkaSettings s = unreachable();
  s.extra["message.timeout.ms"] = "1500";
  KafkaBus bus(s);
  auto p = bus.producer();
  p->produce("t", "k", "v");
  std::string err = error_of([&] { p->flush(50ms); });
  EXPECT_NE(err.find("unacknowledged"), std::string::npos) << err;
  // The record is still owed a report: it fails once its message timeout passes.
  err = error_of([&] { p->flush(10s); });
  EXPECT_NE(err.find("not delivered"), std::string::npos) << err;
}

TEST(KafkaBus, PollWithoutBrokerReturnsNothing) {
  KafkaBus bus(unreachable());
  auto c = bus.consumer("g");
  c->subscribe({"t"});
  EXPECT_FALSE(c->poll(100ms).has_value());
  EXPECT_TRUE(c->assignment().empty());
  c->close();
}

// librdkafka's own synchronous commit waits for the coordinator as long as
// it likes (10 s here, for ever after some broker restarts); a commit nobody
// answers ends within its 3 s budget, with an error naming the group.
TEST(KafkaBus, ACommitNobodyAnswersEndsWithinItsBudget) {
  KafkaBus bus(unreachable());
  auto c = bus.consumer("g");
  c->subscribe({"t"});
  const auto asked = std::chrono::steady_clock::now();
  try {
    c->commit({TopicPartition{"t", 0, 5}});
    ADD_FAILURE() << "a commit without a broker succeeded";
  } catch (const BusError& e) {
    EXPECT_NE(std::string(e.what()).find("kafka consumer g: commit not answered within"),
              std::string::npos)
        << e.what();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - asked, 7s);
  c->close();
}

// librdkafka prefetches up to 64 MB per consumer by default: a writer behind
// the reconciler held that much of the backlog (RSS 137 MB at 300,000 issues
// against 52-84 MB at 100,000). The prefetch is bounded, whatever the backlog.
TEST(KafkaBus, ConsumersPrefetchAtMostSixteenMegabytes) {
  const std::string kbytes = kafka_consumer_property(unreachable(), "queued.max.messages.kbytes");
  ASSERT_FALSE(kbytes.empty());
  EXPECT_LE(std::stol(kbytes), 16384);
}

// Records are issue JSON: compressed, a cold sync moves a fifth of the bytes
// through the broker (docs/benchmarks.md).
TEST(KafkaBus, ProducersCompressWithSnappyUnlessKafkaExtraSaysOtherwise) {
  EXPECT_EQ(kafka_producer_property(unreachable(), "compression.codec"), "snappy");
  KafkaSettings none = unreachable();
  none.extra["compression.codec"] = "none";
  EXPECT_EQ(kafka_producer_property(none, "compression.codec"), "none");
  KafkaSettings lz4 = unreachable();
  lz4.extra["compression.type"] = "lz4";
  EXPECT_EQ(kafka_producer_property(lz4, "compression.codec"), "lz4");
}

TEST(KafkaBus, PrefetchBoundGivesWayToKafkaExtra) {
  KafkaSettings s = unreachable();
  s.extra["queued.max.messages.kbytes"] = "65536";
  EXPECT_EQ(kafka_consumer_property(s, "queued.max.messages.kbytes"), "65536");
}

}  // namespace
}  // namespace jirasync
