#include "common/url/database_url.hpp"

#include <gtest/gtest.h>

namespace jirasync {
namespace {

TEST(DatabaseUrl, PostgresUrlBecomesLibpqKeywords) {
  const DatabaseUrl u = parse_database_url("postgresql://sync:pa%27ss@db.example:6543/cache");
  EXPECT_EQ(u.backend, Backend::kPostgres);
  EXPECT_EQ(u.connect_string,
            "host='db.example' port='6543' dbname='cache' user='sync' password='pa\\'ss'");
  EXPECT_EQ(u.password, "pa'ss");
  EXPECT_EQ(u.redacted, "postgresql://sync:***@db.example:6543/cache");
}

TEST(DatabaseUrl, PostgresWithoutPasswordOrPortAndWithQueryParameters) {
  const DatabaseUrl u = parse_database_url(
      "postgres://jirasync@127.0.0.1/jirasync?sslmode=disable&connect_timeout=5");
  EXPECT_EQ(u.connect_string,
            "host='127.0.0.1' dbname='jirasync' user='jirasync' sslmode='disable' "
            "connect_timeout='5'");
  EXPECT_TRUE(u.password.empty());
  EXPECT_EQ(u.redacted, "postgres://jirasync@127.0.0.1/jirasync?sslmode=disable&connect_timeout=5");
}

TEST(DatabaseUrl, PasswordGivenAsQueryParameterIsRedactedToo) {
  const DatabaseUrl u = parse_database_url("postgresql://u@h:5432/d?password=topsecret");
  EXPECT_EQ(u.password, "topsecret");
  EXPECT_EQ(u.redacted.find("topsecret"), std::string::npos) << u.redacted;
  EXPECT_NE(u.connect_string.find("password='topsecret'"), std::string::npos);
}

TEST(DatabaseUrl, Ipv6Host) {
  const DatabaseUrl u = parse_database_url("postgresql://u@[::1]:5433/d");
  EXPECT_EQ(u.connect_string, "host='::1' port='5433' dbname='d' user='u'");
}

TEST(DatabaseUrl, SqliteForms) {
  EXPECT_EQ(parse_database_url("sqlite:cache.db").sqlite_path, "cache.db");
  EXPECT_EQ(parse_database_url("sqlite:///var/lib/jirasync/cache.db").sqlite_path,
            "/var/lib/jirasync/cache.db");
  const DatabaseUrl memory = parse_database_url("sqlite::memory:");
  EXPECT_EQ(memory.backend, Backend::kSqlite);
  EXPECT_EQ(memory.sqlite_path, ":memory:");
}

void expect_rejected(const std::string& url, const std::string& fragment) {
  try {
    parse_database_url(url);
    ADD_FAILURE() << "accepted " << url;
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("database_url"), std::string::npos) << what;
    EXPECT_NE(what.find(fragment), std::string::npos) << what;
    EXPECT_EQ(what.find("hunter2"), std::string::npos) << what;
  }
}

TEST(DatabaseUrl, BadUrlsAreRejectedWithoutRepeatingThePassword) {
  expect_rejected("", "empty");
  expect_rejected("mysql://u:hunter2@h/d", "scheme");
  expect_rejected("postgresql://u:hunter2@h:port/d", "port");
  expect_rejected("postgresql://u:hunter2@h:70000/d", "port");
  expect_rejected("postgresql://u:hunter2@h:5432", "database name");
  expect_rejected("postgresql://u:hunter2%zz@h/d", "percent-encoding");
  expect_rejected("postgresql://u:hunter2@h/d?novalue", "key=value");
  expect_rejected("sqlite:", "file path");
}

TEST(DatabaseUrl, PasswordOfAUrlIsDecodedAndAbsentWithoutOne) {
  EXPECT_EQ(database_url_password("postgresql://u:p%40ss@h/d"), "p@ss");
  EXPECT_EQ(database_url_password("postgresql://u:@h/d"), "");
  EXPECT_EQ(database_url_password("postgresql://u@h/d"), std::nullopt);
  EXPECT_EQ(database_url_password("postgresql://h/d?x=a@b"), std::nullopt);
  EXPECT_EQ(database_url_password("sqlite:a@b:c.db"), std::nullopt);
  // A malformed escape is still a password, never silently "none".
  EXPECT_EQ(database_url_password("postgresql://u:50%zz@h/d"), "50%zz");
}

TEST(DatabaseUrl, PasswordIsAddedEncodedAfterTheUser) {
  EXPECT_EQ(with_database_password("postgres://app@db/jira", "p@ss:w/rd"),
            "postgres://app:p%40ss%3Aw%2Frd@db/jira");
  EXPECT_EQ(
      parse_database_url(with_database_password("postgres://app@db/jira", "p@ss:w/rd")).password,
      "p@ss:w/rd");
  EXPECT_THROW(with_database_password("postgres://db/jira", "x"), std::invalid_argument);
}

}  // namespace
}  // namespace jirasync
