#include "cli/progress_line.hpp"

#include <unistd.h>

#include <algorithm>

#include "cli/terminal_text.hpp"

namespace jirasync {

std::string format_duration(int64_t ms) {
  char buf[32];
  if (ms < 60000)
    std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(ms) / 1000.0);
  else
    std::snprintf(buf, sizeof buf, "%lld m %02lld s", static_cast<long long>(ms / 60000),
                  static_cast<long long>((ms / 1000) % 60));
  return buf;
}

ProgressLine::ProgressLine(std::FILE* out) : out_(out), tty_(isatty(fileno(out)) != 0) {}

void ProgressLine::update(const SyncRun& run, int64_t now_ms) {
  if (started_ms_ == 0) started_ms_ = run.started_ms.value_or(now_ms);
  // Fetched issues plus sweep records; the writer counts the same items.
  const int64_t done = run.applied;
  const int64_t total =
      run.fetch_complete ? run.emitted : std::max(run.expected_total, run.emitted);
  // No rate until there is enough time behind it to mean something.
  const int64_t elapsed_ms = now_ms - started_ms_;
  const double rate = elapsed_ms >= 500 ? done * 1000.0 / static_cast<double>(elapsed_ms) : 0.0;
  if (tty_) {
    constexpr int kWidth = 30;
    const double frac = total > 0 ? std::min(1.0, static_cast<double>(done) / total) : 0.0;
    const int filled = static_cast<int>(frac * kWidth);
    std::string bar(static_cast<size_t>(filled), '#');
    bar.resize(kWidth, '.');
    std::fprintf(out_, "\r%s %-9s [%s] %3d%%  %lld/%lld  %.0f/s   ", run.project.c_str(),
                 to_string(run.status), bar.c_str(), static_cast<int>(frac * 100),
                 static_cast<long long>(done), static_cast<long long>(total), rate);
    std::fflush(out_);
  } else if (now_ms - last_plain_ms_ >= 2000) {
    last_plain_ms_ = now_ms;
    std::fprintf(out_, "%s %s: %lld of %lld applied (%.0f/s)\n", run.project.c_str(),
                 to_string(run.status), static_cast<long long>(done), static_cast<long long>(total),
                 rate);
    std::fflush(out_);
  }
}

void ProgressLine::finish(const SyncRun& run) {
  if (tty_) std::fprintf(out_, "\n");
  const auto& s = run.stats;
  const int64_t took = run.finished_ms && run.started_ms ? *run.finished_ms - *run.started_ms : 0;
  std::fprintf(out_,
               "run %s %s: %s in %s — %lld fetched, %lld created, %lld updated, %lld unchanged, "
               "%lld deleted, %lld moved, %lld conflicts, %lld dead-lettered, %lld API calls\n",
               run.id.c_str(), run.project.c_str(), to_string(run.status),
               format_duration(took).c_str(), static_cast<long long>(s.fetched),
               static_cast<long long>(s.created), static_cast<long long>(s.updated),
               static_cast<long long>(s.unchanged), static_cast<long long>(s.deleted),
               static_cast<long long>(s.moved), static_cast<long long>(s.conflicts),
               static_cast<long long>(s.dead_lettered), static_cast<long long>(s.api_calls));
  // The error may quote Jira's text: shown, never obeyed, by the terminal.
  if (!run.error.empty()) std::fprintf(out_, "  error: %s\n", printable(run.error).c_str());
  std::fflush(out_);
}

}  // namespace jirasync
