// jirasim: a Jira Cloud simulator for Jirasync's tests, benchmarks and demos.
#include <malloc.h>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>
#include <vector>

#include "tests/jirasim/http_server.hpp"
#include "tests/jirasim/simulator.hpp"

namespace {

void write_port_file(const std::string& path, int port) {
  // Write-then-rename so a poller never reads a half-written file.
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp);
    out << port << "\n";
    if (!out) throw std::runtime_error("cannot write --port-file " + path);
  }
  std::filesystem::rename(tmp, path);
}

}  // namespace

int main(int argc, char** argv) {
  jirasim::SimOptions opt;
  CLI::App app{
      "jirasim - a Jira Cloud REST API v3 simulator (search/jql, bulkfetch, issue, myself, "
      "serverInfo, project/search, jql/parse, approximate-count) with a loopback control API "
      "under /__sim/. See docs/jirasim.md."};
  std::string projects = "WRKA:500,WMB:300";
  std::vector<std::string> users;
  std::string rate_limit;
  std::string data_end;
  std::string page_token_mode = "keyset";
  std::string fault_statuses = "500,502,503";
  app.add_option("--host", opt.host, "Address to listen on")->capture_default_str();
  app.add_option("--port", opt.port, "Port to listen on; 0 picks a free port (see --port-file)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  app.add_option("--port-file", opt.port_file,
                 "Write the port actually bound to this file once listening");
  app.add_option("--base-url", opt.base_url, "Prefix of `self` links (default http://HOST:PORT)");
  app.add_option("--seed", opt.seed, "Seed of the deterministic data generator")
      ->capture_default_str();
  app.add_option("--projects", projects, "Projects and issue counts, KEY:COUNT[,KEY:COUNT...]")
      ->capture_default_str();
  app.add_option("--user", users,
                 "Extra login user email:token[:accountId[:timeZone[:PROJ1,PROJ2]]] (repeatable; "
                 "projects limit what the user may browse). The demo user "
                 "demo@jirasim.test:jirasim-demo-token always exists");
  app.add_option(
         "--time-zone", opt.time_zone,
         "Account time zone (IANA): bare JQL dates are read in it, timestamps carry its offset")
      ->capture_default_str();
  app.add_option("--rate-limit", rate_limit, "Token-bucket rate, N or N/s (default off)");
  app.add_option("--rate-burst", opt.rate_burst,
                 "Token-bucket capacity (default: one second's worth)")
      ->check(CLI::NonNegativeNumber);
  app.add_option(
         "--search-lag-ms", opt.search_lag_ms,
         "Search shows an issue's previous version (or nothing) for this long after a change")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--fault-error-rate", opt.faults.error_rate,
                 "Probability of answering a REST request with a 5xx from --fault-statuses")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--fault-statuses", fault_statuses, "5xx codes for --fault-error-rate")
      ->capture_default_str();
  app.add_option("--fault-latency-ms", opt.faults.latency_ms,
                 "Latency added to every REST response")
      ->check(CLI::Range(0, 600000));
  app.add_option("--fault-disconnect-rate", opt.faults.disconnect_rate,
                 "Probability of closing the connection halfway through the body")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--fault-malformed-rate", opt.faults.malformed_rate,
                 "Probability of a 200 whose JSON body is truncated")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--fault-content-type-rate", opt.faults.wrong_content_type_rate,
                 "Probability of a 200 text/html page instead of JSON")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option(
         "--fault-issue-error-rate", opt.faults.issue_error_rate,
         "Probability that bulkfetch reports an issue in issueErrors instead of returning it")
      ->check(CLI::Range(0.0, 1.0));
  app.add_flag("--legacy-search", opt.legacy_search,
               "Serve the removed /rest/api/{2,3}/search (startAt/total) instead of 410 Gone");
  app.add_option("--page-token-mode", page_token_mode,
                 "keyset: a nextPageToken resumes after the last issue served; offset: at a "
                 "position in the result set as it is now, so changes shift issues "
                 "(JRASERVER-69860)")
      ->check(CLI::IsMember({"keyset", "offset"}));
  app.add_option("--webhook-url", opt.webhook_url,
                 "POST jira:issue_* webhooks for control-API changes to this http URL");
  app.add_option("--webhook-secret", opt.webhook_secret,
                 "HMAC-SHA256 secret for X-Hub-Signature (or env JIRASIM_WEBHOOK_SECRET)");
  app.add_option("--data-end", data_end,
                 "Generated issues span the two years before this UTC date (default 2025-06-30)");
  app.add_option("--threads", opt.threads, "Server threads")
      ->capture_default_str()
      ->check(CLI::Range(1, 16));
  CLI11_PARSE(app, argc, argv);
  // Pages of ~0.5 MB would otherwise be mmap'd and page-faulted afresh per request.
  mallopt(M_MMAP_THRESHOLD, 64 * 1024 * 1024);
  mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);

  try {
    opt.projects = jirasim::parse_project_specs(projects);
    for (const auto& u : users) opt.users.push_back(jirasim::parse_user_spec(u));
    jirasim::require_time_zone(opt.time_zone);
    if (!rate_limit.empty()) opt.rate_limit_per_s = jirasim::parse_rate(rate_limit);
    if (!data_end.empty()) opt.data_end_ms = jirasim::parse_day_ms(data_end);
    opt.page_token_mode = jirasim::page_token_mode_from(page_token_mode);
    opt.faults.error_statuses.clear();
    for (const auto& s : jirasim::split_commas(fault_statuses)) {
      int code = std::atoi(s.c_str());
      if (code < 500 || code > 599) {
        throw std::invalid_argument("--fault-statuses: '" + s + "' is not a 5xx status code");
      }
      opt.faults.error_statuses.push_back(code);
    }
    if (opt.webhook_secret.empty()) {
      if (const char* env = std::getenv("JIRASIM_WEBHOOK_SECRET")) opt.webhook_secret = env;
    }

    auto started = std::chrono::steady_clock::now();
    jirasync::SystemClock clock;
    boost::asio::io_context ioc{opt.threads};
    jirasim::Simulator sim(opt, clock);
    jirasim::HttpServer server(ioc, opt.host, opt.port,
                               [&sim](const jirasim::HttpRequest& req, bool loopback) {
                                 return sim.handle(req, loopback);
                               });
    sim.set_base_url("http://" + opt.host + ":" + std::to_string(server.port()));
    server.start();
    if (!opt.port_file.empty()) write_port_file(opt.port_file, server.port());
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::steady_clock::now() - started)
                  .count();
    std::cout << "jirasim: " << sim.store().size() << " issues in " << opt.projects.size()
              << " projects, ready in " << ms << " ms on http://" << opt.host << ":"
              << server.port() << std::endl;

    boost::asio::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([&ioc](const boost::system::error_code&, int) { ioc.stop(); });
    std::vector<std::thread> threads;
    for (int i = 1; i < opt.threads; ++i) threads.emplace_back([&ioc] { ioc.run(); });
    ioc.run();
    for (auto& t : threads) t.join();
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "jirasim: " << e.what() << std::endl;
    return 2;
  }
}
