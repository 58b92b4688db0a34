// jirasim's site read in-process as the fetcher reads it: bulkfetch pages
// with fields=*all, each issue's long comment list completed from /comment.
// Shared by the benches that need real-shaped issues without a network.
#pragma once

#include <cstdint>
#include <string>

#include <rapidjson/document.h>

#include "tests/jirasim/simulator.hpp"

namespace jirasync::bench {

class SiteReader {
 public:
  explicit SiteReader(jirasim::Simulator& sim);

  // A bulkfetch page of the `count` issues from id `first_id` on; each issue
  // in its `issues` array carries every comment.
  rapidjson::Document page(int64_t first_id, int count);

 private:
  void read(jirasim::http::verb verb, const std::string& target, const std::string& body,
            rapidjson::Document& out);
  void complete_comments(rapidjson::Value& issue, rapidjson::Document::AllocatorType& alloc);

  jirasim::Simulator& sim_;
  std::string auth_;
};

}  // namespace jirasync::bench
