#include "services/api/key_access_check.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "common/clock/fake_clock.hpp"
#include "common/log/base64.hpp"
#include "services/api/request_rate.hpp"

namespace jirasync {
namespace {

using ::testing::HasSubstr;

class MemoryKeys final : public ApiKeyStore {
 public:
  void insert(const ApiKeyRecord& record) override { keys[record.name] = record; }
  std::vector<ApiKeyRecord> list() override {
    ++lists;
    if (down) throw std::runtime_error("database away");
    std::vector<ApiKeyRecord> out;
    for (const auto& [name, record] : keys) out.push_back(record);
    return out;
  }
  bool revoke(const std::string& name, int64_t now_ms) override {
    keys[name].revoked_ms = now_ms;
    return true;
  }
  void mark_used(const std::string& name, int64_t now_ms) override {
    keys[name].last_used_ms = now_ms;
    ++marks;
  }
  std::map<std::string, ApiKeyRecord> keys;
  int lists = 0;
  int marks = 0;
  bool down = false;
};

RouteRequest with_authorization(const std::string& value) {
  RouteRequest request;
  request.method = "GET";
  request.path = "/api/v1/runs";
  if (!value.empty()) request.headers["authorization"] = value;
  return request;
}

class KeyAccessCheckTest : public ::testing::Test {
 protected:
  KeyAccessCheckTest() {
    auto read = make_api_key("reader", ApiScope::kRead, clock.now_ms());
    auto admin = make_api_key("operator", ApiScope::kAdmin, clock.now_ms());
    keys.insert(read.record);
    keys.insert(admin.record);
    read_key = read.key;
    admin_key = admin.key;
  }
  std::optional<RouteResponse> admit(const std::string& authorization, ApiScope needed) {
    caller = {};
    return check.admit(with_authorization(authorization), needed, caller);
  }
  FakeClock clock;
  MemoryKeys keys;
  KeyAccessCheck check{keys, clock};
  ApiCaller caller;
  std::string read_key, admin_key;
};

TEST_F(KeyAccessCheckTest, AdmitsBearerAndBasicKeys) {
  EXPECT_FALSE(admit("Bearer " + read_key, ApiScope::kRead));
  EXPECT_EQ(caller.key_name, "reader");
  EXPECT_EQ(caller.scope, ApiScope::kRead);
  EXPECT_FALSE(admit("bearer  " + admin_key, ApiScope::kAdmin));
  EXPECT_EQ(caller.key_name, "operator");
  EXPECT_FALSE(admit("Basic " + base64_encode("me@example.com:" + read_key), ApiScope::kRead));
  EXPECT_EQ(caller.key_name, "reader");
}

TEST_F(KeyAccessCheckTest, RefusesMissingMalformedAndUnknownKeysWith401) {
  for (const std::string& header :
       std::vector<std::string>{std::string(), "Bearer", "Bearer ", "Token " + read_key,
                                "Basic !!!", "Basic " + base64_encode(read_key),
                                "Bearer " + read_key + "x", "Bearer jsk_" + std::string(64, 'f')}) {
    const auto refusal = admit(header, ApiScope::kRead);
    ASSERT_TRUE(refusal) << header;
    EXPECT_EQ(refusal->status, 401) << header;
    EXPECT_THAT(refusal->body, HasSubstr("unauthenticated"));
    EXPECT_EQ(refusal->headers.at("WWW-Authenticate"), "Bearer realm=\"jirasync\"");
    // The refusal never echoes what was sent.
    EXPECT_THAT(refusal->body, ::testing::Not(HasSubstr(read_key)));
  }
}

TEST_F(KeyAccessCheckTest, AReadKeyOnAnAdminRouteIs403) {
  const auto refusal = admit("Bearer " + read_key, ApiScope::kAdmin);
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->status, 403);
  EXPECT_THAT(refusal->body, HasSubstr("forbidden"));
  EXPECT_THAT(refusal->body, HasSubstr("reader"));
}

TEST_F(KeyAccessCheckTest, ARevokedKeyStopsWorkingAtTheNextReload) {
  EXPECT_FALSE(admit("Bearer " + read_key, ApiScope::kRead));
  keys.revoke("reader", clock.now_ms());
  clock.advance_ms(2000);
  const auto refusal = admit("Bearer " + read_key, ApiScope::kRead);
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->status, 401);
}

TEST_F(KeyAccessCheckTest, ANewKeyWorksWithoutWaitingForTheReload) {
  EXPECT_FALSE(admit("Bearer " + read_key, ApiScope::kRead));
  auto fresh = make_api_key("late", ApiScope::kRead, clock.now_ms());
  keys.insert(fresh.record);
  clock.advance_ms(300);  // an unknown key reloads early, at most every 250 ms
  EXPECT_FALSE(admit("Bearer " + fresh.key, ApiScope::kRead));
  EXPECT_EQ(caller.key_name, "late");
}

TEST_F(KeyAccessCheckTest, UnknownKeysDoNotHammerTheStore) {
  const int before = keys.lists;
  for (int i = 0; i < 100; ++i) admit("Bearer jsk_guess" + std::to_string(i), ApiScope::kRead);
  EXPECT_LE(keys.lists - before, 2);
}

TEST_F(KeyAccessCheckTest, RecordsLastUseAtMostOnceAMinute) {
  for (int i = 0; i < 10; ++i) admit("Bearer " + read_key, ApiScope::kRead);
  EXPECT_EQ(keys.marks, 1);
  EXPECT_EQ(keys.keys["reader"].last_used_ms, clock.now_ms());
  clock.advance_ms(60000);
  admit("Bearer " + read_key, ApiScope::kRead);
  EXPECT_EQ(keys.marks, 2);
}

TEST_F(KeyAccessCheckTest, AStoreThatIsDownAtStartGives503ThenKeysReadBeforeAreKept) {
  keys.down = true;
  auto refusal = admit("Bearer " + read_key, ApiScope::kRead);
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->status, 503);
  keys.down = false;
  clock.advance_ms(300);
  EXPECT_FALSE(admit("Bearer " + read_key, ApiScope::kRead));
  keys.down = true;
  clock.advance_ms(5000);
  EXPECT_FALSE(admit("Bearer " + read_key, ApiScope::kRead));
}

TEST_F(KeyAccessCheckTest, OverTheKeysRateIs429WithRetryAfter) {
  RequestRate rate(1, 2);  // 1 a second, bursts of 2
  KeyAccessCheck limited(keys, clock, &rate);
  ApiCaller who;
  const auto request = with_authorization("Bearer " + read_key);
  EXPECT_FALSE(limited.admit(request, ApiScope::kRead, who));
  EXPECT_FALSE(limited.admit(request, ApiScope::kRead, who));
  const auto refusal = limited.admit(request, ApiScope::kRead, who);
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->status, 429);
  EXPECT_THAT(refusal->body, HasSubstr("too_many_requests"));
  EXPECT_EQ(refusal->headers.at("Retry-After"), "1");
  // Another key has its own bucket.
  EXPECT_FALSE(limited.admit(with_authorization("Bearer " + admin_key), ApiScope::kRead, who));
  clock.advance_ms(1000);
  EXPECT_FALSE(limited.admit(request, ApiScope::kRead, who));
}

TEST(ApiKeys, MakeStoresOnlyAHashAndAShortPrefix) {
  const auto made = make_api_key("ci-bot", ApiScope::kAdmin, 5);
  EXPECT_EQ(made.key.size(), 4u + 64u);
  EXPECT_EQ(made.key.rfind("jsk_", 0), 0u);
  EXPECT_EQ(made.record.key_hash, api_key_hash(made.key));
  EXPECT_EQ(made.record.key_hash.size(), 64u);
  EXPECT_EQ(made.record.prefix, made.key.substr(0, 12));
  EXPECT_NE(make_api_key("ci-bot", ApiScope::kAdmin, 5).key, made.key);
  EXPECT_THROW(make_api_key("", ApiScope::kRead, 0), ApiKeyError);
  EXPECT_THROW(make_api_key("has space", ApiScope::kRead, 0), ApiKeyError);
  EXPECT_THROW(make_api_key(std::string(65, 'a'), ApiScope::kRead, 0), ApiKeyError);
  EXPECT_THROW(parse_api_key_scope("root"), ApiKeyError);
  EXPECT_EQ(parse_api_key_scope("admin"), ApiScope::kAdmin);
}

}  // namespace
}  // namespace jirasync
