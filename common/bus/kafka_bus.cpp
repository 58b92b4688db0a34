#include "common/bus/kafka_bus.hpp"

#include <librdkafka/rdkafka.h>
#include <spdlog/spdlog.h>

#include <librdkafka/rdkafkacpp.h>
#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <exception>
#include <map>
#include <mutex>
#include <utility>

#include "common/bus/bounded_teardown.hpp"
#include "common/bus/kafka_log.hpp"

namespace jirasync {

// The interface's special offsets are librdkafka's, so they pass through as is.
static_assert(TopicPartition::kOffsetStored == RD_KAFKA_OFFSET_STORED);
static_assert(TopicPartition::kOffsetBeginning == RD_KAFKA_OFFSET_BEGINNING);
static_assert(TopicPartition::kOffsetEnd == RD_KAFKA_OFFSET_END);

namespace {

using Clock = std::chrono::steady_clock;
using ConfPtr = std::unique_ptr<RdKafka::Conf>;

// How long produce() keeps retrying while librdkafka's local queue is full.
constexpr std::chrono::seconds kQueueFullPatience{30};
// Broker round trips made for lag() (watermarks, committed offsets).
constexpr int kQueryTimeoutMs = 5000;
// What the destructor of a producer waits for unacknowledged records, and
// how long without one acknowledged before it stops waiting.
constexpr int kCloseFlushMs = 5000;
constexpr int kCloseStallMs = 1000;
// How long closing a consumer waits to leave its group. librdkafka's own
// close waits up to session.timeout.ms when the broker is away, and a stop
// (SIGTERM) must not; a consumer that leaves unannounced only makes its
// partitions move after the session timeout.
constexpr auto kConsumerCloseBudget = std::chrono::milliseconds(1500);
// How long destroying a client may take before it is left behind (see
// bounded_teardown.hpp: librdkafka 2.0's destroy can hang for ever).
constexpr auto kDestroyBudget = std::chrono::milliseconds(1000);
// How long a commit waits for the group coordinator's answer.
constexpr auto kCommitBudget = std::chrono::milliseconds(3000);

// librdkafka properties whose values must never be shown.
bool is_secret_property(std::string name) {
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const char* word : {"password", "secret", "jaas", "token", "ssl.key", "ssl_key"}) {
    if (name.find(word) != std::string::npos) return true;
  }
  return false;
}

void set_property(RdKafka::Conf& conf, const std::string& name, const std::string& value) {
  std::string err;
  if (conf.set(name, value, err) == RdKafka::Conf::CONF_OK) return;
  if (is_secret_property(name)) {
    // librdkafka's message may quote the value.
    throw BusError("kafka setting " + name + ": rejected by librdkafka (value not shown)");
  }
  throw BusError("kafka setting " + name + ": " + err);
}

template <typename Callback>
void set_callback(RdKafka::Conf& conf, const std::string& name, Callback* cb) {
  std::string err;
  if (conf.set(name, cb, err) != RdKafka::Conf::CONF_OK) {
    throw BusError("kafka setting " + name + ": " + err);
  }
}

// Settings common to producers and consumers; `extra` last so operators can
// tune anything librdkafka knows.
ConfPtr base_conf(const KafkaSettings& s) {
  ConfPtr conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  set_property(*conf, "bootstrap.servers", s.brokers);
  set_property(*conf, "client.id", "jirasync");
  set_property(*conf, "api.version.request", s.api_version_request);
  if (!s.broker_version_fallback.empty()) {
    set_property(*conf, "broker.version.fallback", s.broker_version_fallback);
  }
  for (const auto& [name, value] : s.extra) set_property(*conf, name, value);
  return conf;
}

ConfPtr producer_conf(const KafkaSettings& s) {
  ConfPtr conf = base_conf(s);
  // Java clients' partitioner: a key maps to the same partition from any client.
  set_property(*conf, "partitioner", "murmur2_random");
  if (s.idempotence) set_property(*conf, "enable.idempotence", "true");
  // Issue JSON shrinks ~5x under snappy, which every broker since 0.8
  // reads. Uncompressed, a cold sync's 11 kB records made the bytes into the
  // broker the bound (~25 MB/s on the 0.9 test broker: 2,150 issues/s end to
  // end; 2,680 with snappy). kafka.extra still decides.
  if (!s.extra.count("compression.codec") && !s.extra.count("compression.type"))
    set_property(*conf, "compression.codec", "snappy");
  return conf;
}

ConfPtr consumer_conf(const KafkaSettings& s, const std::string& group_id) {
  ConfPtr conf = base_conf(s);
  set_property(*conf, "group.id", group_id);
  set_property(*conf, "session.timeout.ms", std::to_string(s.session_timeout_ms));
  set_property(*conf, "auto.offset.reset", "earliest");
  set_property(*conf, "enable.partition.eof", "false");
  // Offsets move only through commit(): the writer commits them with its rows.
  set_property(*conf, "enable.auto.commit", "false");
  set_property(*conf, "enable.auto.offset.store", "false");
  // Fewer, fuller fetches while a sync streams: each fetch request costs the
  // broker about as much as the bytes it returns. Idle latency stays bounded
  // by the wait. The prefetch is bounded (librdkafka's default is 64 MB): a
  // consumer behind its producer held that much of the backlog, so its memory
  // grew with the sync's size; 16 MB is still seconds of work for any role.
  // kafka.extra still decides.
  const std::pair<const char*, const char*> kFetchDefaults[] = {
      {"fetch.min.bytes", "262144"},
      {"fetch.wait.max.ms", "100"},
      {"queued.max.messages.kbytes", "16384"}};
  for (const auto& [name, value] : kFetchDefaults) {
    if (!s.extra.count(name)) set_property(*conf, name, value);
  }
  return conf;
}

// librdkafka's errors and logs, into our log. Called from librdkafka threads.
class KafkaEvents final : public RdKafka::EventCb {
 public:
  explicit KafkaEvents(std::string who) : who_(std::move(who)) {}

  void event_cb(RdKafka::Event& event) override {
    switch (event.type()) {
      case RdKafka::Event::EVENT_ERROR:
        if (event.fatal()) {
          spdlog::error("kafka {}: fatal: {}", who_, event.str());
        } else {
          spdlog::warn("kafka {}: {} ({})", who_, event.str(), RdKafka::err2str(event.err()));
        }
        break;
      case RdKafka::Event::EVENT_LOG:
        if (event.severity() <= RdKafka::Event::EVENT_SEVERITY_ERROR) {
          spdlog::error("kafka {}: {}: {}", who_, event.fac(), event.str());
        } else if (event.severity() <= RdKafka::Event::EVENT_SEVERITY_WARNING) {
          spdlog::warn("kafka {}: {}: {}", who_, event.fac(), event.str());
        } else {
          spdlog::debug("kafka {}: {}: {}", who_, event.fac(), event.str());
        }
        break;
      default:
        break;
    }
  }

 private:
  std::string who_;
};

std::string describe(const RdKafka::Message& m) {
  return m.topic_name() + "[" + std::to_string(m.partition()) + "]";
}

// Counts failed deliveries in all; take() hands out those since its last call.
class DeliveryReports final : public RdKafka::DeliveryReportCb {
 public:
  void dr_cb(RdKafka::Message& m) override {
    if (m.err() == RdKafka::ERR_NO_ERROR) return;
    std::lock_guard lk(mu_);
    if (refused_++ == taken_) first_reason_ = describe(m) + ": " + m.errstr();
  }

  int64_t refused() {
    std::lock_guard lk(mu_);
    return refused_;
  }

  // Failures since the last call, and the first one's reason.
  std::pair<int64_t, std::string> take() {
    std::lock_guard lk(mu_);
    auto out = std::make_pair(refused_ - taken_, std::move(first_reason_));
    taken_ = refused_;
    first_reason_.clear();
    return out;
  }

 private:
  std::mutex mu_;
  int64_t refused_ = 0;
  int64_t taken_ = 0;  // refused_ at the last take()
  std::string first_reason_;
};

class KafkaBusProducer final : public BusProducer {
 public:
  explicit KafkaBusProducer(const KafkaSettings& settings)
      : reports_(std::make_shared<DeliveryReports>()),
        events_(std::make_shared<KafkaEvents>("producer")) {
    ConfPtr conf = producer_conf(settings);
    set_callback(*conf, "dr_cb", static_cast<RdKafka::DeliveryReportCb*>(reports_.get()));
    set_callback(*conf, "event_cb", static_cast<RdKafka::EventCb*>(events_.get()));
    std::string err;
    producer_.reset(RdKafka::Producer::create(conf.get(), err));
    if (!producer_) throw BusError("kafka producer: " + err);
  }

  ~KafkaBusProducer() override {
    // Waits for what is queued while the broker takes it, but not for a
    // broker that is away: a stop (SIGTERM) must not hang on it. Whoever
    // needed the records flushed them already; the rest are sent again.
    int left = producer_->outq_len();
    int since_progress = 0;
    for (int waited = 0; left > 0 && waited < kCloseFlushMs && since_progress < kCloseStallMs;
         waited += 100) {
      producer_->flush(100);
      const int now_left = producer_->outq_len();
      since_progress = now_left < left ? 0 : since_progress + 100;
      left = now_left;
    }
    if (left > 0) {
      spdlog::warn("kafka producer closed with {} request(s) unacknowledged", left);
    }
    // The callbacks go with the handle: librdkafka may still log through them.
    finish_within(kDestroyBudget, "kafka producer",
                  [producer = std::shared_ptr<RdKafka::Producer>(std::move(producer_)),
                   callbacks = std::make_pair(events_, reports_)]() mutable { producer.reset(); });
  }

  void produce(const std::string& topic, const std::string& key,
               const std::string& value) override {
    throw_if_fatal();
    const auto give_up = Clock::now() + kQueueFullPatience;
    for (;;) {
      RdKafka::ErrorCode err = producer_->produce(
          topic, RdKafka::Topic::PARTITION_UA, RdKafka::Producer::RK_MSG_COPY,
          const_cast<char*>(value.data()), value.size(), key.data(), key.size(), 0, nullptr);
      if (err == RdKafka::ERR_NO_ERROR) {
        producer_->poll(0);  // serve delivery reports as we go
        return;
      }
      if (err != RdKafka::ERR__QUEUE_FULL) {
        throw BusError("kafka produce to " + topic + ": " + RdKafka::err2str(err));
      }
      if (Clock::now() >= give_up) {
        throw BusError("kafka produce to " + topic + ": local queue still full after " +
                       std::to_string(kQueueFullPatience.count()) + "s");
      }
      producer_->poll(100);  // let deliveries drain the queue
    }
  }

  void flush(std::chrono::milliseconds timeout) override {
    RdKafka::ErrorCode err = producer_->flush(static_cast<int>(timeout.count()));
    throw_if_fatal();
    auto [failed, reason] = reports_->take();
    if (failed > 0) {
      throw BusError("kafka: " + std::to_string(failed) +
                     " record(s) not delivered; first: " + reason);
    }
    if (err != RdKafka::ERR_NO_ERROR || producer_->outq_len() > 0) {
      throw BusUnacknowledged("kafka flush: " + std::to_string(producer_->outq_len()) +
                              " request(s) still unacknowledged after " +
                              std::to_string(timeout.count()) + "ms (" + RdKafka::err2str(err) +
                              ")");
    }
  }
  // Counted in the delivery callback, which librdkafka runs before it lets a
  // record leave outq_len: a flush that returns has every report counted.
  int64_t refused_records() const override { return reports_->refused(); }

 private:
  void throw_if_fatal() {
    std::string reason;
    if (producer_->fatal_error(reason) != RdKafka::ERR_NO_ERROR) {
      throw BusError("kafka producer fatal error: " + reason);
    }
  }

  // Shared with the handle's teardown, which may outlive this object.
  std::shared_ptr<DeliveryReports> reports_;
  std::shared_ptr<KafkaEvents> events_;
  std::unique_ptr<RdKafka::Producer> producer_;
};

// Owns RdKafka::TopicPartition pointers, as librdkafka's API wants them.
class PartitionList {
 public:
  PartitionList() = default;
  PartitionList(const PartitionList&) = delete;
  PartitionList& operator=(const PartitionList&) = delete;
  ~PartitionList() { RdKafka::TopicPartition::destroy(items); }

  std::vector<RdKafka::TopicPartition*> items;
};

class KafkaBusConsumer final : public BusConsumer, private RdKafka::RebalanceCb {
 public:
  KafkaBusConsumer(const KafkaSettings& settings, const std::string& group_id)
      : group_(group_id), events_(std::make_shared<KafkaEvents>("consumer " + group_id)) {
    if (group_id.empty()) throw BusError("kafka consumer: group id is empty");
    ConfPtr conf = consumer_conf(settings, group_id);
    set_callback(*conf, "rebalance_cb", static_cast<RdKafka::RebalanceCb*>(this));
    set_callback(*conf, "event_cb", static_cast<RdKafka::EventCb*>(events_.get()));
    std::string err;
    consumer_.reset(RdKafka::KafkaConsumer::create(conf.get(), err));
    if (!consumer_) throw BusError("kafka consumer " + group_id + ": " + err);
  }

  ~KafkaBusConsumer() override {
    try {
      close();
    } catch (const std::exception& e) {
      spdlog::warn("kafka consumer {}: close: {}", group_, e.what());
    }
    // Closed: rebalance_cb (this object) is served no more; the event
    // callback goes with the handle, as librdkafka may still log through it.
    finish_within(kDestroyBudget, "kafka consumer " + group_,
                  [consumer = std::shared_ptr<RdKafka::KafkaConsumer>(std::move(consumer_)),
                   events = events_]() mutable { consumer.reset(); });
  }

  void subscribe(const std::vector<std::string>& topics, AssignListener on_assign) override {
    on_assign_ = std::move(on_assign);
    RdKafka::ErrorCode err = consumer_->subscribe(topics);
    if (err != RdKafka::ERR_NO_ERROR) {
      std::string names;
      for (const auto& t : topics) names += (names.empty() ? "" : ",") + t;
      throw BusError("kafka consumer " + group_ + ": subscribe to " + names + ": " +
                     RdKafka::err2str(err));
    }
  }

  std::optional<BusMessage> poll(std::chrono::milliseconds timeout) override {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      std::unique_ptr<RdKafka::Message> m(
          consumer_->consume(static_cast<int>(std::max<int64_t>(0, left.count()))));
      rethrow_rebalance_failure();
      switch (m->err()) {
        case RdKafka::ERR_NO_ERROR:
          return to_bus_message(*m);
        case RdKafka::ERR__TIMED_OUT:
        case RdKafka::ERR__PARTITION_EOF:
          break;
        case RdKafka::ERR__FATAL: {
          std::string reason;
          consumer_->fatal_error(reason);
          throw BusError("kafka consumer " + group_ + " fatal error: " + reason);
        }
        case RdKafka::ERR_TOPIC_AUTHORIZATION_FAILED:
        case RdKafka::ERR_GROUP_AUTHORIZATION_FAILED:
          throw BusError("kafka consumer " + group_ + ": " + m->errstr());
        default:
          // Transient (broker down, leader moving, topic being created): librdkafka retries.
          spdlog::warn("kafka consumer {}: {}", group_, m->errstr());
          break;
      }
      if (Clock::now() >= deadline) return std::nullopt;
    }
  }

  // Waits for the coordinator's answer at most kCommitBudget: librdkafka's
  // synchronous commit waits for ever, and after a broker restart it was seen
  // to (a stop then hung in it). Unanswered, the records come again and are
  // recognised as done, as after any failed commit.
  void commit(const std::vector<TopicPartition>& next_offsets) override {
    if (next_offsets.empty()) return;
    rd_kafka_t* rk = consumer_->c_ptr();
    std::unique_ptr<rd_kafka_topic_partition_list_t,
                    decltype(&rd_kafka_topic_partition_list_destroy)>
        list(rd_kafka_topic_partition_list_new(static_cast<int>(next_offsets.size())),
             &rd_kafka_topic_partition_list_destroy);
    for (const auto& tp : next_offsets) {
      rd_kafka_topic_partition_list_add(list.get(), tp.topic.c_str(), tp.partition)->offset =
          tp.offset;
    }
    std::unique_ptr<rd_kafka_queue_t, decltype(&rd_kafka_queue_destroy)> answers(
        rd_kafka_queue_new(rk), &rd_kafka_queue_destroy);
    if (auto err = rd_kafka_commit_queue(rk, list.get(), answers.get(), nullptr, nullptr)) {
      throw BusError("kafka consumer " + group_ + ": commit: " + rd_kafka_err2str(err));
    }
    std::unique_ptr<rd_kafka_event_t, decltype(&rd_kafka_event_destroy)> answer(
        rd_kafka_queue_poll(answers.get(), static_cast<int>(kCommitBudget.count())),
        &rd_kafka_event_destroy);
    if (!answer) {
      throw BusError("kafka consumer " + group_ + ": commit not answered within " +
                     std::to_string(kCommitBudget.count()) + " ms");
    }
    if (auto err = rd_kafka_event_error(answer.get())) {
      throw BusError("kafka consumer " + group_ + ": commit: " + rd_kafka_err2str(err));
    }
    if (const auto* done = rd_kafka_event_topic_partition_list(answer.get())) {
      for (int i = 0; i < done->cnt; ++i) {
        const auto& p = done->elems[i];
        if (p.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
          throw BusError("kafka consumer " + group_ + ": commit of " + p.topic + "[" +
                         std::to_string(p.partition) + "]: " + rd_kafka_err2str(p.err));
        }
      }
    }
  }

  std::vector<TopicPartition> assignment() override {
    PartitionList list;
    current_positions(list);
    std::vector<TopicPartition> out;
    for (const auto* p : list.items) out.push_back({p->topic(), p->partition(), p->offset()});
    return out;
  }

  std::vector<std::pair<TopicPartition, int64_t>> lag() override {
    PartitionList list;
    current_positions(list);
    // Partitions not fetched from yet have no position: their committed offset is next.
    PartitionList unknown;
    for (const auto* p : list.items) {
      if (p->offset() < 0) {
        unknown.items.push_back(RdKafka::TopicPartition::create(p->topic(), p->partition()));
      }
    }
    std::map<std::pair<std::string, int32_t>, int64_t> committed;
    if (!unknown.items.empty() &&
        consumer_->committed(unknown.items, kQueryTimeoutMs) == RdKafka::ERR_NO_ERROR) {
      for (const auto* p : unknown.items) committed[{p->topic(), p->partition()}] = p->offset();
    }

    std::vector<std::pair<TopicPartition, int64_t>> out;
    for (const auto* p : list.items) {
      int64_t low = RdKafka::Topic::OFFSET_INVALID, high = RdKafka::Topic::OFFSET_INVALID;
      if (consumer_->get_watermark_offsets(p->topic(), p->partition(), &low, &high) !=
              RdKafka::ERR_NO_ERROR ||
          high < 0 || low < 0) {
        if (consumer_->query_watermark_offsets(p->topic(), p->partition(), &low, &high,
                                               kQueryTimeoutMs) != RdKafka::ERR_NO_ERROR) {
          low = high = -1;
        }
      }
      int64_t position = p->offset();
      if (position < 0) {
        auto it = committed.find({p->topic(), p->partition()});
        position = (it != committed.end() && it->second >= 0) ? it->second : low;  // earliest
      }
      int64_t lag = (high >= 0 && position >= 0) ? std::max<int64_t>(0, high - position) : -1;
      out.push_back({TopicPartition{p->topic(), p->partition(), position}, lag});
    }
    return out;
  }

  void close() override {
    if (closed_) return;
    closed_ = true;
    // The asynchronous close, served here under a deadline; the handle's
    // destructor then destroys it without closing again.
    rd_kafka_t* rk = consumer_->c_ptr();
    std::unique_ptr<rd_kafka_queue_t, decltype(&rd_kafka_queue_destroy)> queue(
        rd_kafka_queue_new(rk), &rd_kafka_queue_destroy);
    if (rd_kafka_error_t* error = rd_kafka_consumer_close_queue(rk, queue.get())) {
      const std::string reason = rd_kafka_error_string(error);
      rd_kafka_error_destroy(error);
      throw BusError("kafka consumer " + group_ + ": close: " + reason);
    }
    const auto deadline = Clock::now() + kConsumerCloseBudget;
    while (rd_kafka_consumer_closed(rk) == 0) {
      if (Clock::now() >= deadline) {
        spdlog::warn(
            "kafka consumer {}: left without the group's answer after {} ms (broker away?); "
            "its partitions move once the session times out",
            group_, kConsumerCloseBudget.count());
        return;
      }
      if (rd_kafka_event_t* event = rd_kafka_queue_poll(queue.get(), 100)) {
        serve_close_event(rk, event);
        rd_kafka_event_destroy(event);
      }
    }
  }

 private:
  // Served from consume(), on the polling thread (librdkafka's contract).
  void rebalance_cb(RdKafka::KafkaConsumer* consumer, RdKafka::ErrorCode err,
                    std::vector<RdKafka::TopicPartition*>& partitions) override {
    const bool cooperative = consumer->rebalance_protocol() == "COOPERATIVE";
    if (err == RdKafka::ERR__ASSIGN_PARTITIONS) {
      try {
        apply_assign_listener(partitions);
      } catch (...) {
        // Exceptions must not cross librdkafka's C frames; poll() rethrows it.
        // Nothing is assigned, so nothing is consumed from the wrong offsets.
        rebalance_failure_ = std::current_exception();
        return;
      }
      std::string failure;
      if (cooperative) {
        std::unique_ptr<RdKafka::Error> e(consumer->incremental_assign(partitions));
        if (e) failure = e->str();
      } else if (auto code = consumer->assign(partitions); code != RdKafka::ERR_NO_ERROR) {
        failure = RdKafka::err2str(code);
      }
      if (!failure.empty()) {
        rebalance_failure_ =
            std::make_exception_ptr(BusError("kafka consumer " + group_ + ": assign: " + failure));
      } else {
        spdlog::info("kafka consumer {}: assigned {} partition(s)", group_, partitions.size());
      }
    } else if (err == RdKafka::ERR__REVOKE_PARTITIONS) {
      if (cooperative) {
        std::unique_ptr<RdKafka::Error> e(consumer->incremental_unassign(partitions));
      } else {
        consumer->unassign();
      }
    } else {
      spdlog::error("kafka consumer {}: rebalance failed: {}", group_, RdKafka::err2str(err));
      consumer->unassign();
    }
  }

  // While closing, rebalances arrive as events: give back what is revoked,
  // as rebalance_cb does.
  static void serve_close_event(rd_kafka_t* rk, rd_kafka_event_t* event) {
    if (rd_kafka_event_type(event) != RD_KAFKA_EVENT_REBALANCE) return;
    const char* protocol = rd_kafka_rebalance_protocol(rk);
    const bool cooperative = protocol != nullptr && std::string(protocol) == "COOPERATIVE";
    if (rd_kafka_event_error(event) == RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS && cooperative) {
      if (rd_kafka_error_t* error =
              rd_kafka_incremental_unassign(rk, rd_kafka_event_topic_partition_list(event))) {
        rd_kafka_error_destroy(error);
      }
    } else {
      rd_kafka_assign(rk, nullptr);
    }
  }

  void apply_assign_listener(std::vector<RdKafka::TopicPartition*>& partitions) {
    if (!on_assign_) return;
    std::vector<TopicPartition> tps;
    for (const auto* p : partitions) {
      tps.push_back({p->topic(), p->partition(), TopicPartition::kOffsetStored});
    }
    on_assign_(tps);
    for (const auto& tp : tps) {
      for (auto* p : partitions) {
        if (p->topic() == tp.topic && p->partition() == tp.partition) p->set_offset(tp.offset);
      }
    }
  }

  void rethrow_rebalance_failure() {
    if (rebalance_failure_) std::rethrow_exception(std::exchange(rebalance_failure_, nullptr));
  }

  void current_positions(PartitionList& list) {
    if (auto err = consumer_->assignment(list.items); err != RdKafka::ERR_NO_ERROR) {
      throw BusError("kafka consumer " + group_ + ": assignment: " + RdKafka::err2str(err));
    }
    if (auto err = consumer_->position(list.items); err != RdKafka::ERR_NO_ERROR) {
      throw BusError("kafka consumer " + group_ + ": position: " + RdKafka::err2str(err));
    }
  }

  static BusMessage to_bus_message(const RdKafka::Message& m) {
    BusMessage out;
    out.topic = m.topic_name();
    out.partition = m.partition();
    out.offset = m.offset();
    if (const std::string* key = m.key()) out.key = *key;
    if (m.payload() != nullptr) out.value.assign(static_cast<const char*>(m.payload()), m.len());
    return out;
  }

  std::string group_;
  // Shared with the handle's teardown, which may outlive this object.
  std::shared_ptr<KafkaEvents> events_;
  AssignListener on_assign_;
  std::exception_ptr rebalance_failure_;
  bool closed_ = false;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer_;
};

}  // namespace

KafkaBus::KafkaBus(KafkaSettings settings) : settings_(std::move(settings)) {
  if (settings_.brokers.empty()) throw BusError("kafka.brokers: empty; expected host:port[,...]");
  if (settings_.session_timeout_ms <= 0) {
    throw BusError("kafka.session_timeout_ms: must be positive, got " +
                   std::to_string(settings_.session_timeout_ms));
  }
  // Build both configurations once so bad settings fail here, at start-up,
  // not on the first record.
  producer_conf(settings_);
  consumer_conf(settings_, "jirasync-settings-check");
}

std::string kafka_consumer_property(const KafkaSettings& settings, const std::string& name) {
  ConfPtr conf = consumer_conf(settings, "jirasync-settings-check");
  std::string value;
  if (conf->get(name, value) != RdKafka::Conf::CONF_OK) return "";
  return value;
}

std::string kafka_producer_property(const KafkaSettings& settings, const std::string& name) {
  ConfPtr conf = producer_conf(settings);
  std::string value;
  if (conf->get(name, value) != RdKafka::Conf::CONF_OK) return "";
  return value;
}

std::unique_ptr<BusProducer> KafkaBus::producer() {
  return std::make_unique<KafkaBusProducer>(settings_);
}

std::unique_ptr<BusConsumer> KafkaBus::consumer(const std::string& group_id) {
  return std::make_unique<KafkaBusConsumer>(settings_, group_id);
}

std::vector<std::string> KafkaBus::topic_names(std::chrono::milliseconds timeout) const {
  std::string err;
  ConfPtr conf = producer_conf(settings_);
  route_kafka_logs(*conf);
  std::unique_ptr<RdKafka::Producer> client(RdKafka::Producer::create(conf.get(), err));
  if (!client) throw BusError("cannot create a Kafka client: " + err);
  RdKafka::Metadata* raw = nullptr;
  const auto code = client->metadata(true, nullptr, &raw, static_cast<int>(timeout.count()));
  std::unique_ptr<RdKafka::Metadata> metadata(raw);
  if (code != RdKafka::ERR_NO_ERROR) {
    throw BusError("no answer from the Kafka brokers " + settings_.brokers + " within " +
                   std::to_string(timeout.count()) + " ms: " + RdKafka::err2str(code));
  }
  std::vector<std::string> names;
  for (const auto* t : *metadata->topics()) names.push_back(t->topic());
  return names;
}

}  // namespace jirasync
