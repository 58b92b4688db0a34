#pragma once

#include <string>

namespace jirasync::e2e {

// A fresh PostgreSQL database on the services.sh cluster, owned by the role
// of JIRASYNC_TEST_PG_URL and dropped (connections terminated first) when the
// object goes away. Created as the superuser `postgres`: the test role may
// not CREATE DATABASE.
class TestDatabase {
 public:
  TestDatabase();
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const std::string& name() const { return name_; }
  // postgresql://<test role>@host:port/<name>
  const std::string& url() const { return url_; }

 private:
  void as_superuser(const std::string& sql) const;

  std::string name_;
  std::string url_;
  std::string admin_url_;
};

}  // namespace jirasync::e2e
