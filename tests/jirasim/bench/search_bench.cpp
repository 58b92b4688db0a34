// Measures search/jql throughput (pages of 100 per second, one client, one
// connection) over a large generated site. Not a test: run it by hand.
//   jirasim_bench [--issues 1000000] [--pages 2000] [--fields *all]
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include "tests/jirasim/it/http_client.hpp"
#include "tests/jirasim/it/sim_process.hpp"

using namespace jirasim::testing;

int main(int argc, char** argv) {
  long issues = 1000000;
  int pages = 2000;
  std::string fields = "*all";
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--issues") issues = std::atol(argv[i + 1]);
    if (a == "--pages") pages = std::atoi(argv[i + 1]);
    if (a == "--fields") fields = argv[i + 1];
  }
  long per_project = issues / 4;
  std::string projects =
      "WRKA:" + std::to_string(per_project) + ",WMB:" + std::to_string(per_project) +
      ",OPS:" + std::to_string(per_project) + ",WEB:" + std::to_string(issues - 3 * per_project);
  auto t0 = std::chrono::steady_clock::now();
  SimProcess sim({"--projects", projects}, std::chrono::minutes(5));
  auto t1 = std::chrono::steady_clock::now();
  std::cout << "started " << issues << " issues in "
            << std::chrono::duration<double>(t1 - t0).count() << " s" << std::endl;
  HttpClient client(sim.port());
  std::string base =
      "/rest/api/3/search/"
      "jql?jql=project%20in%20(WRKA%2CWMB%2COPS%2CWEB)%20ORDER%20BY%20updated%20ASC"
      "&maxResults=100&fields=" +
      fields;
  std::string token;
  auto first_start = std::chrono::steady_clock::now();
  double first_page_s = 0;
  int served = 0;
  size_t bytes = 0;
  auto start = first_start;
  for (int i = 0; i < pages; ++i) {
    HttpResult r = client.get(base + (token.empty() ? "" : "&nextPageToken=" + token));
    if (r.status != 200) {
      std::cerr << "page " << i << ": HTTP " << r.status << " " << r.body.substr(0, 200) << "\n";
      return 1;
    }
    bytes += r.body.size();
    // Only the token is read: the client should cost little next to the server.
    const std::string marker = "\"nextPageToken\":\"";
    size_t at = r.body.find(marker);
    if (i == 0) {
      first_page_s =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - first_start).count();
      start = std::chrono::steady_clock::now();
    } else {
      ++served;
    }
    if (at == std::string::npos) break;
    size_t from = at + marker.size();
    token = r.body.substr(from, r.body.find('"', from) - from);
  }
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "first page (scan + sort): " << first_page_s * 1000 << " ms\n"
            << "next " << served << " pages of 100 (fields=" << fields << "): " << served / s
            << " pages/s, " << (bytes / 1024.0 / 1024.0) / (s + first_page_s) << " MiB/s"
            << std::endl;
  std::ifstream status("/proc/" + std::to_string(sim.pid()) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM", 0) == 0 || line.rfind("VmRSS", 0) == 0)
      std::cout << "jirasim " << line << "\n";
  }
  return 0;
}
