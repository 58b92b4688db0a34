#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace jirasync {

// A part of one run's work that any fetcher may do: issue ids (one bulkfetch
// chunk) listed by the run's owner, published on fetch.slices
// (docs/architecture.md, *Slices*). `listing` names the owner's listing, so
// slices of a listing that was abandoned (the owner crashed and the job came
// again) or of an earlier attempt are recognised and skipped.
struct FetchSlice {
  std::string run_id;
  std::string project;
  int attempt = 1;
  std::string listing;
  int64_t seq = 0;  // 0, 1, ... within the listing
  std::vector<std::string> ids;
  bool moves_cursor = true;  // its issues are cursor material (capped at the listing)
};

// Kafka key of a slice: slices spread over the topic's partitions (their
// order does not matter; the snapshots they produce go to issues.raw keyed
// by issue id like every other snapshot).
std::string slice_key(const FetchSlice& slice);

std::string encode(const FetchSlice& slice);
// Throws PayloadError naming the field.
FetchSlice decode_fetch_slice(const std::string& json);

}  // namespace jirasync
