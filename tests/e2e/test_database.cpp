#include "tests/e2e/test_database.hpp"

#include <soci/soci.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "common/store/database.hpp"

namespace jirasync::e2e {
namespace {

std::string required_env(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') {
    throw std::runtime_error(std::string(name) +
                             " is not set: run `scripts/services.sh start` and export its "
                             "settings (`. /tmp/jirasync-services-$(id -u)/env`)");
  }
  return v;
}

std::string fresh_name() {
  static std::atomic<int> counter{0};
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  return "e2e_" + std::to_string(::getpid()) + "_" + std::to_string(ms) + "_" +
         std::to_string(counter++);
}

}  // namespace

TestDatabase::TestDatabase() : name_(fresh_name()) {
  // postgresql://ROLE@HOST:PORT/DB -> the same server as ROLE and as postgres.
  const std::string url = required_env("JIRASYNC_TEST_PG_URL");
  const std::string scheme = "postgresql://";
  const auto at = url.find('@');
  const auto slash = url.find('/', at == std::string::npos ? 0 : at);
  if (url.rfind(scheme, 0) != 0 || at == std::string::npos || slash == std::string::npos) {
    throw std::runtime_error("JIRASYNC_TEST_PG_URL: expected postgresql://user@host:port/db");
  }
  std::string role = url.substr(scheme.size(), at - scheme.size());
  role = role.substr(0, role.find(':'));
  const std::string server = url.substr(at + 1, slash - at - 1);
  url_ = scheme + url.substr(scheme.size(), at - scheme.size()) + "@" + server + "/" + name_;
  admin_url_ = scheme + "postgres@" + server + "/postgres";
  as_superuser("CREATE DATABASE " + name_ + " OWNER " + role);
}

TestDatabase::~TestDatabase() {
  try {
    as_superuser("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" +
                 name_ + "' AND pid <> pg_backend_pid()");
    as_superuser("DROP DATABASE IF EXISTS " + name_);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "e2e: could not drop database %s: %s\n", name_.c_str(), e.what());
  }
}

void TestDatabase::as_superuser(const std::string& sql) const {
  auto db = Database::open(admin_url_);
  auto lock = db->lock();
  db->session() << sql;
}

}  // namespace jirasync::e2e
