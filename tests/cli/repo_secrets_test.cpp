// No secret in the repository: scan every tracked file for what a leaked
// credential looks like.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>

namespace jirasync {
namespace {

// A password in a connection URL; placeholders (password, secret, <...>, [...], ***) are fine.
const char* const kUrlPassword =
    "postgres(ql)?://[^:@/\\s]+:(?!(password|secret|pw)@)[^@/\\s*{$<\\[\\]]{4,}@";

std::vector<std::string> tracked_files() {
  std::vector<std::string> files;
  const std::string cmd = std::string("git -C '") + JIRASYNC_SOURCE_DIR + "' ls-files -z";
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return files;
  std::string name;
  for (int c; (c = fgetc(pipe)) != EOF;) {
    if (c == 0) {
      files.push_back(name);
      name.clear();
    } else {
      name.push_back(static_cast<char>(c));
    }
  }
  pclose(pipe);
  return files;
}

TEST(RepoSecrets, NoCredentialIsCommitted) {
  const auto files = tracked_files();
  ASSERT_GT(files.size(), 50u) << "git ls-files found too little; is this a checkout?";
  const std::array<std::pair<const char*, std::regex>, 4> patterns{{
      {"Atlassian API token", std::regex("ATATT3[A-Za-z0-9_\\-=]{40,}")},
      {"private key", std::regex("-----BEGIN [A-Z ]*PRIVATE KEY-----")},
      {"password in a URL", std::regex(kUrlPassword)},
      {"AWS key", std::regex("AKIA[0-9A-Z]{16}")},
  }};
  for (const auto& f : files) {
    // Unit tests of the redaction feed it made-up secrets on purpose.
    if (f.size() > 9 && f.compare(f.size() - 9, 9, "_test.cpp") == 0) continue;
    std::ifstream in(std::string(JIRASYNC_SOURCE_DIR) + "/" + f, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    if (text.size() > 4 * 1024 * 1024) continue;
    for (const auto& [what, re] : patterns)
      EXPECT_FALSE(std::regex_search(text, re)) << what << " in " << f;
  }
}

TEST(RepoSecrets, ThePatternsDoFire) {
  // Guards the test above against patterns that can never match.
  EXPECT_TRUE(std::regex_search("x ATATT3xFfGF0q9Zc7Lh2mN4pR6sT8vW0yB1dE3gH5jK7lM9nP_QrStUv y",
                                std::regex("ATATT3[A-Za-z0-9_\\-=]{40,}")));
  EXPECT_TRUE(std::regex_search("postgresql://app:s3cretpw@db/x", std::regex(kUrlPassword)));
  EXPECT_FALSE(std::regex_search("postgresql://app:***@db/x", std::regex(kUrlPassword)));
}

}  // namespace
}  // namespace jirasync
