#pragma once

#include <condition_variable>
#include <mutex>

namespace jirasync {

// How many Jira requests one fetcher has in flight (jira.concurrency), across
// its threads: the job's own requests and the slices it fetches. A listing
// page goes first: the chunks it lists wait on it, so it takes the next free
// slot ahead of any chunk already waiting.
class InFlightSlots {
 public:
  explicit InFlightSlots(int slots);

  enum class Priority { kChunk, kListing };
  void acquire(Priority priority);
  void release();
  int listings_waiting();

  // Holds one slot for a scope; null slots hold nothing.
  class Hold {
   public:
    Hold(InFlightSlots* slots, Priority priority) : slots_(slots) {
      if (slots_) slots_->acquire(priority);
    }
    ~Hold() {
      if (slots_) slots_->release();
    }
    Hold(const Hold&) = delete;
    Hold& operator=(const Hold&) = delete;

   private:
    InFlightSlots* slots_;
  };

 private:
  std::mutex mutex_;
  std::condition_variable freed_;
  int free_;
  int listings_waiting_ = 0;
};

}  // namespace jirasync
