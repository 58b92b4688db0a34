#include "services/fetcher/in_flight_slots.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace jirasync {
namespace {

using Priority = InFlightSlots::Priority;

TEST(InFlightSlots, AListingTakesTheNextFreeSlotAheadOfWaitingChunks) {
  InFlightSlots slots(1);
  slots.acquire(Priority::kChunk);
  std::atomic<bool> listing_in{false}, chunk_in{false}, listing_first{false};
  std::thread listing([&] {
    slots.acquire(Priority::kListing);
    listing_in = true;
    slots.release();
  });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (slots.listings_waiting() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
  }
  ASSERT_EQ(slots.listings_waiting(), 1);
  std::thread chunk([&] {
    slots.acquire(Priority::kChunk);
    listing_first = listing_in.load();
    chunk_in = true;
    slots.release();
  });
  slots.release();
  listing.join();
  chunk.join();
  EXPECT_TRUE(chunk_in);
  EXPECT_TRUE(listing_first) << "a chunk took the slot a listing was waiting for";
}

TEST(InFlightSlots, NeverMoreHoldersThanSlots) {
  InFlightSlots slots(3);
  std::atomic<int> holding{0}, most{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        InFlightSlots::Hold hold(&slots, t % 4 == 0 ? Priority::kListing : Priority::kChunk);
        const int now = ++holding;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        --holding;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_LE(most.load(), 3);
  EXPECT_GE(most.load(), 1);
}

}  // namespace
}  // namespace jirasync
