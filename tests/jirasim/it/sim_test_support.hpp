#pragma once

#include <rapidjson/document.h>

#include <memory>
#include <string>
#include <vector>

#include "tests/jirasim/it/http_client.hpp"
#include "tests/jirasim/it/sim_process.hpp"

namespace jirasim::testing {

// A started simulator plus a client; the common start of every integration test.
struct RunningSim {
  explicit RunningSim(std::vector<std::string> args = {"--projects", "WRKA:250,WMB:120"})
      : process(args), client(process.port()) {}

  // POST /__sim/... with a JSON body; fails the test on a non-2xx answer.
  rapidjson::Document control(const std::string& path, const std::string& json,
                              boost::beast::http::verb method = boost::beast::http::verb::post);

  SimProcess process;
  HttpClient client;
};

rapidjson::Document parse_json(const std::string& text);
std::string url_escape(const std::string& text);

}  // namespace jirasim::testing
