#include "common/bus/in_process_bus.hpp"

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <utility>
#include <vector>

namespace jirasync {

namespace {

struct Record {
  std::string key;
  std::string value;
};

using PartitionId = std::pair<std::string, int32_t>;

// FNV-1a: stable across runs and platforms, unlike std::hash.
uint32_t key_hash(const std::string& key) {
  uint32_t h = 2166136261u;
  for (unsigned char c : key) {
    h ^= c;
    h *= 16777619u;
  }
  return h;
}

std::string partition_name(const PartitionId& id) {
  return id.first + "[" + std::to_string(id.second) + "]";
}

}  // namespace

struct InProcessBus::State {
  struct Member {
    std::vector<std::string> topics;
    // Handed out by the last rebalance, applied by the member's next poll().
    std::vector<PartitionId> pending;
    bool assignment_pending = false;
    uint64_t generation = 0;
    // Applied assignment: partition -> next offset to read.
    std::vector<std::pair<PartitionId, int64_t>> assigned;
    std::size_t next_scan = 0;  // round-robin start so no partition starves
  };
  struct Group {
    std::map<PartitionId, int64_t> committed;
    std::map<uint64_t, Member> members;  // ordered by join
  };

  explicit State(int32_t p) : partitions(p) {}

  std::vector<std::vector<Record>>& topic(const std::string& name) {
    auto it = topics.find(name);
    if (it == topics.end()) {
      it = topics.emplace(name, std::vector<std::vector<Record>>(partitions)).first;
    }
    return it->second;
  }

  int64_t end_offset(const PartitionId& id) {
    return static_cast<int64_t>(topic(id.first)[id.second].size());
  }

  // Eager rebalance: every member loses its partitions now and receives its
  // new share on its next poll(), so no partition is ever read by two members.
  void rebalance(Group& group) {
    std::map<std::string, std::vector<uint64_t>> subscribers;  // topic -> members, join order
    for (auto& [id, m] : group.members) {
      for (const auto& t : m.topics) subscribers[t].push_back(id);
      m.assigned.clear();
      m.pending.clear();
      m.assignment_pending = true;
      ++m.generation;
    }
    for (const auto& [name, ids] : subscribers) {
      for (int32_t p = 0; p < partitions; ++p) {
        group.members[ids[p % ids.size()]].pending.push_back({name, p});
      }
    }
    cv.notify_all();
  }

  // Frees the payloads every subscribed group has committed past: the
  // embedded mode would otherwise keep every record of a sync in memory.
  void release_consumed(const PartitionId& id) {
    int64_t upto = end_offset(id);
    bool subscribed = false;
    for (const auto& [name, g] : groups) {
      bool reads = false;
      for (const auto& [mid, m] : g.members)
        reads = reads || std::find(m.topics.begin(), m.topics.end(), id.first) != m.topics.end();
      if (!reads) continue;
      subscribed = true;
      auto it = g.committed.find(id);
      upto = std::min(upto, it == g.committed.end() ? int64_t{0} : it->second);
    }
    if (!subscribed) return;
    auto& log = topic(id.first)[id.second];
    for (int64_t& from = released[id]; from < upto; ++from) {
      std::string().swap(log[from].value);
      std::string().swap(log[from].key);
    }
  }

  std::mutex mu;
  std::condition_variable cv;
  bool woken = false;  // wake_consumers(): polls no longer wait
  const int32_t partitions;
  std::map<PartitionId, int64_t> released;  // payloads below this offset are freed
  std::map<std::string, std::vector<std::vector<Record>>> topics;
  std::map<std::string, Group> groups;
  uint64_t next_member_id = 1;
};

namespace {

using State = InProcessBus::State;

class InProcessProducer final : public BusProducer {
 public:
  explicit InProcessProducer(std::shared_ptr<State> state) : state_(std::move(state)) {}

  void produce(const std::string& topic, const std::string& key,
               const std::string& value) override {
    if (topic.empty()) throw BusError("in-process bus: produce with an empty topic name");
    {
      std::lock_guard lk(state_->mu);
      auto& partitions = state_->topic(topic);
      partitions[key_hash(key) % partitions.size()].push_back({key, value});
    }
    state_->cv.notify_all();
  }

  // Records are delivered when produce() returns.
  void flush(std::chrono::milliseconds) override {}
  int64_t refused_records() const override { return 0; }

 private:
  std::shared_ptr<State> state_;
};

class InProcessConsumer final : public BusConsumer {
 public:
  InProcessConsumer(std::shared_ptr<State> state, std::string group_id)
      : state_(std::move(state)), group_id_(std::move(group_id)) {
    if (group_id_.empty()) throw BusError("in-process bus: consumer group id is empty");
    std::lock_guard lk(state_->mu);
    id_ = state_->next_member_id++;
    state_->groups[group_id_].members[id_];
  }

  ~InProcessConsumer() override { close(); }

  void subscribe(const std::vector<std::string>& topics, AssignListener on_assign) override {
    std::lock_guard lk(state_->mu);
    Member& m = member();
    for (const auto& t : topics) {
      if (t.empty()) throw BusError("in-process bus: subscribe to an empty topic name");
      state_->topic(t);  // created on first use, as with auto.create.topics
    }
    m.topics = topics;
    on_assign_ = std::move(on_assign);
    state_->rebalance(group());
  }

  std::optional<BusMessage> poll(std::chrono::milliseconds timeout) override {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::unique_lock lk(state_->mu);
    for (;;) {
      if (member().assignment_pending) apply_assignment(lk);
      if (auto msg = next_record()) return msg;
      if (state_->woken || state_->cv.wait_until(lk, deadline) == std::cv_status::timeout) {
        if (member().assignment_pending) apply_assignment(lk);
        return next_record();
      }
    }
  }

  void commit(const std::vector<TopicPartition>& next_offsets) override {
    std::lock_guard lk(state_->mu);
    member();  // throws when closed
    for (const auto& tp : next_offsets) {
      PartitionId id{tp.topic, tp.partition};
      auto t = state_->topics.find(tp.topic);
      if (t == state_->topics.end() || tp.partition < 0 || tp.partition >= state_->partitions) {
        throw BusError("in-process bus: commit for unknown partition " + partition_name(id));
      }
      if (tp.offset < 0 || tp.offset > state_->end_offset(id)) {
        throw BusError("in-process bus: commit of offset " + std::to_string(tp.offset) + " for " +
                       partition_name(id) + " outside [0, " +
                       std::to_string(state_->end_offset(id)) + "]");
      }
    }
    for (const auto& tp : next_offsets) {
      group().committed[{tp.topic, tp.partition}] = tp.offset;
      state_->release_consumed({tp.topic, tp.partition});
    }
  }

  std::vector<TopicPartition> assignment() override {
    std::lock_guard lk(state_->mu);
    std::vector<TopicPartition> out;
    for (const auto& [id, pos] : member().assigned) out.push_back({id.first, id.second, pos});
    return out;
  }

  std::vector<std::pair<TopicPartition, int64_t>> lag() override {
    std::lock_guard lk(state_->mu);
    std::vector<std::pair<TopicPartition, int64_t>> out;
    for (const auto& [id, pos] : member().assigned) {
      out.push_back({{id.first, id.second, pos}, state_->end_offset(id) - pos});
    }
    return out;
  }

  void close() override {
    std::lock_guard lk(state_->mu);
    if (closed_) return;
    closed_ = true;
    auto& g = group();
    g.members.erase(id_);
    if (!g.members.empty()) state_->rebalance(g);
  }

 private:
  using Member = State::Member;

  State::Group& group() { return state_->groups[group_id_]; }

  Member& member() {
    if (closed_) throw BusError("in-process bus: consumer of group " + group_id_ + " is closed");
    return group().members.at(id_);
  }

  // Calls the AssignListener without the lock (it may query a database or
  // use the bus), then resolves the start offsets. A rebalance that happens
  // meanwhile wins: its assignment is applied on the next round.
  void apply_assignment(std::unique_lock<std::mutex>& lk) {
    while (member().assignment_pending) {
      Member& m = member();
      m.assignment_pending = false;
      const uint64_t generation = m.generation;
      std::vector<TopicPartition> tps;
      for (const auto& id : m.pending) tps.push_back({id.first, id.second});
      if (on_assign_) {
        AssignListener listener = on_assign_;
        lk.unlock();
        try {
          listener(tps);
        } catch (...) {
          lk.lock();
          // Retry on the next poll unless a newer rebalance replaced this one.
          if (!closed_ && member().generation == generation) member().assignment_pending = true;
          throw;
        }
        lk.lock();
      }
      Member& now = member();
      if (now.generation != generation) continue;
      for (const auto& tp : tps) {
        PartitionId id{tp.topic, tp.partition};
        if (std::find(now.pending.begin(), now.pending.end(), id) == now.pending.end()) {
          throw BusError("in-process bus: AssignListener returned " + partition_name(id) +
                         ", which was not assigned");
        }
        now.assigned.push_back({id, start_offset(id, tp.offset)});
      }
      now.next_scan = 0;
    }
  }

  int64_t start_offset(const PartitionId& id, int64_t requested) {
    const int64_t end = state_->end_offset(id);
    if (requested == TopicPartition::kOffsetStored) {
      auto it = group().committed.find(id);
      return it == group().committed.end() ? 0 : it->second;  // auto.offset.reset=earliest
    }
    if (requested == TopicPartition::kOffsetBeginning) return 0;
    if (requested == TopicPartition::kOffsetEnd) return end;
    if (requested < 0) {
      throw BusError("in-process bus: invalid start offset " + std::to_string(requested) + " for " +
                     partition_name(id));
    }
    return requested > end ? 0 : requested;  // out of range: reset to earliest, as Kafka does
  }

  std::optional<BusMessage> next_record() {
    Member& m = member();
    const std::size_t n = m.assigned.size();
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t at = (m.next_scan + i) % n;
      auto& [id, pos] = m.assigned[at];
      const auto& log = state_->topic(id.first)[id.second];
      if (pos < static_cast<int64_t>(log.size())) {
        const Record& r = log[pos];
        BusMessage msg{id.first, id.second, pos, r.key, r.value};
        ++pos;
        m.next_scan = at + 1;
        return msg;
      }
    }
    return std::nullopt;
  }

  std::shared_ptr<State> state_;
  std::string group_id_;
  uint64_t id_ = 0;
  AssignListener on_assign_;
  bool closed_ = false;
};

}  // namespace

InProcessBus::InProcessBus(int32_t partitions_per_topic) {
  if (partitions_per_topic < 1) {
    throw BusError("in-process bus: partitions per topic must be at least 1, got " +
                   std::to_string(partitions_per_topic));
  }
  state_ = std::make_shared<State>(partitions_per_topic);
}

InProcessBus::~InProcessBus() = default;

std::size_t InProcessBus::retained_bytes() const {
  std::lock_guard lk(state_->mu);
  std::size_t bytes = 0;
  for (const auto& [name, parts] : state_->topics)
    for (const auto& log : parts)
      for (const auto& r : log) bytes += r.key.size() + r.value.size();
  return bytes;
}

std::unique_ptr<BusProducer> InProcessBus::producer() {
  return std::make_unique<InProcessProducer>(state_);
}

std::unique_ptr<BusConsumer> InProcessBus::consumer(const std::string& group_id) {
  return std::make_unique<InProcessConsumer>(state_, group_id);
}

void InProcessBus::wake_consumers() {
  {
    std::lock_guard lk(state_->mu);
    state_->woken = true;
  }
  state_->cv.notify_all();
}

int32_t InProcessBus::partition_for(const std::string& key) const {
  return static_cast<int32_t>(key_hash(key) % static_cast<uint32_t>(state_->partitions));
}

}  // namespace jirasync
