// The reconciler's (and `jirasync replay`'s) decoding of `issues.raw` records,
// timed alone, run by hand (docs/benchmarks.md, "Replay"): jirasim's site in
// this process (seed and project as bench/replay_bench.sh), each issue wrapped
// in an issue_snapshot envelope as the fetcher writes it, then decoded and
// hashed as the rebuild does (decode_raw_record_value, content_hash,
// significant_hash), several passes, on one thread.
//
//   decode_bench [--issues 5000] [--passes 5] [--seed 7] [--dump FILE]
//
// --dump writes every decoded member of every issue (length-prefixed) and
// both hashes to FILE: compare the files of two builds to check that a change
// keeps the output byte-identical.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "bench/site_reader.hpp"
#include "common/clock/clock.hpp"
#include "common/envelope/raw_record.hpp"
#include "common/hash/content_hash.hpp"
#include "services/reconciler/raw_record_decoding.hpp"
#include "tests/jirasim/simulator.hpp"

namespace jirasync {
namespace {

struct Options {
  int issues = 5000;
  int passes = 5;
  uint64_t seed = 7;
  std::string dump;
};

const char* kUsage =
    "usage: decode_bench [--issues 5000] [--passes 5] [--seed 7] [--dump FILE]\n"
    "  Times decoding jirasim issues (seed, project BENCH) as issues.raw records, as\n"
    "  `jirasync replay` does, and prints CPU microseconds per record. --dump writes\n"
    "  every decoded member and both hashes to FILE (compare two builds' files).\n";

Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--issues") {
      o.issues = std::stoi(value());
    } else if (arg == "--passes") {
      o.passes = std::stoi(value());
    } else if (arg == "--seed") {
      o.seed = std::stoull(value());
    } else if (arg == "--dump") {
      o.dump = value();
    } else {
      throw std::invalid_argument("unknown option " + arg);
    }
  }
  if (o.issues < 1 || o.passes < 1)
    throw std::invalid_argument("--issues and --passes must be >= 1");
  return o;
}

std::string compact(const rapidjson::Value& v) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  v.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

// The site's issues with every comment, as the fetcher hands them on.
std::vector<std::string> read_issues(bench::SiteReader& reader, int64_t first_id, int count) {
  rapidjson::Document page = reader.page(first_id, count);
  std::vector<std::string> out;
  for (auto& issue : page["issues"].GetArray()) out.push_back(compact(issue));
  return out;
}

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

class Dump {
 public:
  explicit Dump(std::ostream& out) : out_(out) {}
  void v(const char* tag, const std::string& s) {
    out_ << tag << '=' << s.size() << ':' << s << '\n';
  }
  void v(const char* tag, int64_t n) { out_ << tag << '=' << n << '\n'; }
  void o(const char* tag, const std::optional<std::string>& s) {
    if (s)
      v(tag, *s);
    else
      out_ << tag << "!\n";
  }
  void o(const char* tag, const std::optional<int64_t>& n) {
    if (n)
      v(tag, *n);
    else
      out_ << tag << "!\n";
  }
  void u(const char* tag, const std::optional<JiraUser>& user) {
    if (!user) {
      out_ << tag << "!\n";
      return;
    }
    v(tag, user->account_id);
    v(tag, user->display_name);
  }
  void l(const char* tag, const std::vector<std::string>& items) {
    v(tag, static_cast<int64_t>(items.size()));
    for (const auto& s : items) v(tag, s);
  }

  void issue(const JiraIssue& i) {
    v("id", i.id);
    v("key", i.key);
    v("project_key", i.project_key);
    v("project_id", i.project_id);
    v("issue_type", i.issue_type);
    v("subtask", i.subtask ? 1 : 0);
    v("status", i.status);
    v("status_category", i.status_category);
    o("priority", i.priority);
    u("assignee", i.assignee);
    u("reporter", i.reporter);
    l("labels", i.labels);
    l("components", i.components);
    l("fix_versions", i.fix_versions);
    o("parent_id", i.parent_id);
    o("parent_key", i.parent_key);
    o("resolution", i.resolution);
    v("created", i.created_ms);
    v("updated", i.updated_ms);
    o("resolved", i.resolution_date_ms);
    v("summary", i.summary);
    v("description_adf", i.description_adf);
    v("description_text", i.description_text);
    for (const auto& [name, json] : i.custom_fields) {
      v("cf", name);
      v("cfv", json);
    }
    o("due", i.due_date);
    u("creator", i.creator);
    l("versions", i.affected_versions);
    v("environment_adf", i.environment_adf);
    v("environment_text", i.environment_text);
    for (const auto& c : i.comments) {
      v("comment", c.id);
      u("author", c.author);
      v("body_adf", c.body_adf);
      v("body_text", c.body_text);
      v("created", c.created_ms);
      v("updated", c.updated_ms);
    }
    for (const auto& k : i.links) {
      v("link", k.id);
      v("type", k.type_name);
      v("dir", k.direction);
      v("label", k.label);
      v("other", k.other_id);
      v("other_key", k.other_key);
    }
    for (const auto& s : i.subtasks) {
      v("sub", s.id);
      v("sub_key", s.key);
    }
    for (const auto& a : i.attachments) {
      v("att", a.id);
      v("file", a.filename);
      v("mime", a.mime_type);
      v("size", a.size_bytes);
      v("created", a.created_ms);
      u("author", a.author);
    }
    o("orig", i.time_tracking.original_estimate_s);
    o("rem", i.time_tracking.remaining_estimate_s);
    o("spent", i.time_tracking.time_spent_s);
  }

 private:
  std::ostream& out_;
};

int run(const Options& o) {
  jirasim::SimOptions sim_options;
  sim_options.seed = o.seed;
  sim_options.projects = jirasim::parse_project_specs("BENCH:" + std::to_string(o.issues));
  SystemClock clock;
  jirasim::Simulator sim(sim_options, clock);
  bench::SiteReader reader(sim);
  std::vector<std::string> records;
  size_t bytes = 0;
  const int64_t first_id = jirasim::IssueGenerator::kFirstIssueId;
  for (int done = 0; done < o.issues;) {
    const int count = std::min(100, o.issues - done);
    for (std::string& issue : read_issues(reader, first_id + done, count)) {
      rapidjson::Document doc;
      doc.Parse(issue.c_str(), issue.size());
      IssueSnapshot s;
      s.run_id = "bench-run";
      s.project = "BENCH";
      s.issue_id = doc["id"].GetString();
      s.key = doc["key"].GetString();
      s.updated_ms = 1;
      s.fetched_ms = 1;
      s.issue_json = std::move(issue);
      records.push_back(encode(RawRecord(std::move(s))));
      bytes += records.back().size();
    }
    done += count;
  }
  std::printf("decode_bench: %zu records, %.1f KB on average\n", records.size(),
              static_cast<double>(bytes) / static_cast<double>(records.size()) / 1024.0);

  const ParseLimits limits;
  if (!o.dump.empty()) {
    std::ofstream file(o.dump, std::ios::binary);
    Dump dump(file);
    for (const std::string& r : records) {
      const DecodedRawRecord d = decode_raw_record_value(r, limits);
      if (!d.issue) throw std::runtime_error("a record did not decode: " + d.error);
      dump.issue(*d.issue);
      dump.v("content_hash", content_hash(*d.issue));
      dump.v("significant_hash", significant_hash(*d.issue));
    }
    if (!file) throw std::runtime_error(o.dump + ": write failed");
  }

  double best = 0;
  for (int pass = 0; pass < o.passes; ++pass) {
    const double cpu0 = cpu_seconds();
    size_t sink = 0;
    for (const std::string& r : records) {
      const DecodedRawRecord d = decode_raw_record_value(r, limits);
      if (!d.issue) throw std::runtime_error("a record did not decode: " + d.error);
      sink += content_hash(*d.issue)[0] + significant_hash(*d.issue)[0];
    }
    const double us = (cpu_seconds() - cpu0) * 1e6 / static_cast<double>(records.size());
    if (pass == 0 || us < best) best = us;
    std::printf("pass %d: %.1f us CPU per record (%zu)\n", pass + 1, us, sink % 10);
  }
  std::printf("best: %.1f us CPU per record\n", best);
  return 0;
}

}  // namespace
}  // namespace jirasync

int main(int argc, char** argv) {
  try {
    for (int i = 1; i < argc; ++i) {
      if (std::string(argv[i]) == "--help" || std::string(argv[i]) == "-h") {
        std::fputs(jirasync::kUsage, stdout);
        return 0;
      }
    }
    return jirasync::run(jirasync::parse_options(argc, argv));
  } catch (const std::invalid_argument& e) {
    std::cerr << "decode_bench: " << e.what() << "\n" << jirasync::kUsage;
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "decode_bench: " << e.what() << "\n";
    return 1;
  }
}
