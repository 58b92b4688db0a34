#include "services/reconciler/reconciler.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <variant>

#include "common/bus/dead_letter.hpp"
#include "common/bus/topics.hpp"
#include "common/envelope/raw_record.hpp"
#include "common/json/payload_error.hpp"
#include "common/model/issue_parser.hpp"
#include "services/reconciler/raw_record_decoding.hpp"
#include "services/reconciler/reconcile_rule.hpp"

namespace jirasync {

namespace {

bool writes_row(DecisionKind kind) {
  return kind == DecisionKind::kInsert || kind == DecisionKind::kUpdate ||
         kind == DecisionKind::kSignificant || kind == DecisionKind::kMove;
}

// One consumed record after decoding and parsing (raw_record_decoding.hpp).
struct DecodedRecord : DecodedRawRecord {
  const BusMessage* msg = nullptr;
};

DecodedRecord decode(const BusMessage& msg, const ParseLimits& limits) {
  DecodedRecord out;
  static_cast<DecodedRawRecord&>(out) = decode_raw_record_value(msg.value, limits);
  out.msg = &msg;
  return out;
}

Decision reject_decision(const IssueSnapshot& snapshot, const BusMessage& msg,
                         const std::string& reason) {
  Decision d;
  d.run_id = snapshot.run_id;
  d.project = snapshot.project;
  d.kind = DecisionKind::kReject;
  d.issue_id = snapshot.issue_id;
  // Still counted once per run even when the id itself is what is missing.
  d.item_key = !snapshot.issue_id.empty()
                   ? snapshot.issue_id + "@" + std::to_string(snapshot.updated_ms)
                   : "reject:" + std::to_string(msg.partition) + ":" + std::to_string(msg.offset);
  d.reason = reason;
  return d;
}

Decision sweep_chunk_decision(const SweepChunk& chunk) {
  Decision d;
  d.run_id = chunk.run_id;
  d.project = chunk.project;
  d.kind = DecisionKind::kSweepChunk;
  d.item_key = "sweep:" + std::to_string(chunk.seq);
  d.issue_ids = chunk.issue_ids;
  d.out_of_scope = chunk.out_of_scope;
  return d;
}

Decision sweep_end_decision(const SweepEnd& end) {
  Decision d;
  d.run_id = end.run_id;
  d.project = end.project;
  d.kind = DecisionKind::kSweepEnd;
  d.item_key = "sweep-end";
  d.sweep_chunks = end.chunks;
  d.sweep_started_ms = end.started_ms;
  return d;
}

// A deletion the fetcher verified with Jira; the item key matches no
// snapshot's ("<id>@<updated>"), so both count on a run that has both.
Decision gone_decision(const IssueGone& gone) {
  Decision d;
  d.run_id = gone.run_id;
  d.project = gone.project;
  d.kind = DecisionKind::kDelete;
  d.issue_id = gone.issue_id;
  d.item_key = gone.issue_id + "@gone";
  return d;
}

// Sweep decisions share one partition per project so the end marker follows its chunks.
std::string decision_key(const Decision& d, const BusMessage& msg) {
  if (d.kind == DecisionKind::kSweepChunk || d.kind == DecisionKind::kSweepEnd) {
    return "sweep:" + d.project;
  }
  return d.issue_id.empty() ? msg.key : d.issue_id;
}

CachedTicket as_cached(const Decision& d) {
  CachedTicket c;
  c.id = d.issue_id;
  c.key = d.issue->key;
  c.content_hash = d.content_hash;
  c.significant_hash = d.significant_hash;
  c.updated_ms = d.issue->updated_ms;
  c.issue = *d.issue;
  return c;
}

std::vector<TopicPartition> next_offsets(const std::vector<BusMessage>& batch) {
  std::map<std::pair<std::string, int32_t>, int64_t> next;
  for (const auto& m : batch) {
    auto& n = next[{m.topic, m.partition}];
    n = std::max(n, m.offset + 1);
  }
  std::vector<TopicPartition> out;
  for (const auto& [tp, offset] : next) {
    TopicPartition p;
    p.topic = tp.first;
    p.partition = tp.second;
    p.offset = offset;
    out.push_back(p);
  }
  return out;
}

}  // namespace

Reconciler::Reconciler(const ReconcilerSettings& settings, Bus& bus, TicketCache& store,
                       Clock& clock, prometheus::Registry& registry)
    : store_(store),
      clock_(clock),
      settings_(settings),
      policies_(settings.projects),
      limits_(settings.limits),
      raw_topic_(Topics(settings.topic_prefix).raw),
      decided_topic_(Topics(settings.topic_prefix).decided),
      deadletter_topic_(Topics(settings.topic_prefix).deadletter),
      producer_(bus.producer()),
      group_(consumer_group(settings.topic_prefix, kRole)),
      consumer_(bus.consumer(group_)),
      probe_(registry) {
  consumer_->subscribe({raw_topic_});
  last_progress_ms_ = clock_.now_ms();
}

Reconciler::~Reconciler() = default;

std::vector<BusMessage> Reconciler::poll_batch() {
  std::vector<BusMessage> batch;
  auto first = consumer_->poll(settings_.poll_timeout);
  if (!first) return batch;
  batch.push_back(std::move(*first));
  const int64_t deadline = clock_.now_ms() + settings_.linger_ms;
  while (static_cast<int>(batch.size()) < settings_.max_batch) {
    const int64_t remaining = deadline - clock_.now_ms();
    if (remaining <= 0) break;
    auto next = consumer_->poll(std::chrono::milliseconds(remaining));
    if (!next) break;
    batch.push_back(std::move(*next));
  }
  return batch;
}

bool Reconciler::step() {
  if (held_) {
    if (clock_.now_ms() < retry_at_ms_) return false;
  } else {
    auto batch = poll_batch();
    if (batch.empty()) {
      log_progress();
      return false;
    }
    held_ = std::move(batch);
  }
  try {
    process(*held_);
  } catch (const std::exception& e) {
    probe_.batch_failed();
    backoff_ms_ = backoff_ms_ == 0 ? settings_.retry_backoff_ms
                                   : std::min(backoff_ms_ * 2, settings_.retry_backoff_max_ms);
    retry_at_ms_ = clock_.now_ms() + backoff_ms_;
    spdlog::error(
        "reconciler: batch of {} records failed, nothing committed, retrying in {} ms: {}",
        held_->size(), backoff_ms_, e.what());
    return false;
  }
  held_.reset();
  backoff_ms_ = 0;
  log_progress();
  return true;
}

void Reconciler::process(const std::vector<BusMessage>& batch) {
  // Decode everything first so the cache is read once for the whole batch.
  std::vector<DecodedRecord> decoded;
  decoded.reserve(batch.size());
  std::vector<std::string> ids;
  for (const auto& msg : batch) {
    decoded.push_back(decode(msg, limits_));
    if (decoded.back().issue) ids.push_back(decoded.back().issue->id);
  }
  std::map<std::string, CachedTicket> cached;
  std::map<std::string, std::vector<LocalEdit>> edits;
  if (!ids.empty()) {
    cached = store_.load(ids);
    edits = store_.local_edits(ids);
  }

  std::vector<Decision> produced;
  int64_t dead = 0;
  for (const auto& item : decoded) {
    const BusMessage& msg = *item.msg;
    if (!item.record) {
      // No envelope, no run to count it on: dead letter only.
      dead_letter(msg, item.error);
      ++dead;
      continue;
    }
    Decision d;
    if (const auto* chunk = std::get_if<SweepChunk>(&*item.record)) {
      d = sweep_chunk_decision(*chunk);
    } else if (const auto* end = std::get_if<SweepEnd>(&*item.record)) {
      d = sweep_end_decision(*end);
    } else if (const auto* gone = std::get_if<IssueGone>(&*item.record)) {
      d = gone_decision(*gone);
    } else {
      const auto& snapshot = std::get<IssueSnapshot>(*item.record);
      if (!item.issue) {
        dead_letter(msg, item.error);
        ++dead;
        d = reject_decision(snapshot, msg, item.error);
      } else {
        const JiraIssue& issue = *item.issue;
        std::optional<CachedTicket> row;
        if (auto it = cached.find(issue.id); it != cached.end()) row = it->second;
        auto& ticket_edits = edits[issue.id];
        d = decide(
            snapshot, issue, row, ticket_edits,
            policies_.for_project(issue.project_key.empty() ? snapshot.project : issue.project_key),
            clock_.now_ms());
        // A later snapshot of the same issue in this batch must see this one as the cache.
        if (writes_row(d.kind)) {
          cached[issue.id] = as_cached(d);
          for (const auto& c : d.conflicts) {
            if (c.outcome != "jira") continue;
            std::erase_if(ticket_edits, [&](const LocalEdit& e) { return e.field == c.field; });
          }
        }
      }
    }
    producer_->produce(decided_topic_, decision_key(d, msg), encode(d));
    produced.push_back(std::move(d));
  }
  producer_->flush(settings_.flush_timeout);
  try {
    consumer_->commit(next_offsets(batch));
  } catch (const BusError& e) {
    // The decisions are out; a lost commit only means they are decided again (idempotent).
    spdlog::warn("reconciler: offset commit failed, records may be decided again: {}", e.what());
  }

  for (const auto& d : produced) {
    count(d);
    for (const auto& c : d.conflicts) {
      spdlog::info("reconciler: conflict on {} ({}) field {}: strategy {}, outcome {}",
                   d.issue ? d.issue->key : d.issue_id, d.issue_id, c.field, to_string(c.strategy),
                   c.outcome);
    }
  }
  probe_.batch_committed(static_cast<int64_t>(batch.size()), dead);
}

void Reconciler::dead_letter(const BusMessage& msg, const std::string& reason) {
  spdlog::warn("reconciler: dead-lettering {}[{}]@{} key {}: {}", msg.topic, msg.partition,
               msg.offset, msg.key, reason);
  producer_->produce(deadletter_topic_, msg.topic, dead_letter_record(msg, reason));
}

void Reconciler::count(const Decision& d) {
  probe_.decided(d);
}

void Reconciler::log_progress() {
  const int64_t now = clock_.now_ms();
  if (now - last_progress_ms_ < settings_.progress_log_ms) return;
  last_progress_ms_ = now;
  if (probe_.records() == records_logged_) return;  // quiet while idle
  records_logged_ = probe_.records();
  spdlog::info("reconciler: {} records consumed, {} decisions produced, {} dead-lettered",
               probe_.records(), probe_.decisions(), probe_.dead_lettered());
}

void Reconciler::run(const std::atomic<bool>& stop) {
  spdlog::info("reconciler: consuming {} as group {}, deciding to {}", raw_topic_, group_,
               decided_topic_);
  while (!stop.load()) {
    if (!step() && held_) {
      // Waiting out a retry backoff in short slices so a stop is seen promptly.
      clock_.sleep_ms(std::clamp<int64_t>(retry_at_ms_ - clock_.now_ms(), 0, 100));
    }
  }
  // A held batch was never committed: it is decided again after a restart.
  consumer_->close();
  spdlog::info("reconciler: stopped after {} records, {} decisions", probe_.records(),
               probe_.decisions());
}

}  // namespace jirasync
