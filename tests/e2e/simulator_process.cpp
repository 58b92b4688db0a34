#include "tests/e2e/simulator_process.hpp"

#include <chrono>
#include <filesystem>
#include <stdexcept>

#include "common/http/https_endpoint.hpp"

namespace jirasync::e2e {

SimulatorProcess::SimulatorProcess(const std::string& dir, const std::string& projects,
                                   const std::vector<std::string>& extra_args)
    : owned_(std::make_unique<world::Simulator>(
          std::filesystem::path(testing::binary_path("jirasim")).parent_path().string(), dir,
          projects, extra_args, std::chrono::seconds(60))),
      simulator_(owned_.get()),
      connection_(std::make_unique<HttpConnection>(HttpsEndpoint::parse(base_url()),
                                                   HttpConnectionOptions{})) {}

SimulatorProcess::SimulatorProcess(world::Simulator& running)
    : simulator_(&running),
      connection_(std::make_unique<HttpConnection>(HttpsEndpoint::parse(base_url()),
                                                   HttpConnectionOptions{})) {}

SimulatorProcess::~SimulatorProcess() {
  connection_.reset();
  owned_.reset();
}

rapidjson::Document SimulatorProcess::control(const std::string& method, const std::string& target,
                                              const std::string& body) {
  HttpRequest request;
  request.method = method;
  request.target = target;
  request.body = body;
  if (!body.empty()) request.headers["Content-Type"] = "application/json";
  HttpResponse response;
  {
    // One connection, and tests call from several threads (a sampler, an editor).
    std::lock_guard<std::mutex> lock(connection_mutex_);
    response = connection_->send(request);
  }
  if (response.status < 200 || response.status > 299) {
    throw std::runtime_error("jirasim " + method + " " + target + " answered " +
                             std::to_string(response.status) + ": " + response.body);
  }
  rapidjson::Document doc;
  if (response.body.empty()) return doc;
  doc.Parse(response.body.data(), response.body.size());
  if (doc.HasParseError()) {
    throw std::runtime_error("jirasim " + method + " " + target +
                             " answered non-JSON: " + response.body);
  }
  return doc;
}

int64_t SimulatorProcess::total_requests() {
  auto doc = control("GET", "/__sim/counters");
  return doc["total"].GetInt64();
}

int64_t SimulatorProcess::requests(const std::string& endpoint, const std::string& status) {
  auto doc = control("GET", "/__sim/counters");
  const auto& endpoints = doc["endpoints"];
  auto e = endpoints.FindMember(endpoint.c_str());
  if (e == endpoints.MemberEnd()) return 0;
  auto s = e->value.FindMember(status.c_str());
  return s == e->value.MemberEnd() ? 0 : s->value.GetInt64();
}

}  // namespace jirasync::e2e
