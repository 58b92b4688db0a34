// fixed_rate_load: an open-loop HTTP load generator (Debian's wrk has no -R).
// Requests are sent at a fixed rate from a start time over a pool of
// keep-alive connections; each latency runs from the request's intended send
// time, so queueing behind a slow server is counted (no coordinated
// omission). Paths come from a file, one a line, used in order and wrapped.
// Prints `key=value` lines: achieved rate, p50/p90/p99/p99.9/max, errors.
#include <CLI/CLI.hpp>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "bench/fixed_rate/fixed_rate_schedule.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using jirasync::bench::FixedRateSchedule;

namespace {

struct Options {
  std::string url;
  std::string paths_file;
  double rate = 0;
  double duration_s = 10;
  double warmup_s = 0;
  int connections = 64;
  std::string auth_env;
  double drain_s = 5;
};

struct Target {
  std::string host, port;
};

Target parse_url(const std::string& url) {
  const std::string prefix = "http://";
  if (url.rfind(prefix, 0) != 0)
    throw std::invalid_argument("url: only http://host:port is supported");
  auto rest = url.substr(prefix.size());
  if (auto slash = rest.find('/'); slash != std::string::npos) rest.resize(slash);
  const auto colon = rest.rfind(':');
  if (colon == std::string::npos) return {rest, "80"};
  return {rest.substr(0, colon), rest.substr(colon + 1)};
}

class Load {
 public:
  Load(asio::io_context& io, const Options& o, std::vector<std::string> paths,
       std::string authorization)
      : io_(io),
        options_(o),
        schedule_(o.rate, static_cast<std::size_t>(o.rate * (o.warmup_s + o.duration_s))),
        warmup_count_(static_cast<std::size_t>(o.rate * o.warmup_s)),
        paths_(std::move(paths)),
        authorization_(std::move(authorization)),
        target_(parse_url(o.url)),
        timer_(io) {
    endpoints_ = tcp::resolver(io).resolve(target_.host, target_.port);
    for (int i = 0; i < o.connections; ++i)
      connections_.push_back(std::make_unique<Connection>(io));
    latencies_ms_.assign(schedule_.total(), -1);
    failed_.assign(schedule_.total(), 0);
  }

  void start() {
    start_ = Clock::now();
    tick();
  }

  void report() const {
    std::vector<double> measured;
    std::size_t errors = 0, completed = 0;
    std::size_t unfinished = 0;
    for (std::size_t i = warmup_count_; i < latencies_ms_.size(); ++i) {
      if (failed_[i]) continue;
      if (latencies_ms_[i] < 0) {
        // Not answered (or not even sent) when the run stopped: counted with
        // the time it had waited by then, a lower bound, so a server that
        // falls behind cannot shine by leaving its backlog unanswered.
        ++unfinished;
        measured.push_back(
            std::chrono::duration<double, std::milli>(stopped_ - intended_at(i)).count());
        continue;
      }
      ++completed;
      measured.push_back(latencies_ms_[i]);
    }
    for (std::size_t i = warmup_count_; i < failed_.size(); ++i) errors += failed_[i];
    const auto s = jirasync::bench::summarize(measured);
    const double window_s = std::chrono::duration<double>(last_done_ - measure_start()).count();
    const auto intended = schedule_.total() - warmup_count_;
    std::printf(
        "target_rate=%.0f\nduration_s=%.1f\nconnections=%d\nintended=%zu\nsent=%zu\ncompleted=%"
        "zu\n",
        options_.rate, options_.duration_s, options_.connections, intended, sent_measured(),
        completed);
    std::printf("errors=%zu\nunfinished=%zu\nnot_sent=%zu\nachieved_rate=%.0f\n", errors,
                unfinished, intended - sent_measured(),
                window_s > 0 ? static_cast<double>(completed) / window_s : 0.0);
    std::printf("p50_ms=%.3f\np90_ms=%.3f\np99_ms=%.3f\np999_ms=%.3f\nmax_ms=%.3f\nmean_ms=%.3f\n",
                s.p50_ms, s.p90_ms, s.p99_ms, s.p999_ms, s.max_ms, s.mean_ms);
  }

 private:
  struct Connection {
    explicit Connection(asio::io_context& io) : stream(io) {}
    beast::tcp_stream stream;
    beast::flat_buffer buffer;
    http::request<http::empty_body> request;
    http::response<http::string_body> response;
    bool connected = false;
    bool busy = false;
    std::size_t index = 0;
  };

  Clock::time_point intended_at(std::size_t index) const {
    return start_ + std::chrono::duration_cast<Clock::duration>(schedule_.due_at(index));
  }
  Clock::time_point measure_start() const {
    return start_ + std::chrono::duration_cast<Clock::duration>(schedule_.due_at(warmup_count_));
  }
  std::size_t sent_measured() const { return sent_ > warmup_count_ ? sent_ - warmup_count_ : 0; }

  // Moves the requests now due into the queue, sends what idle connections
  // can take, and sleeps until the next request is due.
  void tick() {
    const auto elapsed =
        std::chrono::duration_cast<FixedRateSchedule::Duration>(Clock::now() - start_);
    const auto due = schedule_.due_by(elapsed);
    while (scheduled_ < due) queue_.push_back(scheduled_++);
    dispatch();
    if (scheduled_ < schedule_.total()) {
      timer_.expires_at(start_ +
                        std::chrono::duration_cast<Clock::duration>(schedule_.due_at(scheduled_)));
      timer_.async_wait([this](beast::error_code ec) {
        if (!ec) tick();
      });
    } else {
      // Every request is due: give the stragglers a bounded time to finish.
      const auto deadline =
          start_ +
          std::chrono::duration_cast<Clock::duration>(schedule_.due_at(schedule_.total())) +
          std::chrono::milliseconds(static_cast<long>(options_.drain_s * 1000));
      timer_.expires_at(deadline);
      timer_.async_wait([this](beast::error_code ec) {
        if (!ec) stop_all();
      });
      finish_if_done();
    }
  }

  void dispatch() {
    for (auto& c : connections_) {
      if (queue_.empty()) return;
      if (c->busy) continue;
      const auto index = queue_.front();
      queue_.pop_front();
      send(*c, index);
    }
  }

  void send(Connection& c, std::size_t index) {
    c.busy = true;
    c.index = index;
    ++sent_;
    c.request = {};
    c.request.method(http::verb::get);
    c.request.target(paths_[index % paths_.size()]);
    c.request.version(11);
    c.request.set(http::field::host, target_.host);
    c.request.keep_alive(true);
    if (!authorization_.empty()) c.request.set(http::field::authorization, authorization_);
    if (c.connected) {
      write(c);
      return;
    }
    c.stream.async_connect(endpoints_, [this, &c](beast::error_code ec, const tcp::endpoint&) {
      if (ec) return fail(c);
      c.stream.socket().set_option(tcp::no_delay(true));
      c.connected = true;
      write(c);
    });
  }

  void write(Connection& c) {
    http::async_write(c.stream, c.request, [this, &c](beast::error_code ec, std::size_t) {
      if (ec) return fail(c);
      c.response = {};
      http::async_read(
          c.stream, c.buffer, c.response, [this, &c](beast::error_code ec2, std::size_t) {
            if (ec2) return fail(c);
            const bool ok = c.response.result_int() >= 200 && c.response.result_int() < 300;
            done(c, ok);
            if (!c.response.keep_alive()) close(c);
            after(c);
          });
    });
  }

  void fail(Connection& c) {
    done(c, false);
    close(c);
    after(c);
  }

  void close(Connection& c) {
    beast::error_code ignored;
    c.stream.socket().close(ignored);
    c.buffer.clear();
    c.connected = false;
  }

  void done(Connection& c, bool ok) {
    const auto now = Clock::now();
    const auto intended =
        start_ + std::chrono::duration_cast<Clock::duration>(schedule_.due_at(c.index));
    if (ok)
      latencies_ms_[c.index] = std::chrono::duration<double, std::milli>(now - intended).count();
    else
      failed_[c.index] = 1;
    last_done_ = now;
    ++finished_;
    c.busy = false;
  }

  void after(Connection&) {
    dispatch();
    finish_if_done();
  }

  void finish_if_done() {
    if (scheduled_ == schedule_.total() && finished_ == schedule_.total()) stop_all();
  }

  void stop_all() {
    stopped_ = Clock::now();
    timer_.cancel();
    for (auto& c : connections_) close(*c);
    io_.stop();
  }

  asio::io_context& io_;
  Options options_;
  FixedRateSchedule schedule_;
  std::size_t warmup_count_;
  std::vector<std::string> paths_;
  std::string authorization_;
  Target target_;
  tcp::resolver::results_type endpoints_;
  asio::steady_timer timer_;
  std::vector<std::unique_ptr<Connection>> connections_;
  std::deque<std::size_t> queue_;
  Clock::time_point start_{}, last_done_{}, stopped_{};
  std::size_t scheduled_ = 0, sent_ = 0, finished_ = 0;
  std::vector<double> latencies_ms_;
  std::vector<char> failed_;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Open-loop HTTP GET load at a fixed rate over keep-alive connections; latency from each "
      "request's "
      "intended send time (queueing counted). Prints key=value lines."};
  Options o;
  app.add_option("url", o.url, "server, http://host:port")->required();
  app.add_option("--paths", o.paths_file,
                 "file of request paths (one a line, used in order, wrapped)")
      ->required()
      ->check(CLI::ExistingFile);
  app.add_option("--rate", o.rate, "requests per second")->required()->check(CLI::PositiveNumber);
  app.add_option("--duration", o.duration_s, "seconds measured (default 10)")
      ->check(CLI::PositiveNumber);
  app.add_option("--warmup", o.warmup_s, "seconds at the same rate before measuring (default 0)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--connections", o.connections,
                 "keep-alive connections (default 64); a request waits for a free one")
      ->check(CLI::Range(1, 10000));
  app.add_option(
      "--auth-env", o.auth_env,
      "environment variable holding the Authorization header's value (kept off the command line)");
  app.add_option("--drain", o.drain_s,
                 "seconds to wait for the last answers after the last send (default 5)")
      ->check(CLI::NonNegativeNumber);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;  // --help arrives here too, with 0
  }

  std::vector<std::string> paths;
  {
    std::ifstream in(o.paths_file);
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) paths.push_back(line);
  }
  if (paths.empty()) {
    std::cerr << "fixed_rate_load: --paths: " << o.paths_file << " holds no path\n";
    return 2;
  }
  std::string authorization;
  if (!o.auth_env.empty()) {
    const char* v = std::getenv(o.auth_env.c_str());
    if (v == nullptr || *v == '\0') {
      std::cerr << "fixed_rate_load: --auth-env: " << o.auth_env << " is not set\n";
      return 2;
    }
    authorization = v;
  }
  try {
    asio::io_context io(1);
    Load load(io, o, std::move(paths), std::move(authorization));
    load.start();
    io.run();
    load.report();
  } catch (const std::exception& e) {
    std::cerr << "fixed_rate_load: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
